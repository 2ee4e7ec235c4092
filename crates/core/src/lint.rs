//! Lint rules: what a vendor would accept but an admin should think twice about, and the target
//! URL rules that hold for every vendor. Findings are [`Problem`]s like the schema's.

use serde_json::Value;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;
use url::{Host, Url};

use crate::catalogue::PerOperation;
use crate::http::MASK;
use crate::problem::{Problem, Text};
use crate::roles::{self, Role};
use crate::schema::read_only_pointers;
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
    let already = |pointer: &str, problems: &Vec<Problem>| {
        problems
            .iter()
            .any(|p| p.pointer == pointer && p.is_error())
    };

    // The target and the delivery secret are where the schema's `x-role` says.
    // (A target the schema refused already, a half-typed URL, is not looked up at all.)
    if let Some(pointer) = roles::pointer(vendor, operation, Role::Target)
        && !already(pointer, problems)
        && let Some(target) = crate::draft::get(draft, pointer).and_then(Value::as_str)
    {
        problems.extend(callable_memo(pointer, target));
    }

    // A secret still reading as the mask was edited while hidden and has nothing behind it (a
    // header renamed in the masked raw view, say): sending it would send the mask.
    let mut masked = Vec::new();
    if let Some(tree) = crate::schema::secret_tree(vendor, operation) {
        tree.visit_sent(
            draft,
            |value| value.as_str() == Some(MASK),
            |at, _| masked.push(at.pointer()),
        );
    }
    for pointer in masked {
        if !already(&pointer, problems) {
            problems.push(Problem::error(
                pointer,
                "lint:masked-secret",
                "This is the mask Hookpanel shows in place of a secret, not a secret: type the value, or tick Show secrets to edit it.",
            ));
        }
    }

    // Fields the vendor owns are legal in a draft (one pasted from a GET answer has them) but the
    // adapters drop them, which the admin should know before sending.
    let read_only = read_only_fields(vendor, operation);
    let found = read_only.found_in(draft);
    // Room for them at once: a draft pasted from a GET answer holds all five of SuperOffice's,
    // and growing the list twice cost a tenth of its keystroke (PERFORMANCE.md).
    problems.reserve(found.count_ones() as usize);
    for (i, field) in read_only.fields.iter().enumerate() {
        if read_only.is_found(found, i, draft) {
            problems.push(Problem::warning(
                Text::Borrowed(&field.pointer),
                "lint:read-only",
                Text::Borrowed(&field.message),
            ));
        }
    }

    // A partial update need not restate the secret.
    if operation == Operation::Create
        && let Some(secret) = roles::pointer(vendor, operation, Role::Secret)
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

/// A schema's read-only field: its pointer and warning, worded once, and where it sits.
struct ReadOnlyField {
    pointer: String,
    message: String,
    /// The field's name, unescaped, in the object at `parents[parent]`.
    name: String,
    parent: usize,
}

/// A schema's read-only fields, in the schema's order, and the objects that hold them: each
/// object's fields are found in one pass over it.
#[derive(Default)]
struct ReadOnlyFields {
    fields: Vec<ReadOnlyField>,
    parents: Vec<Parent>,
}

/// An object with read-only fields: its pointer, and the lengths of their names (bit `n` for
/// length `n`, bit 63 for 63 and longer), which rule out most of a draft's names unread.
struct Parent {
    pointer: String,
    lengths: u64,
}

/// Field `i`'s bit in [`ReadOnlyFields::found_in`]'s answer (none past the 64th).
fn bit(i: usize) -> u64 {
    1u64.checked_shl(i as u32).unwrap_or(0)
}

fn length_bit(name: &str) -> u64 {
    1 << name.len().min(63)
}

impl ReadOnlyFields {
    fn of(schema: &Value) -> ReadOnlyFields {
        let mut table = ReadOnlyFields::default();
        for pointer in read_only_pointers(schema) {
            let (parent, token) = pointer.rsplit_once('/').unwrap_or(("", &pointer));
            let name = token.replace("~1", "/").replace("~0", "~");
            let message = format!("{name} is read-only; it is dropped from the request.");
            let parent = match table.parents.iter().position(|p| p.pointer == parent) {
                Some(i) => i,
                None => {
                    table.parents.push(Parent {
                        pointer: parent.to_owned(),
                        lengths: 0,
                    });
                    table.parents.len() - 1
                }
            };
            table.parents[parent].lengths |= length_bit(&name);
            table.fields.push(ReadOnlyField {
                pointer,
                message,
                name,
                parent,
            });
        }
        table
    }

    /// Whether field `i` is in `draft`, from what [`found_in`](Self::found_in) found there.
    fn is_found(&self, found: u64, i: usize, draft: &Value) -> bool {
        match self.fields.get(i) {
            Some(_) if i < 64 => found & bit(i) != 0,
            // Beyond what the mask holds (no schema has so many): looked up one by one.
            Some(field) => crate::draft::get(draft, &field.pointer).is_some(),
            None => false,
        }
    }

    /// Which fields are in `draft`: bit `i` of the answer is set when field `i` is there, for the
    /// first 64 fields; the rest are left to [`is_found`](Self::is_found). A SuperOffice draft
    /// has five read-only fields among its sixteen: looking each one up scanned the draft five
    /// times, a fifth of a form keystroke (PERFORMANCE.md); one pass over its names tests each
    /// name's length against a mask and compares the few that pass. A mask rather than a list, so
    /// nothing is allocated.
    fn found_in(&self, draft: &Value) -> u64 {
        let mut found = 0u64;
        for (at, parent) in self.parents.iter().enumerate() {
            let Some(Value::Object(object)) = crate::draft::get(draft, &parent.pointer) else {
                continue;
            };
            let mine = || {
                self.fields
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.parent == at)
            };
            if object.len() <= crate::draft::SCANNED_FIELDS {
                for name in object.keys() {
                    if parent.lengths & length_bit(name) == 0 {
                        continue;
                    }
                    if let Some((i, _)) = mine().find(|(_, f)| f.name == *name) {
                        found |= bit(i);
                    }
                }
            } else {
                for (i, field) in mine() {
                    if object.contains_key(&field.name) {
                        found |= bit(i);
                    }
                }
            }
        }
        found
    }
}

/// The read-only fields of a vendor's operation, found in its schema once.
fn read_only_fields(vendor: VendorId, operation: Operation) -> &'static ReadOnlyFields {
    static FOUND: OnceLock<PerOperation<ReadOnlyFields>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            PerOperation::new(
                |vendor, operation| match crate::schema::schema(vendor, operation) {
                    Some(schema) => ReadOnlyFields::of(schema),
                    None => ReadOnlyFields {
                        fields: Vec::new(),
                        parents: Vec::new(),
                    },
                },
            )
        })
        .get(vendor, operation)
}

thread_local! {
    /// The last target checked and what was found: a keystroke in any other field leaves the
    /// target as it was, and parsing it again was the largest part of a form keystroke's lint
    /// (PERFORMANCE.md). One entry, so a draft with a new target costs what it did.
    static LAST_TARGET: std::cell::RefCell<Option<(String, String, Vec<Problem>)>> =
        const { std::cell::RefCell::new(None) };
}

/// [`callable`], remembered for the last pointer and target.
fn callable_memo(pointer: &'static str, target: &str) -> Vec<Problem> {
    LAST_TARGET.with(|last| {
        if let Some((p, t, found)) = &*last.borrow()
            && p == pointer
            && t == target
        {
            return found.clone();
        }
        let found = callable(pointer, target);
        *last.borrow_mut() = Some((pointer.to_string(), target.to_string(), found.clone()));
        found
    })
}

/// Whether an HTTP client could call the target at all, then the rules every vendor's target URL
/// obeys. A text with no scheme is left to the schema (`format: uri`), which says so where the
/// field must be a URL (SuperOffice's crmscript webhooks name a script there instead).
pub(crate) fn callable(pointer: &'static str, target: &str) -> Vec<Problem> {
    let uncallable = |why: Text| vec![Problem::error(pointer, "lint:uncallable-url", why)];
    const NO_HOST: &str = "This URL has no host: write it as https://host.example/path.";
    let web = target.split_once(':').is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
    });
    // RFC 3986 allows an empty host (`https:///hooks`), which a browser's parser reads as the
    // host `hooks`: what a vendor's client makes of it is anyone's guess.
    if web && host_text(target).is_empty() {
        return uncallable(NO_HOST.into());
    }
    match crate::plan::parse_for_checks(target) {
        Ok(url) => {
            let mut out = Vec::new();
            if url.port() == Some(0) {
                out.push(Problem::error(
                    pointer,
                    "lint:uncallable-url",
                    "Port 0 cannot be called: a port is 1 to 65535.",
                ));
            }
            if web && url.fragment().is_some() {
                out.push(Problem::warning(
                    pointer,
                    "lint:fragment",
                    "The #fragment is never sent: the vendor calls the URL without it.",
                ));
            }
            out.extend(target_url(pointer, &url));
            out
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => Vec::new(),
        // The scheme rule says what matters about a URL no vendor delivers to anyway.
        Err(_) if !web => vec![Problem::error(
            pointer,
            "lint:scheme",
            "Only https:// (or http://) URLs can receive webhooks.",
        )],
        Err(url::ParseError::InvalidPort) => {
            uncallable("The port must be a number from 1 to 65535.".into())
        }
        Err(url::ParseError::EmptyHost) => uncallable(NO_HOST.into()),
        // The page's url parser has no Unicode tables (Cargo.toml): a host it cannot map is either
        // written with non-ASCII letters or holds a percent-encoded byte no host name may have.
        Err(url::ParseError::IdnaError | url::ParseError::InvalidDomainCharacter)
            if host_text(target).contains('%') || host_text(target).is_ascii() =>
        {
            uncallable("The host has a character no host name may have.".into())
        }
        Err(url::ParseError::IdnaError) => {
            uncallable("Write a host name with non-ASCII letters in its ASCII form (xn--…).".into())
        }
        Err(url::ParseError::InvalidIpv4Address | url::ParseError::InvalidIpv6Address) => {
            uncallable("The host is not a valid IP address.".into())
        }
        // RFC 3986 (the schema's `format: uri`) allows what browsers and HTTP clients do not.
        Err(e) => uncallable(format!("No HTTP client can call this URL: {e}.").into()),
    }
}

/// The host part of an absolute URL's text, as typed.
fn host_text(url: &str) -> &str {
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    host.rsplit_once(':').map_or(host, |(host, _)| host)
}

/// The rules every vendor's target URL obeys.
pub(crate) fn target_url(pointer: &'static str, url: &Url) -> Vec<Problem> {
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
    // A token in the query is how an endpoint without signed deliveries often checks its caller,
    // but the URL is no secret: the vendor shows and logs it, and Hookpanel keeps it as typed.
    if let Some((name, _)) = url
        .query_pairs()
        .find(|(name, value)| !value.is_empty() && names_a_credential_in_a_query(name))
    {
        out.push(Problem::warning(
            pointer,
            "lint:credential-in-query",
            format!(
                "“{name}” in the query looks like a credential: vendors show and log target URLs, and Hookpanel keeps them unmasked. Use the webhook's secret or a custom header where the vendor has one."
            ),
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

/// A query parameter's name that says its value is a credential: one a member would be a secret
/// by ([`crate::schema::looks_like_credential`]), or the short names URLs carry keys and
/// signatures under (`?key=`, `?sig=`).
fn names_a_credential_in_a_query(name: &str) -> bool {
    crate::schema::looks_like_credential(name)
        || ["key", "sig", "signature", "code"]
            .iter()
            .any(|short| name.eq_ignore_ascii_case(short))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether each read-only field is in `draft`, looked up one by one.
    fn looked_up(fields: &ReadOnlyFields, draft: &Value) -> Vec<bool> {
        fields
            .fields
            .iter()
            .map(|field| crate::draft::get(draft, &field.pointer).is_some())
            .collect()
    }

    /// Whether each field is in `draft`, as the lint rules read `found_in`.
    fn found(fields: &ReadOnlyFields, draft: &Value) -> Vec<bool> {
        let mask = fields.found_in(draft);
        (0..fields.fields.len())
            .map(|i| fields.is_found(mask, i, draft))
            .collect()
    }

    /// `found_in` against looking each field up, on drafts with every other field, with all of
    /// them, and with all of them among enough other fields that objects are not scanned.
    fn agrees_with_looking_up(fields: &ReadOnlyFields, what: &str) {
        let mut drafts = Vec::new();
        for (i, _) in fields.fields.iter().enumerate() {
            let mut draft = serde_json::json!({});
            for (j, field) in fields.fields.iter().enumerate() {
                if (i + j) % 2 == 0 {
                    crate::draft::set(&mut draft, &field.pointer, Some(Value::Null));
                }
            }
            drafts.push(draft);
        }
        let mut all = serde_json::json!({});
        for field in &fields.fields {
            crate::draft::set(&mut all, &field.pointer, Some(serde_json::json!("x")));
        }
        drafts.push(all.clone());
        for parent in &fields.parents {
            for n in 0..crate::draft::SCANNED_FIELDS + 4 {
                let pointer = format!("{}/other{n}", parent.pointer);
                crate::draft::set(&mut all, &pointer, Some(Value::Bool(true)));
            }
        }
        drafts.push(all);
        drafts.push(serde_json::json!([1, 2]));
        for draft in &drafts {
            assert_eq!(
                found(fields, draft),
                looked_up(fields, draft),
                "{what}: {draft}"
            );
        }
        for every in &drafts[drafts.len() - 3..drafts.len() - 1] {
            assert!(found(fields, every).iter().all(|f| *f), "{what}: {every}");
        }
    }

    #[test]
    fn read_only_fields_are_found_as_looking_each_up_finds_them() {
        let mut schemas = 0;
        for vendor in VendorId::ALL {
            for operation in Operation::ALL {
                let fields = read_only_fields(vendor, operation);
                if !fields.fields.is_empty() {
                    schemas += 1;
                    agrees_with_looking_up(fields, &format!("{vendor:?} {operation:?}"));
                }
            }
        }
        assert!(schemas > 0, "no schema has read-only fields");
        // Nested objects, names that need escaping, two read-only fields of one length.
        let schema = serde_json::json!({"properties": {
            "id": {"readOnly": true},
            "a/b": {"readOnly": true},
            "ab": {"readOnly": true},
            "meta": {"properties": {
                "~x": {"readOnly": true},
                "kept": {},
                "deep": {"properties": {"at": {"readOnly": true}}}
            }}
        }});
        let fields = ReadOnlyFields::of(&schema);
        assert_eq!(fields.fields.len(), 5);
        assert_eq!(fields.parents.len(), 3);
        agrees_with_looking_up(&fields, "nested");
        // More fields than the mask holds: the rest are looked up one by one.
        let many: serde_json::Map<String, Value> = (0..70)
            .map(|i| (format!("f{i}"), serde_json::json!({"readOnly": true})))
            .collect();
        let fields = ReadOnlyFields::of(&serde_json::json!({"properties": many}));
        assert_eq!(fields.fields.len(), 70);
        agrees_with_looking_up(&fields, "70 fields");
    }

    #[test]
    fn a_name_of_the_right_length_is_not_taken_for_a_read_only_one() {
        let fields = read_only_fields(VendorId::SuperOffice, Operation::Create);
        // "Properties" is as long as "Registered", "Headers" as "Updated".
        let draft = serde_json::json!({"Properties": {}, "Headers": {}, "Registered": "x"});
        let found: Vec<&str> = fields
            .fields
            .iter()
            .zip(found(fields, &draft))
            .filter(|(_, found)| *found)
            .map(|(field, _)| field.pointer.as_str())
            .collect();
        assert_eq!(found, ["/Registered"]);
    }
}
