//! Sending a planned request with fetch, and telling apart the ways a call can fail before any
//! vendor answers.

use hookpanel_core::{
    Action, HttpRequest, HttpResponse, Method, Outcome, Problem, VendorError, VendorId, decode,
};
use std::fmt;

/// A call that got no answer a page may read.
#[derive(Clone, Debug, PartialEq)]
pub enum NetError {
    /// The browser is offline.
    Offline,
    /// The browser refused or could not make the call: the vendor does not allow calls from a web
    /// page (CORS), or the host cannot be reached. Browsers hide which.
    Blocked { origin: String },
    /// The request could not be built (a header value the browser refuses, say).
    Invalid(String),
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::Offline => f.write_str("You are offline: nothing was sent."),
            NetError::Blocked { origin } => write!(
                f,
                "The browser could not reach {origin}: the vendor may not allow calls from a web page (CORS), or the host is down."
            ),
            NetError::Invalid(why) => write!(f, "The request could not be made: {why}"),
        }
    }
}

impl NetError {
    /// What the admin can do about it.
    pub fn next_step(&self) -> &'static str {
        match self {
            NetError::Offline => "Reconnect, then send again; your draft is kept.",
            NetError::Blocked { .. } => {
                "Point the connection at a relay that allows this page, or copy the request as curl and run it yourself."
            }
            NetError::Invalid(_) => "Check the connection's credentials for unusual characters.",
        }
    }
}

fn origin_of(url: &str) -> String {
    url.split('/').take(3).collect::<Vec<_>>().join("/")
}

fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// Sends the request and reads the whole answer. Any HTTP status is an answer; only a call the
/// page could not make or read is an error. Fetch runs in "cors" mode, so an opaque answer can
/// never be taken for success.
pub async fn send(request: &HttpRequest) -> Result<HttpResponse, NetError> {
    use gloo_net::http::RequestBuilder;
    let builder = match request.method {
        Method::Get => RequestBuilder::new(&request.url).method(gloo_net::http::Method::GET),
        Method::Post => RequestBuilder::new(&request.url).method(gloo_net::http::Method::POST),
        Method::Put => RequestBuilder::new(&request.url).method(gloo_net::http::Method::PUT),
        Method::Patch => RequestBuilder::new(&request.url).method(gloo_net::http::Method::PATCH),
        Method::Delete => RequestBuilder::new(&request.url).method(gloo_net::http::Method::DELETE),
    };
    let builder = request
        .headers
        .iter()
        .fold(builder, |b, h| b.header(&h.name, &h.value))
        .mode(web_sys::RequestMode::Cors)
        .credentials(web_sys::RequestCredentials::Omit);
    let built = match &request.body {
        Some(body) => builder.body(body.text.clone()),
        None => builder.build(),
    }
    .map_err(|e| NetError::Invalid(e.to_string()))?;
    if offline() {
        return Err(NetError::Offline);
    }
    let response = built.send().await.map_err(|_| {
        if offline() {
            NetError::Offline
        } else {
            NetError::Blocked {
                origin: origin_of(&request.url),
            }
        }
    })?;
    let headers = response
        .headers()
        .entries()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let status = response.status();
    let body = response.text().await.map_err(|_| NetError::Blocked {
        origin: origin_of(&request.url),
    })?;
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Why a vendor call did not give an outcome: no readable answer, or the vendor's refusal.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    Net(NetError),
    Vendor(VendorError),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Net(e) => e.fmt(f),
            CallError::Vendor(e) => e.fmt(f),
        }
    }
}

impl CallError {
    /// What the admin can do about it.
    pub fn next_step(&self) -> String {
        match self {
            CallError::Net(e) => e.next_step().to_string(),
            CallError::Vendor(e) => e.next_step(),
        }
    }

    /// Problems the vendor pinned on fields of the draft.
    pub fn problems(&self) -> &[Problem] {
        match self {
            CallError::Net(_) => &[],
            CallError::Vendor(e) => e.problems(),
        }
    }
}

/// Makes one call to a vendor: sends the planned request and reads the answer with core.
pub async fn call(
    vendor: VendorId,
    action: Action,
    request: &HttpRequest,
) -> Result<Outcome, CallError> {
    let response = send(request).await.map_err(CallError::Net)?;
    decode(vendor, action, &response).map_err(CallError::Vendor)
}
