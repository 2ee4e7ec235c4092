//! Shared by the sandbox's tests: a sandbox on a free loopback port, and a real HTTP client that
//! sends core's planned requests to it.

#![allow(dead_code)]

use hookpanel_core::listing::Next;
use hookpanel_core::{
    Body, Call, Connection, Header, HttpRequest, HttpResponse, ListRead, Method, Outcome,
    VendorError, decode, plan_steps,
};
use serde_json::Value;

/// Starts a sandbox on 127.0.0.1 in a background thread and returns its root URL.
pub fn start() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            tx.send(listener.local_addr().expect("an address"))
                .expect("send the address");
            hookpanel_sandbox::serve(listener).await.expect("serve");
        });
    });
    let addr = rx.recv().expect("the sandbox starts");
    format!("http://{addr}")
}

/// Sends a planned request over real HTTP and reads the whole answer, whatever its status.
pub fn send(request: &HttpRequest) -> HttpResponse {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(&request.url);
    for h in &request.headers {
        builder = builder.header(&h.name, &h.value);
    }
    let body = request
        .body
        .as_ref()
        .map(|b| b.text.clone())
        .unwrap_or_default();
    let response = agent
        .run(builder.body(body).expect("a request"))
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                v.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let body = response.into_body().read_to_string().unwrap_or_default();
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// POSTs JSON to the sandbox's control API.
pub fn control(root: &str, path: &str, body: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .post(format!("{root}{path}"))
        .header("Content-Type", "application/json")
        .send(body)
        .map(|r| r.status().as_u16())
        .expect("the control API answers")
}

/// Calls the sandbox's control API (any method, a JSON body or none): the status and the answer
/// as JSON (`null` when there is none).
pub fn control_json(root: &str, method: Method, path: &str, body: Option<&str>) -> (u16, Value) {
    let answer = raw(
        method,
        &format!("{root}{path}"),
        &[],
        body.map(|b| ("application/json", b)),
    );
    let json = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
    (answer.status, json)
}

/// Seeds `count` subscriptions at `vendor` through the control API.
pub fn seed(root: &str, vendor: &str, count: usize) {
    let body = format!(r#"{{"vendor": "{vendor}", "count": {count}}}"#);
    let (status, answer) = control_json(root, Method::Post, "/_sandbox/seed", Some(&body));
    assert_eq!(status, 200, "seed {vendor}: {answer}");
    assert_eq!(answer, serde_json::json!({ "created": count }));
}

/// Reads a whole list as the app does, through core's plans and [`ListRead`]: the read, and the
/// size of each page the vendor sent (one per list request).
pub fn read_list(conn: &Connection, mut read: ListRead) -> (ListRead, Vec<usize>) {
    let mut pages = Vec::new();
    while let Some(c) = read.next_call() {
        let page = match call(conn, c) {
            Ok(Outcome::Page(page)) => page,
            other => panic!("expected a page, got {other:?}"),
        };
        pages.push(page.items.len());
        match read.add(page) {
            Next::Page(_) => continue,
            Next::Done(_) => break,
        }
    }
    (read, pages)
}

/// Queues `count` faults of one kind (`"429"`, `"500"`, ...) with a `Retry-After` of 7 s.
pub fn fault(root: &str, fault: &str, count: usize) {
    let body = format!(r#"{{"fault": "{fault}", "count": {count}, "retry_after": 7}}"#);
    assert_eq!(control(root, "/_sandbox/faults", &body), 204);
}

/// Sends a request core does not plan (a filter, a JSON Patch, a sample), with plain headers.
pub fn raw(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> HttpResponse {
    let mut all: Vec<Header> = headers.iter().map(|(n, v)| Header::plain(n, *v)).collect();
    if let Some((content_type, _)) = body {
        all.push(Header::plain("Content-Type", content_type));
    }
    send(&HttpRequest {
        method,
        url: url.to_string(),
        headers: all,
        body: body.map(|(content_type, text)| Body {
            content_type: content_type.to_string(),
            text: text.to_string(),
            secret_pointers: Vec::new(),
            secret: false,
        }),
    })
}

/// Plans a native call with core, sends it over real HTTP, and decodes the answer with core.
pub fn call(conn: &Connection, call: Call<'_>) -> Result<Outcome, VendorError> {
    let request = hookpanel_core::plan(conn, call).expect("a plan");
    decode(conn.vendor, call.action(), &send(&request))
}

/// Runs every step of a call as core lays them out, stopping at the first failure; the outcome
/// is the last step's.
pub fn run_steps(conn: &Connection, call: Call<'_>) -> Result<Outcome, VendorError> {
    let steps = plan_steps(conn, call).expect("a plan");
    let mut outcome = Err(VendorError::Malformed("no steps".into()));
    for step in steps {
        outcome = decode(conn.vendor, step.action, &send(&step.request));
        if outcome.is_err() {
            break;
        }
    }
    outcome
}

/// The one subscription of an outcome, or a panic saying what came instead.
pub fn one(outcome: Result<Outcome, VendorError>) -> hookpanel_core::Subscription {
    match outcome {
        Ok(Outcome::One(s)) => s,
        other => panic!("expected one subscription, got {other:?}"),
    }
}

/// The subscriptions of a list outcome.
pub fn many(outcome: Result<Outcome, VendorError>) -> Vec<hookpanel_core::Subscription> {
    match outcome {
        Ok(Outcome::Page(page)) => page.items,
        other => panic!("expected a list, got {other:?}"),
    }
}

/// A CORS preflight from a page on another origin: the status and the answer's headers.
pub fn preflight(url: &str, method: &str, headers: &str) -> (u16, Vec<(String, String)>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let request = ureq::http::Request::builder()
        .method("OPTIONS")
        .uri(url)
        .header("Origin", "https://hookpanel.example")
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers)
        .body(())
        .expect("a preflight");
    let response = agent.run(request).expect("the sandbox answers");
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                v.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (response.status().as_u16(), headers)
}
