//! Hookpanel's domain, free of UI, DOM and I/O: the vendor catalogue, validation of drafts against
//! each vendor's JSON Schemas, request plans, and decoding of vendor answers.
//!
//! The way data goes: a draft (what the admin typed) is checked by [`validate`], turned into an
//! [`HttpRequest`] by [`plan`], sent by the caller, and the [`HttpResponse`] is read back by
//! [`decode`]. Everything here is plain data, so the preview, "copy as curl" and the real call are
//! made from the same value.

pub mod allocator;
pub mod answer;
pub mod auth;
pub mod call;
pub mod catalogue;
pub mod connection;
pub mod decode;
pub mod delivery;
pub mod draft;
pub mod edit;
pub mod form;
pub mod http;
mod lint;
pub mod listing;
pub mod number;
pub mod plan;
pub mod problem;
pub mod roles;
pub mod schema;
pub mod sync;
pub mod vendors;

/// Where the page runs: small blocks kept by size between keystrokes ([`allocator`]).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: allocator::Kept = allocator::Kept::new();

pub use answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
pub use call::{Call, PlanError, Step};
pub use catalogue::{Action, Capabilities, Capability, Operation, VendorId};
pub use connection::{Connection, Credentials, Secret};
pub use decode::{decode, decode_token};
pub use delivery::{Authenticity, Checked, Delivery, DeliveryKey, Signing};
pub use http::{Body, Header, HttpRequest, HttpResponse, Method};
pub use listing::{LIST_BOUND, ListEnd, ListPage, ListRead};
pub use plan::{plan, plan_steps, token_request};
pub use problem::{Problem, Severity};

/// Every problem with a draft: what the vendor would reject (errors, from the schema) and what is
/// legal but unwise (warnings, from the lint rules), each keyed by JSON Pointer.
pub fn validate(vendor: VendorId, operation: Operation, draft: &serde_json::Value) -> Vec<Problem> {
    let mut problems = schema::check(vendor, operation, draft);
    lint::check(vendor, operation, draft, &mut problems);
    problems
}

/// The largest draft Hookpanel checks, in bytes of its text: 1 MiB, some thousand times a real
/// webhook definition. A larger one is refused whole, in the page and the CLI, rather than freeze
/// a keystroke or fill the memory (the CLI once read `/dev/zero` until it ran out).
pub const MAX_DRAFT_BYTES: usize = 1 << 20;

/// Parses the raw text of a draft and validates it: the path the raw JSON editor takes on every
/// keystroke. A syntax error is one problem at the root, with the line and column in its message;
/// a text over [`MAX_DRAFT_BYTES`] is one problem saying so, and is not parsed.
pub fn validate_text(vendor: VendorId, operation: Operation, text: &str) -> Vec<Problem> {
    // The last draft parsed here is kept to be parsed into again (`draft::parse_into`): the next
    // text is most often this one with a keystroke's difference.
    thread_local! {
        static LAST: std::cell::RefCell<serde_json::Value> = const {
            std::cell::RefCell::new(serde_json::Value::Null)
        };
    }
    LAST.with_borrow_mut(|draft| validate_text_into(vendor, operation, text, draft))
}

/// [`validate_text`], the text parsed into `draft` (reusing what it holds: the last draft, or
/// `Value::Null` for a text parsed fresh, as a draft pasted whole is). After a syntax error
/// `draft` holds part of the text, to be parsed into again.
pub fn validate_text_into(
    vendor: VendorId,
    operation: Operation,
    text: &str,
    draft: &mut serde_json::Value,
) -> Vec<Problem> {
    if text.len() > MAX_DRAFT_BYTES {
        return vec![Problem::too_large(text.len())];
    }
    match draft::parse_into(text, draft) {
        Ok(()) => validate(vendor, operation, draft),
        Err(e) => vec![Problem::syntax(&e)],
    }
}
