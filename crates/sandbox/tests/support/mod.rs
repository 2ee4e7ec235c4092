//! Shared by the sandbox's tests: a sandbox on a free loopback port, and a real HTTP client that
//! sends core's planned requests to it.

#![allow(dead_code)]

use hookpanel_core::{HttpRequest, HttpResponse};

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
