//! What every adapter uses: reading a status, a JSON body and its fields, making a body from a
//! draft, putting an id in a path. Written once, here; the adapters import it, and nothing here
//! imports an adapter.

use serde_json::Value;

use crate::answer::VendorError;
use crate::call::PlanError;
use crate::http::{Body, HttpResponse};
use crate::{Operation, VendorId};

/// Whether the vendor's answer is a success (any 2xx).
pub(crate) fn succeeded(response: &HttpResponse) -> bool {
    (200..300).contains(&response.status)
}

/// The draft as the JSON object a body is made of, or the sentence that says it is not one.
pub(crate) fn object(draft: &Value) -> Result<&serde_json::Map<String, Value>, PlanError> {
    draft
        .as_object()
        .ok_or_else(|| PlanError::Draft("The draft must be a JSON object.".into()))
}

/// The body of a JSON request, with its secret values by the schema of `secrets` (a vendor's
/// operation: where it marks them, and members it does not declare named like credentials)
/// marked for masking in every rendering of the request.
pub(crate) fn json_body(
    content_type: &str,
    value: &Value,
    secrets: Option<(VendorId, Operation)>,
) -> Body {
    Body {
        content_type: content_type.to_string(),
        text: serde_json::to_string_pretty(value).unwrap_or_default(),
        secret_pointers: secrets
            .map(|(vendor, operation)| {
                crate::schema::secrets_of(vendor, operation, value)
                    .into_iter()
                    .map(|s| s.pointer)
                    .collect()
            })
            .unwrap_or_default(),
        secret: false,
    }
}

/// A draft as it is sent: without the fields the schema marks read-only, which the vendor owns
/// (the lint rule `lint:read-only` warns about each one).
pub(crate) fn without_read_only(vendor: VendorId, operation: Operation, draft: &Value) -> Value {
    let mut body = draft.clone();
    if let Some(schema) = crate::schema::schema(vendor, operation) {
        for pointer in crate::schema::read_only_pointers(schema) {
            if body.pointer(&pointer).is_some() {
                crate::draft::set(&mut body, &pointer, None);
            }
        }
    }
    body
}

/// Appends a path segment, percent-encoding what the admin typed (an id) so it stays one segment.
pub(crate) fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The failure every vendor shares for a status, with the vendor's own words per status.
pub(crate) fn status_error(
    response: &HttpResponse,
    words: &dyn Fn(u16) -> Option<&'static str>,
) -> VendorError {
    let status = response.status;
    let said = |fallback: &str| words(status).unwrap_or(fallback).to_string();
    let retry_after = response
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    match status {
        401 => VendorError::Unauthorized(said("The credentials were refused.")),
        403 => VendorError::Forbidden(said("The credentials lack permission for this.")),
        404 => VendorError::NotFound(said("Not found.")),
        400 | 409 | 422 => VendorError::Rejected {
            message: said("The vendor rejected the request."),
            problems: Vec::new(),
        },
        429 => VendorError::RateLimited { retry_after },
        503 => VendorError::Unavailable { retry_after },
        500..=599 => VendorError::Server { status },
        _ => VendorError::Unexpected {
            status,
            body: response.body.chars().take(500).collect(),
        },
    }
}

/// Parses a 2xx body as JSON, or says why not.
pub(crate) fn parse_json(response: &HttpResponse) -> Result<Value, VendorError> {
    crate::draft::parse(&response.body)
        .map_err(|e| VendorError::Malformed(format!("not JSON ({e}).")))
}

/// A string field, if present.
pub(crate) fn str_field(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A list of strings, skipping anything else.
pub(crate) fn str_list(value: &Value, key: &str) -> Vec<String> {
    crate::draft::strings_at(value, &crate::problem::child_pointer("", key))
}

/// The same failure in the vendor's own words, taken from its answer, for the kinds that carry a
/// message; other kinds are returned as they are.
pub(crate) fn with_message(error: VendorError, said: String) -> VendorError {
    match error {
        VendorError::Unauthorized(_) => VendorError::Unauthorized(said),
        VendorError::Forbidden(_) => VendorError::Forbidden(said),
        VendorError::NotFound(_) => VendorError::NotFound(said),
        VendorError::Rejected { problems, .. } => VendorError::Rejected {
            message: said,
            problems,
        },
        other => other,
    }
}

/// An id, whether the vendor wrote it as text or as a number.
pub(crate) fn id_field(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Cuts a vendor's message to a length a toast can show.
pub(crate) fn short_text(text: &str) -> String {
    const MAX: usize = 300;
    let text = text.trim();
    if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX - 1).collect::<String>())
    } else {
        text.to_string()
    }
}

/// Whether `body`'s `field` names one of the events `vendor`'s event schema lists there: how a
/// delivery whose headers say nothing shows whose it is (the schema is the one list of them).
pub(crate) fn names_listed_event(vendor: VendorId, body: Option<&Value>, field: &str) -> bool {
    let Some(event) = body.and_then(|b| b.get(field)).and_then(Value::as_str) else {
        return false;
    };
    crate::schema::schema(vendor, Operation::Event)
        .and_then(|schema| schema.pointer(&format!("/properties/{field}/enum")))
        .and_then(Value::as_array)
        .is_some_and(|listed| listed.iter().any(|e| e.as_str() == Some(event)))
}
