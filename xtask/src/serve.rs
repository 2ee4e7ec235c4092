//! A static file server on 127.0.0.1, as plain as a host can be: files, `index.html` for a folder
//! asked for with its `/`, and 404 for anything else (no rewrite rule, no fallback to the page).
//! The release check serves `dist/` with it (at the root and under a sub-path), the benchmarks
//! the start-up and validation pages. Plain HTTP/1.1, one thread per connection,
//! `Connection: close`; it runs until xtask exits. With `precompressed`, a request that accepts
//! brotli gets `<file>.br` (when it exists) with `Content-Encoding: br`, as a CDN serving
//! precompressed files would; without `knows_wasm`, the wasm comes as `application/octet-stream`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

pub struct Server {
    pub url: String,
}

/// What kind of host the server plays.
#[derive(Clone, Copy)]
pub struct Host {
    /// `<file>.br` for a request that accepts brotli.
    pub precompressed: bool,
    /// `.wasm` as `application/wasm`; without it, as `application/octet-stream`, as a host that
    /// does not know the type sends it.
    pub knows_wasm: bool,
}

impl Server {
    pub fn start(dir: &Path, precompressed: bool) -> Result<Server, String> {
        Server::start_as(
            dir,
            Host {
                precompressed,
                knows_wasm: true,
            },
        )
    }

    pub fn start_as(dir: &Path, host: Host) -> Result<Server, String> {
        let listener =
            TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
        let url = format!(
            "http://{}",
            listener
                .local_addr()
                .map_err(|e| format!("no address: {e}"))?
        );
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                std::thread::spawn(move || {
                    let _ = answer(stream, &dir, host);
                });
            }
        });
        Ok(Server { url })
    }
}

fn answer(mut stream: TcpStream, dir: &Path, host: Host) -> std::io::Result<()> {
    // Each answer is written whole; without this, Nagle's algorithm can hold its last segment
    // until the browser's delayed ACK (up to 40 ms on Linux), which a real CDN does not do.
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut accepts_brotli = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("accept-encoding")
        {
            accepts_brotli = value.split(',').any(|v| v.trim().starts_with("br"));
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let Some(file) = resolve(dir, path) else {
        return respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            None,
            b"not found",
        );
    };
    let content_type = match content_type(&file) {
        "application/wasm" if !host.knows_wasm => "application/octet-stream",
        known => known,
    };
    let brotli = PathBuf::from(format!("{}.br", file.display()));
    if host.precompressed && accepts_brotli && brotli.is_file() {
        let body = std::fs::read(&brotli)?;
        return respond(&mut stream, "200 OK", content_type, Some("br"), &body);
    }
    let body = std::fs::read(&file)?;
    respond(&mut stream, "200 OK", content_type, None, &body)
}

/// The file a URL path names inside `dir` (`/` is `index.html`); nothing outside `dir`.
fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let file = if path.ends_with('/') {
        dir.join(relative).join("index.html")
    } else {
        dir.join(relative)
    };
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    encoding: Option<&str>,
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(encoding) = encoding {
        head.push_str(&format!(
            "Content-Encoding: {encoding}\r\nVary: Accept-Encoding\r\n"
        ));
    }
    head.push_str("\r\n");
    let mut answer = head.into_bytes();
    answer.extend_from_slice(body);
    stream.write_all(&answer)?;
    stream.flush()
}
