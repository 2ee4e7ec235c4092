//! Request plans: from a connection and what the admin asks for, the exact HTTP request to send.
//!
//! A native action is one request, made by [`plan`]. An emulated action (Kajabi's modify, pause and
//! resume) is several requests or a different one than its name says, so [`plan`] refuses it and
//! [`plan_steps`] lays out every request, in order, for the UI to show and confirm before sending.

use url::Url;

use crate::call::{Call, PlanError, Step};
use crate::http::HttpRequest;
use crate::vendors::with_adapter;
use crate::{Capability, Connection, Secret, VendorId};

/// The exact request for `call` on `connection`, for an action the vendor's API has natively.
/// An emulated action is refused with [`PlanError::Emulated`]: use [`plan_steps`] for it.
pub fn plan(connection: &Connection, call: Call<'_>) -> Result<HttpRequest, PlanError> {
    match crate::vendors::spec(connection.vendor).capability(call.action()) {
        Capability::Absent(sentence) => return Err(PlanError::Absent(sentence)),
        Capability::Emulated(sentence) => return Err(PlanError::Emulated(sentence)),
        Capability::Native => {}
    }
    if let Call::Recreate { .. } = call {
        return Err(recreate_refused(connection));
    }
    check_id(call)?;
    let base = base_url(&connection.base_url)?;
    with_adapter!(connection.vendor, |a| a.plan(
        &base,
        &connection.credentials,
        call
    ))
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
    let capability = crate::vendors::spec(connection.vendor).capability(call.action());
    if let Capability::Absent(sentence) = capability {
        return Err(PlanError::Absent(sentence));
    }
    if matches!(call, Call::Recreate { .. }) && capability == Capability::Native {
        return Err(recreate_refused(connection));
    }
    check_id(call)?;
    let base = base_url(&connection.base_url)?;
    with_adapter!(connection.vendor, |a| a.plan_steps(
        &base,
        &connection.credentials,
        call
    ))
}

fn recreate_refused(connection: &Connection) -> PlanError {
    PlanError::Draft(format!(
        "{} resumes a webhook in place; resume it by its id.",
        connection.vendor.display_name()
    ))
}

/// The request for a token, for a vendor whose sign-in asks for one with a client id and secret
/// first (Kajabi's client credentials). Its answer is read by [`crate::decode::decode_token`].
pub fn token_request(
    vendor: VendorId,
    base: &str,
    client_id: &str,
    client_secret: &Secret,
) -> Result<HttpRequest, PlanError> {
    let base = base_url(base)?;
    with_adapter!(vendor, |a| a.token_request(&base, client_id, client_secret))
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
