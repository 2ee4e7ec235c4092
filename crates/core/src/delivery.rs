//! Checking a delivery a receiver got: is it what the vendor documents, and did it come from the
//! vendor? A delivery is read from what the admin pastes (the raw HTTP request, or the body
//! alone), its vendor and event recognised where they can be, its body checked against the
//! vendor's event schema, and its signature or shared secret verified as the vendor's docs say
//! (each adapter knows its own: [`crate::vendors`]).
//!
//! The body is kept as the bytes that arrived: a signature is over those, never over JSON parsed
//! and printed again. Secrets are compared in constant time.

use serde::Serialize;
use serde_json::Value;

use crate::problem::Problem;
use crate::vendors::with_adapter;
use crate::{MAX_DRAFT_BYTES, Operation, Secret, VendorId, validate};

/// What a receiver got: its headers (names as sent) and its body's bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Delivery {
    /// Reads a pasted delivery: a raw HTTP request (`POST /path HTTP/1.1`, headers, a blank line,
    /// the body), headers and a body without the request line, or the body alone. Line ends may be
    /// `\r\n` or `\n`; the body is left exactly as it is.
    pub fn parse(bytes: &[u8]) -> Delivery {
        let text = String::from_utf8_lossy(bytes);
        let first = text.lines().next().unwrap_or_default();
        let request_line = is_request_line(first);
        if !request_line && !is_header_line(first) {
            return Delivery {
                headers: Vec::new(),
                body: bytes.to_vec(),
            };
        }
        // Find the blank line that ends the head, in the bytes (the body must stay as it came).
        let (head_end, body_start) = match find(bytes, b"\r\n\r\n") {
            Some(i) => (i, i + 4),
            None => match find(bytes, b"\n\n") {
                Some(i) => (i, i + 2),
                None => (bytes.len(), bytes.len()),
            },
        };
        let head = String::from_utf8_lossy(&bytes[..head_end]);
        let headers = head
            .lines()
            .skip(usize::from(request_line))
            .filter_map(|line| {
                let (name, value) = line.split_once(':')?;
                Some((name.trim().to_string(), value.trim().to_string()))
            })
            .collect();
        Delivery {
            headers,
            body: bytes[body_start..].to_vec(),
        }
    }

    /// A header's value, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn is_request_line(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(method), Some(_), Some(version))
            if method.chars().all(|c| c.is_ascii_uppercase()) && version.starts_with("HTTP/")
    )
}

fn is_header_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// How a delivery proves it came from the vendor, as the vendor's docs say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Authenticity {
    /// The signature header matches the body and the secret.
    SignatureMatches {
        header: &'static str,
        /// The body matched once the one line break a paste adds at its end was removed.
        trailing_newline_removed: bool,
    },
    /// The signature header does not match: another secret, or a body changed on the way.
    SignatureDiffers { header: &'static str },
    /// A secret was given, but the delivery carries no signature.
    SignatureMissing { header: &'static str },
    /// The delivery is signed, but no secret was given to check the signature with.
    SignatureUnchecked { header: &'static str },
    /// Neither a signature nor a secret: the vendor signs only webhooks that have a secret.
    Unsigned { header: &'static str },
    /// A header carries the shared secret the admin gave.
    SecretMatches { header: String },
    /// The shared secret is in no header (or not in the one named).
    SecretMissing { expected: Option<String> },
    /// The vendor sends a shared secret only where the webhook has one, and none was given.
    NoSecretGiven,
    /// The vendor does not sign deliveries or send a secret: there is nothing to check.
    NotSigned,
}

impl Authenticity {
    /// Whether the delivery is shown to be the vendor's: `None` where nothing can tell (then only
    /// the schema decides), `Some(false)` where a check failed or could be made and was not.
    pub fn passed(&self) -> Option<bool> {
        match self {
            Authenticity::SignatureMatches { .. } | Authenticity::SecretMatches { .. } => {
                Some(true)
            }
            Authenticity::Unsigned { .. }
            | Authenticity::NoSecretGiven
            | Authenticity::NotSigned => None,
            Authenticity::SignatureDiffers { .. }
            | Authenticity::SignatureMissing { .. }
            | Authenticity::SignatureUnchecked { .. }
            | Authenticity::SecretMissing { .. } => Some(false),
        }
    }

    /// What it means, in a sentence that says what to do next where there is something to do.
    pub fn sentence(&self, vendor: VendorId) -> String {
        let name = vendor.display_name();
        match self {
            Authenticity::SignatureMatches {
                header,
                trailing_newline_removed: false,
            } => format!(
                "The signature matches: {header} is the HMAC-SHA256 of this body with the secret, so the delivery comes from {name} and was not changed on the way."
            ),
            Authenticity::SignatureMatches { header, .. } => format!(
                "The signature matches once the line break at the end of the pasted body is removed (a paste adds it): {header} is the HMAC-SHA256 of the body with the secret."
            ),
            Authenticity::SignatureDiffers { header } => format!(
                "The signature does not match: {header} was not made from this body with this secret. Either the secret is not this webhook's, or the body was changed on the way (paste it exactly as it arrived, not reformatted)."
            ),
            Authenticity::SignatureMissing { header } => format!(
                "The {header} header is missing: {name} signs every delivery of a webhook that has a secret, so this one was not signed, or did not come from {name}. Paste the whole request, headers included."
            ),
            Authenticity::SignatureUnchecked { header } => format!(
                "The delivery is signed ({header}), but no secret was given: give the webhook's secret to check the signature."
            ),
            Authenticity::Unsigned { header } => format!(
                "There is no {header} header and no secret was given: {name} signs deliveries only for webhooks that have a secret. Paste the whole request, headers included, and give the secret to check one."
            ),
            Authenticity::SecretMatches { header } => {
                format!("The {header} header carries the webhook's shared secret.")
            }
            Authenticity::SecretMissing {
                expected: Some(header),
            } => format!(
                "The {header} header is missing or does not carry the shared secret: the delivery may not come from {name}, or the header or secret is not this webhook's."
            ),
            Authenticity::SecretMissing { expected: None } => format!(
                "No header carries the secret given: the delivery may not come from {name}, or the webhook has another secret. Paste the whole request, headers included."
            ),
            Authenticity::NoSecretGiven => format!(
                "{name} does not sign deliveries; a webhook with a secret sends it in a header. Give that secret to check it."
            ),
            Authenticity::NotSigned => format!(
                "{name} does not sign deliveries or send a secret with them: nothing in a delivery can show it came from {name}. Only the body is checked."
            ),
        }
    }
}

/// How a vendor lets a receiver tell its deliveries from anyone else's, as its docs say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signing {
    /// `header` holds the Base64 HMAC-SHA256 of the raw body, keyed with the webhook's secret.
    HmacSha256Base64 { header: &'static str },
    /// The webhook's secret is sent as a header's value. `header_chosen`: the admin names the
    /// header (custom headers); otherwise the vendor picks it (and may not say which).
    SharedSecret { header_chosen: bool },
    /// Nothing: no signature, no secret.
    None,
}

impl Signing {
    /// Checks a delivery this way.
    pub fn check(self, delivery: &Delivery, key: &DeliveryKey) -> Authenticity {
        match self {
            Signing::HmacSha256Base64 { header } => signed_with_hmac(delivery, key, header),
            Signing::SharedSecret { .. } => shared_secret(delivery, key),
            Signing::None => Authenticity::NotSigned,
        }
    }
}

/// What the admin checks a delivery with: the webhook's secret, and for a vendor that sends it in
/// a header of the admin's choosing (Saleshandy's custom headers), that header's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryKey {
    pub secret: Option<Secret>,
    pub header: Option<String>,
}

impl DeliveryKey {
    /// The secret, where one was given and is not blank.
    fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref().filter(|s| !s.is_empty())
    }
}

/// A vendor's HMAC signature check (SuperOffice's): `header` holds the Base64 HMAC-SHA256 of the
/// raw body with the secret.
fn signed_with_hmac(delivery: &Delivery, key: &DeliveryKey, header: &'static str) -> Authenticity {
    match (delivery.header(header), key.secret()) {
        (None, None) => Authenticity::Unsigned { header },
        (None, Some(_)) => Authenticity::SignatureMissing { header },
        (Some(_), None) => Authenticity::SignatureUnchecked { header },
        (Some(signature), Some(secret)) => body_as_pasted(&delivery.body)
            .into_iter()
            .find(|(body, _)| hmac_sha256_matches(secret, body, signature))
            .map_or(Authenticity::SignatureDiffers { header }, |(_, trimmed)| {
                Authenticity::SignatureMatches {
                    header,
                    trailing_newline_removed: trimmed,
                }
            }),
    }
}

/// A vendor that sends a shared secret as a header's value: the header named in `key`, or, where
/// none is named (Collect does not document its header's name), any header.
fn shared_secret(delivery: &Delivery, key: &DeliveryKey) -> Authenticity {
    let Some(secret) = key.secret() else {
        return Authenticity::NoSecretGiven;
    };
    let named = key
        .header
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    let found = delivery
        .headers
        .iter()
        .filter(|(name, _)| named.is_none_or(|n| name.eq_ignore_ascii_case(n)))
        // Every header is compared (no early exit), so the time does not tell which matched.
        .fold(None, |found, (name, value)| {
            let same = same_secret(secret, value);
            found.or(same.then(|| name.clone()))
        });
    match found {
        Some(header) => Authenticity::SecretMatches { header },
        None => Authenticity::SecretMissing {
            expected: named.map(str::to_string),
        },
    }
}

/// A delivery checked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Checked {
    pub vendor: VendorId,
    /// The vendor was told by the delivery itself, not chosen.
    pub recognised: bool,
    /// The event it reports, where it names one.
    pub event: Option<String>,
    /// What the vendor's event schema finds wrong with the body (errors and warnings), or why
    /// the body cannot be read as JSON.
    pub problems: Vec<Problem>,
    pub authenticity: Authenticity,
}

impl Checked {
    /// Whether both the body and its authenticity pass (a vendor with no signing passes on the
    /// body alone).
    pub fn passed(&self) -> bool {
        !crate::problem::has_errors(&self.problems) && self.authenticity.passed() != Some(false)
    }
}

/// The vendor a delivery comes from, as far as it tells: the first adapter that claims it.
pub fn recognise(delivery: &Delivery) -> Option<VendorId> {
    let body = parse_body(&delivery.body).ok();
    VendorId::ALL
        .into_iter()
        .find(|v| with_adapter!(*v, |a| a.claims(delivery, body.as_ref())))
}

/// Checks a delivery as `vendor`'s (or the vendor it shows itself to be, when `vendor` is `None`
/// and it does): its body against the vendor's event schema, and its signature or secret.
/// `None` when no vendor was given and none could be told.
pub fn check(delivery: &Delivery, vendor: Option<VendorId>, key: &DeliveryKey) -> Option<Checked> {
    let (vendor, recognised) = match vendor {
        Some(v) => (v, false),
        None => (recognise(delivery)?, true),
    };
    let (problems, event) = match parse_body(&delivery.body) {
        Ok(body) => (
            validate(vendor, Operation::Event, &body),
            with_adapter!(vendor, |a| a.event_of(delivery, &body)),
        ),
        Err(problem) => (vec![problem], None),
    };
    Some(Checked {
        vendor,
        recognised,
        event,
        problems,
        authenticity: crate::vendors::spec(vendor).signing.check(delivery, key),
    })
}

/// The body as JSON, or the problem that says why it is not.
fn parse_body(body: &[u8]) -> Result<Value, Problem> {
    if body.len() > MAX_DRAFT_BYTES {
        return Err(Problem::error(
            "",
            "size",
            format!(
                "This body is {} bytes; Hookpanel checks bodies up to {} bytes. A webhook delivery is a few KB: paste one delivery.",
                body.len(),
                MAX_DRAFT_BYTES
            ),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::error(
            "",
            "syntax",
            "The body is empty: paste the request with its body, or the body alone.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| Problem::syntax(&e))
}

/// The Base64 HMAC-SHA256 of `body` with `secret` matches `signature`, compared in constant time
/// (`hmac`'s own verification); a signature that is not Base64 matches nothing.
pub(crate) fn hmac_sha256_matches(secret: &Secret, body: &[u8], signature: &str) -> bool {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.expose().as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// Whether two texts are equal, in time that does not depend on where they differ.
pub(crate) fn same_secret(given: &Secret, sent: &str) -> bool {
    use subtle::ConstantTimeEq;
    given.expose().as_bytes().ct_eq(sent.as_bytes()).into()
}

/// A body and the same body without the one line break a paste adds at its end, in that order.
pub(crate) fn body_as_pasted(body: &[u8]) -> Vec<(&[u8], bool)> {
    let mut out = vec![(body, false)];
    let trimmed = body
        .strip_suffix(b"\r\n")
        .or_else(|| body.strip_suffix(b"\n"));
    if let Some(trimmed) = trimmed {
        out.push((trimmed, true));
    }
    out
}
