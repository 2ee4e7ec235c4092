//! Facts written in more than one place, held together: each vendor's base URL and sandbox
//! address in the README's tables, its hosts in the page's Content-Security-Policy, its sign-in
//! schemes. The adapters are the one place they are stated; a copy that drifts fails here.

use hookpanel_core::vendors::spec;
use hookpanel_core::{PlanError, VendorId};
use std::collections::BTreeMap;
use std::path::Path;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The README's table row that starts with the vendor's name, within the section `heading`.
fn readme_row(readme: &str, heading: &str, vendor: VendorId) -> String {
    let section = readme
        .split_once(heading)
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or_default())
        .unwrap_or_else(|| panic!("README has no {heading}"));
    section
        .lines()
        .find(|l| l.starts_with(&format!("| {} |", vendor.display_name())))
        .unwrap_or_else(|| panic!("README's {heading} has no row for {vendor:?}"))
        .to_string()
}

#[test]
fn the_readme_gives_each_vendors_base_urls_and_sandbox_credentials_as_the_adapters_do() {
    let readme = read("README.md");
    for vendor in VendorId::ALL {
        let spec = spec(vendor);
        let real = readme_row(
            &readme,
            "## Pointing a connection at a vendor's real API",
            vendor,
        );
        assert!(
            real.contains(&format!("`{}`", spec.default_base_url)),
            "{vendor:?}: {real}"
        );
        let sandbox = readme_row(&readme, "## The two commands", vendor);
        assert!(
            sandbox.contains(&format!("`http://127.0.0.1:8787{}`", spec.sandbox_path)),
            "{vendor:?}: {sandbox}"
        );
        for (_, value) in spec.sandbox_sign_in.1 {
            assert!(
                sandbox.contains(&format!("`{value}`")),
                "{vendor:?}: {sandbox}"
            );
        }
    }
}

#[test]
fn the_pages_policy_lets_it_reach_every_vendor_and_nothing_more() {
    let index = read("index.html");
    let policy = index
        .split("connect-src ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("index.html has a connect-src");
    let mut listed: Vec<&str> = policy.split_whitespace().collect();
    let mut expected = vec!["'self'", "http://127.0.0.1:*", "http://localhost:*"];
    for vendor in VendorId::ALL {
        let spec = spec(vendor);
        expected.push(spec.connect_src);
        // The pattern covers the vendor's own base URL.
        let origin: String = spec
            .default_base_url
            .split('/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        let covered = match spec.connect_src.split_once("://*.") {
            Some((scheme, domain)) => {
                origin.starts_with(&format!("{scheme}://"))
                    && origin.ends_with(&format!(".{domain}"))
            }
            None => origin == spec.connect_src,
        };
        assert!(
            covered,
            "{vendor:?}: {} does not cover {origin}",
            spec.connect_src
        );
    }
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
}

#[test]
fn every_vendor_signs_in_and_names_what_is_missing() {
    for vendor in VendorId::ALL {
        let spec = spec(vendor);
        for scheme in spec.schemes {
            let err = spec.sign_in(scheme.id, &BTreeMap::new()).unwrap_err();
            assert_eq!(
                err,
                PlanError::MissingCredential(scheme.fields[0].label),
                "{vendor:?}"
            );
        }
        let (scheme, values) = spec.sandbox_values();
        assert!(spec.sign_in(scheme, &values).is_ok(), "{vendor:?}");
        assert_eq!(spec.scheme("no-such-scheme").id, spec.schemes[0].id);
    }
}

#[test]
fn the_readme_says_how_each_vendor_signs_its_deliveries_as_its_adapter_does() {
    use hookpanel_core::Signing;
    let readme = read("README.md");
    let section = readme
        .split_once("**Check a delivery**")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or_default())
        .expect("README describes the check screen");
    for vendor in VendorId::ALL {
        let row = section
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(&format!("| {} |", vendor.display_name())))
            .unwrap_or_else(|| panic!("no row for {vendor:?} in the check screen's table"));
        match spec(vendor).signing {
            Signing::HmacSha256Base64 { header } => {
                assert!(row.contains(&format!("`{header}`")), "{row}");
                assert!(row.contains("HMAC-SHA256"), "{row}");
            }
            Signing::SharedSecret { header_chosen } => {
                assert!(row.contains("secret"), "{row}");
                assert_eq!(row.contains("custom header"), header_chosen, "{row}");
            }
            Signing::None => assert!(row.contains("does not sign"), "{row}"),
        }
    }
}
