//! `hookpanel-sandbox`: the vendors' webhook APIs on 127.0.0.1, for tests and demos.
//!
//! Usage: `hookpanel-sandbox [--port N] [--static DIR] [--static-port N]`
//! Prints `sandbox: http://127.0.0.1:PORT` (and `static: ...`) once listening, so a caller that
//! asked for port 0 learns the port.

use std::net::SocketAddr;
use std::path::PathBuf;

fn usage() -> ! {
    eprintln!("usage: hookpanel-sandbox [--port N] [--static DIR] [--static-port N]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 8787;
    let mut static_dir: Option<PathBuf> = None;
    let mut static_port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--port" => port = value().parse().unwrap_or_else(|_| usage()),
            "--static" => static_dir = Some(PathBuf::from(value())),
            "--static-port" => static_port = value().parse().unwrap_or_else(|_| usage()),
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
    if let Some(dir) = static_dir {
        let listener = match tokio::net::TcpListener::bind(bind(static_port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "sandbox: cannot listen for static files on 127.0.0.1:{static_port}: {e}"
                );
                std::process::exit(1)
            }
        };
        if let Ok(addr) = listener.local_addr() {
            println!("static: http://{addr}");
        }
        tokio::spawn(hookpanel_sandbox::serve_static(listener, dir));
    }
    if let Err(e) = hookpanel_sandbox::serve(listener).await {
        eprintln!("sandbox: {e}");
        std::process::exit(1)
    }
}
