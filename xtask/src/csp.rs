//! Trunk's post-build hook: Trunk writes an inline `<script type="module">` that loads the wasm. A
//! strict Content-Security-Policy blocks inline scripts unless their hash is listed, so this adds
//! the SHA-256 of each inline script in the built page to the policy's `script-src`.

use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

pub fn run() -> Result<(), String> {
    let dir = std::env::var("TRUNK_STAGING_DIR")
        .map_err(|_| "csp-hash runs as Trunk's post-build hook (TRUNK_STAGING_DIR is not set)")?;
    let path = PathBuf::from(dir).join("index.html");
    let html = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let updated = add_hashes(&html)?;
    std::fs::write(&path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The page with the hash of every inline script added to the CSP meta's `script-src`.
pub fn add_hashes(html: &str) -> Result<String, String> {
    let hashes: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let marker = "script-src 'self' 'wasm-unsafe-eval'";
    if !html.contains(marker) {
        return Err(format!(
            "index.html's Content-Security-Policy has no \"{marker}\" to extend"
        ));
    }
    if hashes.is_empty() {
        return Ok(html.to_string());
    }
    Ok(html.replacen(marker, &format!("{marker} {}", hashes.join(" ")), 1))
}

/// The text of each `<script>` element without a `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let open = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !open.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<meta content=\"script-src 'self' 'wasm-unsafe-eval'; x\"><script src=\"a.js\"></script><script type=\"module\">init()</script>";
        let out = add_hashes(html).unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(
            out.contains(&format!("'wasm-unsafe-eval' 'sha256-{expected}'; x")),
            "{out}"
        );
        assert_eq!(out.matches("sha256-").count(), 1);
    }
}
