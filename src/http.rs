//! Sending a planned request with fetch, and telling apart the ways a call can fail before any
//! vendor answers.

use hookpanel_core::auth::{IssuedToken, SignIn};
use hookpanel_core::{
    Action, Call, Connection, HttpRequest, HttpResponse, Method, Outcome, PlanError, Problem, Step,
    VendorError, VendorId, decode, decode_token, plan_steps, token_request,
};
use leptos::prelude::{UpdateValue, WithValue};
use std::fmt;
use std::time::Duration;

use crate::workspace::{ConnectionEntry, Workspace, plain_connection};

/// How long a call may take before it is abandoned. A vendor that has not answered by then is
/// unlikely to; the admin is told, and can look before trying again.
pub const DEFAULT_TIMEOUT_MS: u32 = 20_000;

/// A call that got no answer a page may read.
#[derive(Clone, Debug, PartialEq)]
pub enum NetError {
    /// The browser is offline.
    Offline,
    /// The browser refused or could not make the call: the vendor does not allow calls from a web
    /// page (CORS), or the host cannot be reached. Browsers hide which.
    Blocked { origin: String },
    /// The page's own Content-Security-Policy does not allow connecting to the origin: the
    /// browser sent nothing (told apart from CORS by the `securitypolicyviolation` event).
    RefusedByPolicy { origin: String },
    /// The request could not be built (a header value the browser refuses, say).
    Invalid(String),
    /// No answer within the time allowed: the call was abandoned.
    Timeout { seconds: u32 },
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::Offline => f.write_str("You are offline: nothing was sent."),
            NetError::Blocked { origin } => write!(
                f,
                "The browser could not reach {origin}: the vendor may not allow calls from a web page (CORS), or the host is down."
            ),
            NetError::RefusedByPolicy { origin } => write!(
                f,
                "This page's Content-Security-Policy does not allow connecting to {origin}, so the browser sent nothing."
            ),
            NetError::Invalid(why) => write!(f, "The request could not be made: {why}"),
            NetError::Timeout { seconds } => {
                write!(f, "No answer after {seconds} s: the call was abandoned.")
            }
        }
    }
}

impl NetError {
    /// What the admin can do about it.
    pub fn next_step(&self) -> String {
        match self {
            NetError::Offline => "Reconnect, then send again; your draft is kept.".into(),
            NetError::Blocked { .. } => {
                "Point the connection at a relay that allows this page, or copy the request as curl and run it yourself.".into()
            }
            NetError::RefusedByPolicy { origin } => format!(
                "Build the page with HOOKPANEL_CONNECT_SRC=\"{origin}\" to allow it (README, “Connections the admin chooses”), or copy the request as curl and run it yourself."
            ),
            NetError::Invalid(_) => {
                "Check the connection's credentials for unusual characters.".into()
            }
            NetError::Timeout { .. } => {
                "The vendor may still have acted: refresh the list before sending again.".into()
            }
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
    send_within(request, timeout_ms()).await
}

thread_local! {
    static TIMEOUT_MS: std::cell::Cell<u32> = const { std::cell::Cell::new(DEFAULT_TIMEOUT_MS) };
}

/// Sets how long calls may take (the app's config; tests shorten it).
pub fn set_timeout_ms(ms: u32) {
    TIMEOUT_MS.with(|t| t.set(ms));
}

fn timeout_ms() -> u32 {
    TIMEOUT_MS.with(|t| t.get())
}

/// [`send`], abandoned with [`NetError::Timeout`] after `timeout_ms`.
pub async fn send_within(request: &HttpRequest, timeout_ms: u32) -> Result<HttpResponse, NetError> {
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
        .credentials(web_sys::RequestCredentials::Omit)
        // Vendors learn nothing of where the page is served from, whatever the host's headers.
        .referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    let controller = web_sys::AbortController::new().ok();
    let builder = builder.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let _timer = controller.map(|c| {
        let timed_out = timed_out.clone();
        // Dropped (and so cancelled) when the call returns.
        gloo_timers::callback::Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            c.abort();
        })
    });
    let seconds = timeout_ms.div_ceil(1000);
    let built = match &request.body {
        Some(body) => builder.body(body.text.clone()),
        None => builder.build(),
    }
    .map_err(|e| NetError::Invalid(e.to_string()))?;
    if offline() {
        return Err(NetError::Offline);
    }
    let response = match built.send().await {
        Ok(response) => response,
        Err(_) if timed_out.get() => return Err(NetError::Timeout { seconds }),
        Err(_) if offline() => return Err(NetError::Offline),
        Err(_) => {
            let origin = origin_of(&request.url);
            // The policy's violation event is queued as a task of its own; let it arrive.
            gloo_timers::future::sleep(Duration::from_millis(5)).await;
            return Err(if crate::csp::refused(&origin) {
                NetError::RefusedByPolicy { origin }
            } else {
                NetError::Blocked { origin }
            });
        }
    };
    let headers = response
        .headers()
        .entries()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let status = response.status();
    let body = response.text().await.map_err(|_| {
        if timed_out.get() {
            NetError::Timeout { seconds }
        } else {
            NetError::Blocked {
                origin: origin_of(&request.url),
            }
        }
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
    /// Nothing was sent: the connection or the draft cannot make a request.
    Plan(PlanError),
    Net(NetError),
    Vendor(VendorError),
    /// A write was refused because the token asked for with client credentials had expired; a
    /// new one was asked for, and the write is left for the admin to send again (a write is never
    /// sent twice unasked).
    TokenRenewed,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Plan(e) => e.fmt(f),
            CallError::Net(e) => e.fmt(f),
            CallError::Vendor(e) => e.fmt(f),
            CallError::TokenRenewed => f.write_str(
                "The vendor refused the access token: it had expired. Hookpanel asked for a new one; nothing was changed.",
            ),
        }
    }
}

impl CallError {
    /// What the admin can do about it.
    pub fn next_step(&self) -> String {
        match self {
            CallError::Plan(_) => "Fix the connection, then try again.".to_string(),
            CallError::Net(e) => e.next_step(),
            CallError::Vendor(e) => e.next_step(),
            CallError::TokenRenewed => "Send it again.".to_string(),
        }
    }

    /// Problems the vendor pinned on fields of the draft.
    pub fn problems(&self) -> &[Problem] {
        match self {
            CallError::Plan(_) | CallError::Net(_) | CallError::TokenRenewed => &[],
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

/// The connection as core plans with it. Client credentials are exchanged for a token first (the
/// vendor's token request, which core plans), kept in memory for the session and asked for anew
/// before it expires.
pub async fn connect(ws: Workspace, entry: &ConnectionEntry) -> Result<Connection, CallError> {
    match entry.sign_in().map_err(CallError::Plan)? {
        SignIn::Ready(credentials) => Ok(plain_connection(entry, credentials)),
        SignIn::TokenFirst {
            client_id,
            client_secret,
        } => {
            let now = js_sys::Date::now();
            let kept = ws.tokens.with_value(|t| {
                t.get(&entry.id)
                    .filter(|token| token.is_fresh(now))
                    .map(|token| token.credentials.clone())
            });
            if let Some(credentials) = kept {
                return Ok(plain_connection(entry, credentials));
            }
            let request = token_request(entry.vendor, &entry.base_url, &client_id, &client_secret)
                .map_err(CallError::Plan)?;
            let response = send(&request).await.map_err(CallError::Net)?;
            let token = decode_token(entry.vendor, &response).map_err(CallError::Vendor)?;
            let issued = IssuedToken::new(token.credentials(), token.expires_in, now);
            let credentials = issued.credentials.clone();
            ws.tokens.update_value(|t| {
                t.insert(entry.id.clone(), issued);
            });
            Ok(plain_connection(entry, credentials))
        }
    }
}

/// Whether the connection signs in with a token asked for with client credentials.
fn asks_for_tokens(entry: &ConnectionEntry) -> bool {
    matches!(entry.sign_in(), Ok(SignIn::TokenFirst { .. }))
}

/// How far a call of several steps got: the outcome of each step that succeeded, and the failure
/// that stopped it, if any.
#[derive(Clone, Debug)]
pub struct Run {
    pub done: Vec<(Action, Outcome)>,
    pub failed: Option<(Action, CallError)>,
}

impl Run {
    /// The first step's outcome (the one the admin asked for).
    pub fn first(&self) -> Option<&Outcome> {
        self.done.first().map(|(_, o)| o)
    }
}

/// Plans a call at a connection and makes each of its steps in order, stopping at the first
/// failure. Nothing is retried but one thing: a read refused for an expired token asked for with
/// client credentials is read again once with a new token. A write refused so gets a new token
/// and is left for the admin to send again.
pub async fn perform(ws: Workspace, entry: &ConnectionEntry, call: Call<'_>) -> Run {
    let run = plan_and_run(ws, entry, call).await;
    let refused_token = run.done.is_empty()
        && matches!(
            run.failed,
            Some((_, CallError::Vendor(VendorError::Unauthorized(_))))
        );
    if !refused_token || !asks_for_tokens(entry) {
        return run;
    }
    ws.tokens.update_value(|t| {
        t.remove(&entry.id);
    });
    if matches!(call.action(), Action::List | Action::Get | Action::Sample) {
        return plan_and_run(ws, entry, call).await;
    }
    match connect(ws, entry).await {
        Ok(_) => Run {
            done: Vec::new(),
            failed: Some((call.action(), CallError::TokenRenewed)),
        },
        Err(e) => Run {
            done: Vec::new(),
            failed: Some((call.action(), e)),
        },
    }
}

async fn plan_and_run(ws: Workspace, entry: &ConnectionEntry, call: Call<'_>) -> Run {
    let steps = match connect(ws, entry).await {
        Ok(connection) => plan_steps(&connection, call).map_err(CallError::Plan),
        Err(e) => Err(e),
    };
    match steps {
        Ok(steps) => run_steps(entry.vendor, steps).await,
        Err(e) => Run {
            done: Vec::new(),
            failed: Some((call.action(), e)),
        },
    }
}

/// Makes planned steps in order, stopping at the first failure.
pub async fn run_steps(vendor: VendorId, steps: Vec<Step>) -> Run {
    let mut run = Run {
        done: Vec::new(),
        failed: None,
    };
    for step in steps {
        match call(vendor, step.action, &step.request).await {
            Ok(outcome) => run.done.push((step.action, outcome)),
            Err(e) => {
                run.failed = Some((step.action, e));
                break;
            }
        }
    }
    run
}
