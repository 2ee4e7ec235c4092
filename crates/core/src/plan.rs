//! Request plans: from a connection and what the admin asks for, the exact HTTP request to send.
//!
//! A native action is one request, made by [`plan`]. An emulated action (Kajabi's modify, pause and
//! resume) is several requests or a different one than its name says, so [`plan`] refuses it and
//! [`plan_steps`] lays out every request, in order, for the UI to show and confirm before sending.

use serde_json::Value;
use std::fmt;
use url::Url;

use crate::http::HttpRequest;
use crate::vendors::adapter;
use crate::{Action, Capability, Connection};

/// What the admin asks a vendor to do.
#[derive(Clone, Copy, Debug)]
pub enum Call<'a> {
    /// One page of the vendor's list, counted from 1. A vendor whose list does not page answers
    /// everything on page 1; [`crate::listing::ListRead`] reads every page.
    List {
        page: u32,
    },
    Get {
        id: &'a str,
    },
    Create {
        draft: &'a Value,
    },
    Modify {
        id: &'a str,
        draft: &'a Value,
    },
    Pause {
        id: &'a str,
    },
    Resume {
        id: &'a str,
    },
    Delete {
        id: &'a str,
    },
    /// Resume a subscription whose pause was emulated by deleting it (Kajabi): create it again from
    /// the create draft kept when it was paused. Its action is [`Action::Resume`]; it is only
    /// accepted where resume is emulated, since elsewhere [`Call::Resume`] resumes in place.
    Recreate {
        draft: &'a Value,
    },
    /// Asks the vendor to send a test delivery for a webhook definition (SuperOffice pings it).
    Test {
        draft: &'a Value,
    },
    /// The vendor's sample payload for an event (Kajabi).
    Sample {
        event: &'a str,
    },
}

impl Call<'_> {
    pub fn action(&self) -> Action {
        match self {
            Call::List { .. } => Action::List,
            Call::Get { .. } => Action::Get,
            Call::Create { .. } => Action::Create,
            Call::Modify { .. } => Action::Modify,
            Call::Pause { .. } => Action::Pause,
            Call::Resume { .. } | Call::Recreate { .. } => Action::Resume,
            Call::Delete { .. } => Action::Delete,
            Call::Test { .. } => Action::Test,
            Call::Sample { .. } => Action::Sample,
        }
    }

    /// The id the call names, for the calls that name one.
    fn id(&self) -> Option<&str> {
        match self {
            Call::Get { id }
            | Call::Modify { id, .. }
            | Call::Pause { id }
            | Call::Resume { id }
            | Call::Delete { id } => Some(id),
            // An event name goes into the path like an id.
            Call::Sample { event } => Some(event),
            Call::List { .. } | Call::Create { .. } | Call::Recreate { .. } | Call::Test { .. } => {
                None
            }
        }
    }
}

/// Why no request could be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The vendor's API lacks the action; the sentence says so.
    Absent(&'static str),
    /// The action is emulated with other requests: plan it with [`plan_steps`], and confirm it
    /// first. The sentence says how it is done and what is lost.
    Emulated(&'static str),
    /// The connection has no usable base URL.
    BaseUrl(String),
    /// A credential the vendor needs is empty.
    MissingCredential(&'static str),
    /// The connection's credentials are of a scheme this vendor does not take.
    WrongScheme(&'static str),
    /// The draft cannot be made into a body (not an object, say).
    Draft(String),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Absent(sentence) | PlanError::Emulated(sentence) => f.write_str(sentence),
            PlanError::BaseUrl(why) => write!(f, "The connection's base URL is not usable: {why}"),
            PlanError::MissingCredential(what) => {
                write!(f, "Enter the {what} in the connection first.")
            }
            PlanError::WrongScheme(expected) => write!(f, "This vendor signs in with {expected}."),
            PlanError::Draft(why) => f.write_str(why),
        }
    }
}

/// The exact request for `call` on `connection`, for an action the vendor's API has natively.
/// An emulated action is refused with [`PlanError::Emulated`]: use [`plan_steps`] for it.
pub fn plan(connection: &Connection, call: Call<'_>) -> Result<HttpRequest, PlanError> {
    let vendor = adapter(connection.vendor);
    match vendor.spec().capability(call.action()) {
        Capability::Absent(sentence) => return Err(PlanError::Absent(sentence)),
        Capability::Emulated(sentence) => return Err(PlanError::Emulated(sentence)),
        Capability::Native => {}
    }
    if let Call::Recreate { .. } = call {
        return Err(recreate_refused(connection));
    }
    check_id(call)?;
    let base = base_url(&connection.base_url)?;
    vendor.plan(&base, &connection.credentials, call)
}

/// One request of a planned action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The native action this request performs: pass it to [`crate::decode`] with the answer.
    /// For an emulated action it differs from the call's (Kajabi's pause is a [`Action::Delete`]).
    pub action: Action,
    pub request: HttpRequest,
}

/// Every request `call` takes on `connection`, in the order to send them: one for a native
/// action, several or a stand-in for an emulated one. Send them one by one and stop at the first
/// failure; the outcome of the action is the outcome of the last step.
///
/// Kajabi, the one vendor with emulated actions:
/// - modify is `[POST /hooks (the new draft), DELETE /hooks/{old id}]`: the new hook is created
///   first so that a draft Kajabi rejects leaves the old hook working; if the delete then fails,
///   both hooks exist and the admin is left with a duplicate to delete, rather than with nothing;
/// - pause is `[DELETE /hooks/{id}]`: the caller keeps the hook's create draft (see
///   [`crate::vendors::kajabi_create_draft`]); events until resume are lost;
/// - resume is [`Call::Recreate`] with that kept draft: `[POST /hooks]`, which gives a new id.
///   [`Call::Resume`] by id cannot be done, since nothing of a deleted hook remains at Kajabi.
pub fn plan_steps(connection: &Connection, call: Call<'_>) -> Result<Vec<Step>, PlanError> {
    let vendor = adapter(connection.vendor);
    let capability = vendor.spec().capability(call.action());
    if let Capability::Absent(sentence) = capability {
        return Err(PlanError::Absent(sentence));
    }
    if matches!(call, Call::Recreate { .. }) && capability == Capability::Native {
        return Err(recreate_refused(connection));
    }
    check_id(call)?;
    let base = base_url(&connection.base_url)?;
    vendor.plan_steps(&base, &connection.credentials, call)
}

fn recreate_refused(connection: &Connection) -> PlanError {
    PlanError::Draft(format!(
        "{} resumes a webhook in place; resume it by its id.",
        connection.vendor.display_name()
    ))
}

/// An id goes into the URL as one percent-encoded path segment, but no encoding keeps an empty
/// id, `.` or `..` from changing the path: `{base}/hooks/` names the list, and URL parsers (the
/// browser's too) resolve `.` and `..`, even spelled `%2e`, so `DELETE {base}/hooks/..` would
/// reach `{base}/`. Such an id is refused rather than sent somewhere else.
fn check_id(call: Call<'_>) -> Result<(), PlanError> {
    match call.id() {
        Some(id) if id.trim().is_empty() => Err(PlanError::Draft(
            "Enter the id of the webhook first.".into(),
        )),
        Some(id @ ("." | "..")) => Err(PlanError::Draft(format!("“{id}” is not a webhook id."))),
        _ => Ok(()),
    }
}

/// Checks a base URL and returns it without a trailing slash, ready for paths to be appended.
pub fn base_url(text: &str) -> Result<String, PlanError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PlanError::BaseUrl("it is empty.".into()));
    }
    let url = parse_for_checks(text).map_err(|e| match e {
        // The page carries no Unicode tables for host names (PERFORMANCE.md): a vendor's API host
        // is ASCII, and any other can be written in its ASCII form.
        url::ParseError::IdnaError => PlanError::BaseUrl(
            "write a host name with non-ASCII letters in its ASCII form (xn--…).".into(),
        ),
        other => PlanError::BaseUrl(format!("{other}.")),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(PlanError::BaseUrl(
            "it must start with https:// (or http:// for a local sandbox).".into(),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(PlanError::BaseUrl(
            "remove the user name and password; put credentials in their own fields.".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(PlanError::BaseUrl(
            "it must not have a ?query or #fragment.".into(),
        ));
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Parses a URL to check its parts (scheme, credentials, host, query), never to send it.
///
/// The URL is ASCII-lowercased first, which changes none of what the checks read. It also keeps
/// uppercase letters from reaching url's host-name step together with non-ASCII ones (a
/// percent-encoded byte such as `%FF` in the host): the Unicode-less idna back end we ship
/// (Cargo.toml) asserts that cannot happen, and panics in debug builds when it does (found by the
/// `validate` fuzz target).
pub(crate) fn parse_for_checks(text: &str) -> Result<Url, url::ParseError> {
    Url::parse(&text.to_ascii_lowercase())
}

/// Appends a path segment, percent-encoding what the admin typed (an id) so it stays one segment.
pub(crate) fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
