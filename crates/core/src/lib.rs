//! Hookpanel's domain, free of UI, DOM and I/O: the vendor catalogue, validation of drafts against
//! each vendor's JSON Schemas, request plans, and decoding of vendor answers.
//!
//! The way data goes: a draft (what the admin typed) is checked by [`validate`], turned into an
//! [`HttpRequest`] by [`plan`], sent by the caller, and the [`HttpResponse`] is read back by
//! [`decode`]. Everything here is plain data, so the preview, "copy as curl" and the real call are
//! made from the same value.

pub mod auth;
pub mod catalogue;
pub mod connection;
pub mod decode;
pub mod draft;
pub mod edit;
pub mod form;
pub mod http;
mod keywords;
mod lint;
pub mod plan;
pub mod problem;
pub mod schema;
pub mod vendors;

pub use catalogue::{Action, Capability, Operation, VendorId};
pub use connection::{Connection, Credentials, Secret};
pub use decode::{Outcome, Subscription, SubscriptionStatus, VendorError, decode};
pub use http::{Body, Header, HttpRequest, HttpResponse, Method};
pub use plan::{Call, PlanError, Step, plan, plan_steps};
pub use problem::{Problem, Severity};

/// Every problem with a draft: what the vendor would reject (errors, from the schema) and what is
/// legal but unwise (warnings, from the lint rules), each keyed by JSON Pointer.
pub fn validate(vendor: VendorId, operation: Operation, draft: &serde_json::Value) -> Vec<Problem> {
    let mut problems = schema::check(vendor, operation, draft);
    lint::check(vendor, operation, draft, &mut problems);
    problems
}

/// Parses the raw text of a draft and validates it: the path the raw JSON editor takes on every
/// keystroke. A syntax error is one problem at the root, with the line and column in its message.
pub fn validate_text(vendor: VendorId, operation: Operation, text: &str) -> Vec<Problem> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(draft) => validate(vendor, operation, &draft),
        Err(e) => vec![Problem::syntax(&e)],
    }
}
