//! Trunk's post-build hook: Trunk writes an inline `<script type="module">` that loads the wasm. A
//! strict Content-Security-Policy blocks inline scripts unless their hash is listed, so this adds
//! the SHA-256 of each inline script in the built page to the policy's `script-src`.
//!
//! It also adds the origins the admin chose at build time to `connect-src`:
//! `HOOKPANEL_CONNECT_SRC="https://relay.example.com https://crm.example.net:8443"` (relays, onsite
//! SuperOffice hosts). Each must be an origin (`https://host[:port]`, a `*.` wildcard for the
//! host's first label allowed), never a path; anything else fails the build with a sentence.

use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;

pub fn run(dir: &Path) -> Result<(), String> {
    let path = dir.join("index.html");
    let html = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let extra = std::env::var("HOOKPANEL_CONNECT_SRC").unwrap_or_default();
    let updated = add_connect_src(&add_hashes(&html)?, &extra)?;
    std::fs::write(&path, &updated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let headers = dir.join("_headers");
    let template = std::fs::read_to_string(&headers)
        .map_err(|e| format!("cannot read {} (public/_headers): {e}", headers.display()))?;
    let filled = fill_headers(&template, &page_policy(&updated)?)?;
    std::fs::write(&headers, filled).map_err(|e| format!("cannot write {}: {e}", headers.display()))
}

/// The page's Content-Security-Policy: the `content` of its `<meta http-equiv>`.
pub fn page_policy(html: &str) -> Result<String, String> {
    let at = html
        .find("http-equiv=\"Content-Security-Policy\"")
        .ok_or("index.html has no Content-Security-Policy meta")?;
    let rest = &html[at..];
    let start = rest
        .find("content=\"")
        .ok_or("the Content-Security-Policy meta has no content")?
        + "content=\"".len();
    let end = rest[start..]
        .find('"')
        .ok_or("the Content-Security-Policy meta's content is not closed")?;
    Ok(rest[start..start + end].to_string())
}

/// The host's headers: the template's `@index.html` policy line made the page's policy, with
/// `frame-ancestors 'none'` (what no `<meta>` can say: no site may frame a page where admins
/// paste API keys).
pub fn fill_headers(template: &str, policy: &str) -> Result<String, String> {
    let line = "Content-Security-Policy: @index.html";
    if !template.contains(line) {
        return Err(format!("public/_headers has no \"{line}\" line to fill in"));
    }
    Ok(template.replacen(
        line,
        &format!("Content-Security-Policy: {policy}; frame-ancestors 'none'"),
        1,
    ))
}

/// The page with `origins` (space- or comma-separated) added to its policy's `connect-src`.
pub fn add_connect_src(html: &str, origins: &str) -> Result<String, String> {
    let origins: Vec<&str> = origins
        .split([' ', ',', '\n', '\t'])
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return Ok(html.to_string());
    }
    for origin in &origins {
        check_origin(origin)?;
    }
    let marker = "connect-src 'self'";
    if !html.contains(marker) {
        return Err(format!(
            "index.html's Content-Security-Policy has no \"{marker}\" to extend"
        ));
    }
    Ok(html.replacen(marker, &format!("{marker} {}", origins.join(" ")), 1))
}

/// An origin a page may connect to: `http(s)://host[:port]`, with `*.` allowed before the host.
fn check_origin(origin: &str) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "HOOKPANEL_CONNECT_SRC: {origin:?} {why}; write origins like https://relay.example.com or https://*.example.com:8443, separated by spaces"
        ))
    };
    let Some((scheme, rest)) = origin.split_once("://") else {
        return refuse("has no scheme");
    };
    if !matches!(scheme, "https" | "http") {
        return refuse("is not http(s)");
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host = host.strip_prefix("*.").unwrap_or(host);
    let host_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !host_ok {
        return refuse("has no host name (or a path, query or odd character)");
    }
    if let Some(port) = port
        && port != "*"
        && port.parse::<u16>().map_or(true, |p| p == 0)
    {
        return refuse("has a port that is not 1 to 65535 or *");
    }
    Ok(())
}

/// The page with the hash of every inline script added to the CSP meta's `script-src`.
pub fn add_hashes(html: &str) -> Result<String, String> {
    let hashes: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let marker = "script-src 'self' 'wasm-unsafe-eval'";
    if !html.contains(marker) {
        return Err(format!(
            "index.html's Content-Security-Policy has no \"{marker}\" to extend"
        ));
    }
    if hashes.is_empty() {
        return Ok(html.to_string());
    }
    Ok(html.replacen(marker, &format!("{marker} {}", hashes.join(" ")), 1))
}

/// The text of each `<script>` element without a `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let open = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !open.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headers_file_carries_the_pages_policy_and_frame_ancestors() {
        let html = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'sha256-x'\" />";
        let policy = page_policy(html).unwrap();
        assert_eq!(policy, "default-src 'self'; script-src 'self' 'sha256-x'");
        let template =
            std::fs::read_to_string(crate::proc::root().join("public/_headers")).unwrap();
        let filled = fill_headers(&template, &policy).unwrap();
        assert!(filled.contains(
            "  Content-Security-Policy: default-src 'self'; script-src 'self' 'sha256-x'; frame-ancestors 'none'\n"
        ));
        for header in [
            "X-Content-Type-Options: nosniff",
            "Referrer-Policy: no-referrer",
            "Permissions-Policy: camera=()",
        ] {
            assert!(filled.contains(header), "{header}");
        }
        assert!(fill_headers("/*\n", &policy).is_err());
    }

    #[test]
    fn chosen_origins_join_connect_src_and_anything_else_fails_the_build() {
        let html = "<meta content=\"connect-src 'self' http://127.0.0.1:*; object-src 'none'\">";
        let out = add_connect_src(
            html,
            " https://relay.example.com,https://*.crm.example.net:8443 ",
        )
        .unwrap();
        assert!(
            out.contains("connect-src 'self' https://relay.example.com https://*.crm.example.net:8443 http://127.0.0.1:*;"),
            "{out}"
        );
        assert_eq!(add_connect_src(html, "").unwrap(), html);
        for bad in [
            "relay.example.com",
            "ftp://relay.example.com",
            "https://relay.example.com/api",
            "https://",
            "https://relay.example.com:0",
            "https://relay.example.com:99999",
            "https://relay.example.com;script-src",
            "'unsafe-inline'",
        ] {
            assert!(add_connect_src(html, bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<meta content=\"script-src 'self' 'wasm-unsafe-eval'; x\"><script src=\"a.js\"></script><script type=\"module\">init()</script>";
        let out = add_hashes(html).unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(
            out.contains(&format!("'wasm-unsafe-eval' 'sha256-{expected}'; x")),
            "{out}"
        );
        assert_eq!(out.matches("sha256-").count(), 1);
    }
}
