//! `hookpanel-sandbox`: the vendors' webhook APIs on 127.0.0.1, for tests and demos.
//!
//! Usage: `hookpanel-sandbox [--port N]`
//! Prints `sandbox: http://127.0.0.1:PORT` once listening, so a caller that asked for port 0
//! learns the port.

use std::net::SocketAddr;

fn usage() -> ! {
    eprintln!("usage: hookpanel-sandbox [--port N]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 8787;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                port = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    let bind = |port| SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match tokio::net::TcpListener::bind(bind(port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("sandbox: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1)
        }
    };
    let addr = listener.local_addr().unwrap_or(bind(port));
    println!("sandbox: http://{addr}");
    if let Err(e) = hookpanel_sandbox::serve(listener).await {
        eprintln!("sandbox: {e}");
        std::process::exit(1)
    }
}
