//! Lint rules: what a vendor would accept but an admin should think twice about, and the target
//! URL rules that hold for every vendor. Findings are [`Problem`]s like the schema's.

use serde_json::Value;
use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

use crate::problem::Problem;
use crate::schema::read_only_of;
use crate::vendors::adapter;
use crate::{Operation, VendorId};

pub(crate) fn check(
    vendor: VendorId,
    operation: Operation,
    draft: &Value,
    problems: &mut Vec<Problem>,
) {
    if operation == Operation::Event {
        return;
    }
    let spec = adapter(vendor).spec();
    let already = |pointer: &str, problems: &Vec<Problem>| {
        problems
            .iter()
            .any(|p| p.pointer == pointer && p.is_error())
    };

    if let Some(target) = crate::draft::get(draft, spec.target_pointer).and_then(Value::as_str)
        && !already(spec.target_pointer, problems)
    {
        match crate::plan::parse_for_checks(target) {
            Ok(url) => problems.extend(target_url(spec.target_pointer, &url)),
            // RFC 3986 (the schema's `format: uri`) allows what browsers and most servers do not,
            // such as a percent-encoded byte in the host or a port above 65535.
            Err(e) => problems.push(Problem::warning(
                spec.target_pointer,
                "lint:unreadable-url",
                format!("Vendors may refuse this URL: {e}."),
            )),
        }
    }

    // Fields the vendor owns are legal in a draft (one pasted from a GET answer has them) but the
    // adapters drop them, which the admin should know before sending.
    for pointer in read_only_of(vendor, operation) {
        if crate::draft::get(draft, pointer).is_some() {
            let name = pointer
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .replace("~1", "/")
                .replace("~0", "~");
            problems.push(Problem::warning(
                pointer.as_str(),
                "lint:read-only",
                format!("{name} is read-only; it is dropped from the request."),
            ));
        }
    }

    // A partial update need not restate the secret.
    if operation == Operation::Create
        && let Some(secret) = spec.secret_pointer
        && crate::draft::get(draft, secret)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        && !already(secret, problems)
    {
        problems.push(Problem::warning(
            secret,
            "lint:no-secret",
            "No secret set: your endpoint cannot tell a real delivery from a forged one.",
        ));
    }
}

/// The rules every vendor's target URL obeys.
pub(crate) fn target_url(pointer: &str, url: &Url) -> Vec<Problem> {
    let mut out = Vec::new();
    match url.scheme() {
        "https" => {}
        "http" => out.push(Problem::warning(
            pointer,
            "lint:http-target",
            "Deliveries to http:// travel unencrypted; use https:// if the endpoint supports it.",
        )),
        other => out.push(Problem::error(
            pointer,
            "lint:scheme",
            format!("“{other}:” URLs cannot receive webhooks; use an https:// URL."),
        )),
    }
    if !url.username().is_empty() || url.password().is_some() {
        out.push(Problem::error(
            pointer,
            "lint:credentials-in-url",
            "Remove the user name and password from the URL: vendors show and log target URLs. Use a secret or a header instead.",
        ));
    }
    if let Some(host) = url.host()
        && is_local(&host)
    {
        out.push(Problem::warning(
            pointer,
            "lint:private-target",
            "This host is loopback or on a private network: the vendor's servers cannot reach it.",
        ));
    }
    out
}

fn is_local(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost"
                || name.ends_with(".localhost")
                || name.ends_with(".local")
                || name.ends_with(".internal")
        }
        Host::Ipv4(ip) => is_local_v4(ip),
        Host::Ipv6(ip) => is_local_v6(ip),
    }
}

fn is_local_v4(ip: &Ipv4Addr) -> bool {
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        // Carrier-grade NAT, 100.64.0.0/10.
        || (ip.octets()[0] == 100 && (ip.octets()[1] & 0xC0) == 64)
}

fn is_local_v6(ip: &Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_local_v4(&v4);
    }
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xFE00) == 0xFC00
        || (first & 0xFFC0) == 0xFE80
}
