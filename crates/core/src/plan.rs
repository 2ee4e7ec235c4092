//! Request plans: from a connection and what the admin asks for, the exact HTTP request to send.

use serde_json::Value;
use std::fmt;
use url::Url;

use crate::http::HttpRequest;
use crate::vendors::adapter;
use crate::{Action, Capability, Connection};

/// What the admin asks a vendor to do.
#[derive(Clone, Copy, Debug)]
pub enum Call<'a> {
    List,
    Get { id: &'a str },
    Create { draft: &'a Value },
    Modify { id: &'a str, draft: &'a Value },
    Pause { id: &'a str },
    Resume { id: &'a str },
    Delete { id: &'a str },
}

impl Call<'_> {
    pub fn action(&self) -> Action {
        match self {
            Call::List => Action::List,
            Call::Get { .. } => Action::Get,
            Call::Create { .. } => Action::Create,
            Call::Modify { .. } => Action::Modify,
            Call::Pause { .. } => Action::Pause,
            Call::Resume { .. } => Action::Resume,
            Call::Delete { .. } => Action::Delete,
        }
    }
}

/// Why no request could be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The vendor's API lacks the action; the sentence says so.
    Absent(&'static str),
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
            PlanError::Absent(sentence) => f.write_str(sentence),
            PlanError::BaseUrl(why) => write!(f, "The connection's base URL is not usable: {why}"),
            PlanError::MissingCredential(what) => write!(f, "Enter the {what} in the connection first."),
            PlanError::WrongScheme(expected) => write!(f, "This vendor signs in with {expected}."),
            PlanError::Draft(why) => f.write_str(why),
        }
    }
}

/// The exact request for `call` on `connection`.
pub fn plan(connection: &Connection, call: Call<'_>) -> Result<HttpRequest, PlanError> {
    let vendor = adapter(connection.vendor);
    if let Capability::Absent(sentence) = vendor.spec().capability(call.action()) {
        return Err(PlanError::Absent(sentence));
    }
    let base = base_url(&connection.base_url)?;
    vendor.plan(&base, &connection.credentials, call)
}

/// Checks a base URL and returns it without a trailing slash, ready for paths to be appended.
pub fn base_url(text: &str) -> Result<String, PlanError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PlanError::BaseUrl("it is empty.".into()));
    }
    let url = Url::parse(text).map_err(|e| PlanError::BaseUrl(format!("{e}.")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(PlanError::BaseUrl("it must start with https:// (or http:// for a local sandbox).".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(PlanError::BaseUrl("remove the user name and password; put credentials in their own fields.".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(PlanError::BaseUrl("it must not have a ?query or #fragment.".into()));
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Appends a path segment, percent-encoding what the admin typed (an id) so it stays one segment.
pub(crate) fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
