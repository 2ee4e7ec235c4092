//! Reading vendor answers: subscriptions out of bodies, and every failure as one [`VendorError`].
//! Answers are read leniently: unknown fields are kept in `raw`, odd date formats kept as text.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

use crate::listing::ListPage;
use crate::problem::Problem;
use crate::vendors::adapter;
use crate::{Action, HttpResponse, VendorId};

/// A subscription's state, as the vendor reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Active,
    /// Paused or stopped by the admin.
    Paused,
    /// Paused or stopped by the vendor (too many failed deliveries, failed test); the text says why.
    Failing(String),
    /// A state this version does not know; shown as the vendor wrote it.
    Other(String),
}

impl SubscriptionStatus {
    pub fn label(&self) -> &str {
        match self {
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Paused => "paused",
            SubscriptionStatus::Failing(_) => "failing",
            SubscriptionStatus::Other(s) => s,
        }
    }
}

/// One webhook subscription at a vendor. `Debug` leaves out the vendor's record, which may hold
/// secrets (SuperOffice returns `Secret` and custom header values).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub status: SubscriptionStatus,
    pub target_url: Option<String>,
    pub events: Vec<String>,
    pub created_at: Option<String>,
    /// The vendor's object as it came, unknown fields included.
    pub raw: Value,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields = self.raw.as_object().map_or(0, serde_json::Map::len);
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("target_url", &self.target_url)
            .field("events", &self.events)
            .field("created_at", &self.created_at)
            .field("raw", &format_args!("{{…{fields} fields, not shown}}"))
            .finish()
    }
}

/// What a successful call gave back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Outcome {
    One(Subscription),
    /// One page of the vendor's list.
    Page(ListPage),
    Deleted,
    /// A sample payload, as the vendor sent it.
    Sample(Value),
    /// A test delivery's result, in the vendor's words.
    Tested {
        success: bool,
        message: String,
    },
}

/// Every way a vendor call can fail, for every vendor.
#[derive(Clone, Debug, PartialEq)]
pub enum VendorError {
    /// 401: the credentials were refused.
    Unauthorized(String),
    /// 403: the credentials lack a permission.
    Forbidden(String),
    /// 404: no such subscription (or wrong base URL).
    NotFound(String),
    /// 400/409/422: the vendor rejected the request; problems map onto fields where it said which.
    Rejected {
        message: String,
        problems: Vec<Problem>,
    },
    /// 429: slow down; retry after this many seconds, if the vendor said.
    RateLimited { retry_after: Option<u64> },
    /// 5xx other than 503.
    Server { status: u16 },
    /// 503: down for maintenance.
    Unavailable { retry_after: Option<u64> },
    /// A 2xx whose body is not what the vendor documents.
    Malformed(String),
    /// Any other status.
    Unexpected { status: u16, body: String },
}

impl VendorError {
    /// The HTTP status, where there was one of note.
    pub fn status(&self) -> Option<u16> {
        match self {
            VendorError::Unauthorized(_) => Some(401),
            VendorError::Forbidden(_) => Some(403),
            VendorError::NotFound(_) => Some(404),
            VendorError::RateLimited { .. } => Some(429),
            VendorError::Server { status } | VendorError::Unexpected { status, .. } => {
                Some(*status)
            }
            VendorError::Unavailable { .. } => Some(503),
            VendorError::Rejected { .. } | VendorError::Malformed(_) => None,
        }
    }

    /// What the admin can do about it.
    pub fn next_step(&self) -> String {
        match self {
            VendorError::Unauthorized(_) => {
                "Check the connection's credentials, then try again.".into()
            }
            VendorError::Forbidden(_) => {
                "Ask an administrator of the vendor account for this permission.".into()
            }
            VendorError::NotFound(_) => {
                "Refresh the list: it may have been deleted. Check the base URL too.".into()
            }
            VendorError::Rejected { .. } => "Fix the fields marked, then send again.".into(),
            VendorError::RateLimited {
                retry_after: Some(s),
            } => format!("Wait {s} s, then try again."),
            VendorError::RateLimited { retry_after: None } => {
                "Wait a minute, then try again.".into()
            }
            VendorError::Server { .. } => {
                "The vendor had a problem. Try again in a moment; your draft is kept.".into()
            }
            VendorError::Unavailable { .. } => {
                "The vendor is down for maintenance. Try again later; your draft is kept.".into()
            }
            VendorError::Malformed(_) => {
                "Refresh to see what the vendor holds now before trying again.".into()
            }
            VendorError::Unexpected { .. } => {
                "Try again; if it persists, copy the request as curl to investigate.".into()
            }
        }
    }

    /// Problems to show on fields (only [`VendorError::Rejected`] has any).
    pub fn problems(&self) -> &[Problem] {
        match self {
            VendorError::Rejected { problems, .. } => problems,
            _ => &[],
        }
    }
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VendorError::Unauthorized(m)
            | VendorError::Forbidden(m)
            | VendorError::NotFound(m)
            | VendorError::Rejected { message: m, .. } => f.write_str(m),
            VendorError::RateLimited { .. } => {
                f.write_str("Too many requests: the vendor asks to slow down.")
            }
            VendorError::Server { status } => write!(f, "The vendor's server failed ({status})."),
            VendorError::Unavailable { .. } => {
                f.write_str("The vendor is temporarily offline (503).")
            }
            VendorError::Malformed(why) => {
                write!(f, "The vendor's answer could not be read: {why}")
            }
            VendorError::Unexpected { status, .. } => {
                write!(f, "The vendor answered with an unexpected status {status}.")
            }
        }
    }
}

/// Reads a vendor's answer to `action`.
pub fn decode(
    vendor: VendorId,
    action: Action,
    response: &HttpResponse,
) -> Result<Outcome, VendorError> {
    adapter(vendor).decode(action, response)
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
pub(crate) fn json_body(response: &HttpResponse) -> Result<Value, VendorError> {
    serde_json::from_str(&response.body)
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
