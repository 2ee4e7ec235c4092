//! What vendors answer, as every vendor's adapter reads it: subscriptions, outcomes, and every
//! failure as one [`VendorError`]. Answers are read leniently: unknown fields are kept in `raw`,
//! odd date formats kept as text.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

use crate::listing::ListPage;
use crate::problem::Problem;

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
