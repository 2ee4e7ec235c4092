//! Requests and answers as plain data. The preview, "copy as curl" and the real call are all made
//! from one [`HttpRequest`], so what the admin sees is what is sent.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The mask shown in place of a secret.
pub const MASK: &str = "••••••••";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One request header. `secret` headers are masked in every rendering unless revealed, `Debug`
/// included.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

impl Header {
    pub fn plain(name: &str, value: impl Into<String>) -> Self {
        Header {
            name: name.to_string(),
            value: value.into(),
            secret: false,
        }
    }

    pub fn secret(name: &str, value: impl Into<String>) -> Self {
        Header {
            secret: true,
            ..Header::plain(name, value)
        }
    }
}

/// A request body, with the JSON Pointers of the values in it that are secrets. `Debug` shows it
/// masked.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub content_type: String,
    pub text: String,
    pub secret_pointers: Vec<String>,
    /// The whole body is a secret and is masked as one. For bodies that are not JSON (a form-encoded
    /// token request, say), where JSON Pointers cannot address the secret values.
    #[serde(default)]
    pub secret: bool,
}

/// Everything needed to make one HTTP call. `Debug` shows it as the preview does, secrets masked,
/// so a request in a log line or a panic message gives nothing away.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<Header>,
    pub body: Option<Body>,
}

impl HttpRequest {
    /// The headers as they would be shown: secrets masked unless `reveal`.
    pub fn shown_headers(&self, reveal: bool) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|h| {
                let value = if h.secret && !reveal {
                    MASK.to_string()
                } else {
                    h.value.clone()
                };
                (h.name.clone(), value)
            })
            .collect()
    }

    /// The body as it would be shown: secret values masked unless `reveal`.
    pub fn shown_body(&self, reveal: bool) -> Option<String> {
        self.body.as_ref().map(|body| body.shown(reveal))
    }

    /// The whole request as text: request line, headers, blank line, body.
    pub fn to_text(&self, reveal: bool) -> String {
        let mut out = format!("{} {}\n", self.method.as_str(), self.url);
        for (name, value) in self.shown_headers(reveal) {
            out.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(body) = self.shown_body(reveal) {
            out.push('\n');
            out.push_str(&body);
            out.push('\n');
        }
        out
    }

    /// A curl command that makes the same call, for a shell; secrets masked unless `reveal`.
    pub fn to_curl(&self, reveal: bool) -> String {
        let mut out = format!(
            "curl -X {} {}",
            self.method.as_str(),
            shell_quote(&self.url)
        );
        for (name, value) in self.shown_headers(reveal) {
            out.push_str(&format!(
                " \\\n  -H {}",
                shell_quote(&format!("{name}: {value}"))
            ));
        }
        if let Some(body) = self.shown_body(reveal) {
            let compact = crate::draft::parse(&body)
                .map(|v| v.to_string())
                .unwrap_or(body);
            out.push_str(&format!(" \\\n  --data-raw {}", shell_quote(&compact)));
        }
        out
    }
}

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.secret { MASK } else { &self.value };
        f.debug_struct("Header")
            .field("name", &self.name)
            .field("value", &value)
            .field("secret", &self.secret)
            .finish()
    }
}

impl Body {
    /// The text as shown: secret values masked unless `reveal`.
    pub fn shown(&self, reveal: bool) -> String {
        if self.secret && !reveal {
            return MASK.to_string();
        }
        if reveal || self.secret_pointers.is_empty() {
            return self.text.clone();
        }
        match crate::draft::parse(&self.text) {
            Ok(mut value) => {
                for pointer in &self.secret_pointers {
                    if let Some(v) = value.pointer_mut(pointer) {
                        *v = Value::String(MASK.to_string());
                    }
                }
                serde_json::to_string_pretty(&value).unwrap_or_default()
            }
            // A body we made is JSON; if it somehow is not, show nothing rather than a secret.
            Err(_) => MASK.to_string(),
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("text", &self.shown(false))
            .field("secret_pointers", &self.secret_pointers)
            .finish()
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Single-quotes a word for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A vendor's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The first `lines` lines of `text` (a request as [`HttpRequest::to_text`] writes it), without
/// the line break after them, and how many lines are left out: the preview shows that much of a
/// long request until the admin asks for all of it.
pub fn first_lines(text: &str, lines: usize) -> (&str, usize) {
    match text.match_indices('\n').nth(lines.saturating_sub(1)) {
        Some((at, _)) if at + 1 < text.len() => (&text[..at], text[at + 1..].lines().count()),
        _ => (text, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_cuts_after_whole_lines_and_counts_the_rest() {
        assert_eq!(first_lines("a\nb\nc", 5), ("a\nb\nc", 0));
        assert_eq!(first_lines("a\nb\nc", 3), ("a\nb\nc", 0));
        assert_eq!(first_lines("a\nb\nc\n", 3), ("a\nb\nc\n", 0));
        assert_eq!(first_lines("a\nb\nc", 2), ("a\nb", 1));
        assert_eq!(first_lines("a\nb\nc\nd\n", 1), ("a", 3));
        assert_eq!(first_lines("", 1), ("", 0));
        let body: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let (shown, left) = first_lines(&body, 200);
        assert_eq!((shown.lines().count(), left), (200, 800));
        assert!(shown.ends_with("line 199"));
    }

    #[test]
    fn debug_masks_secret_headers_and_body_values() {
        let request = HttpRequest {
            method: Method::Post,
            url: "https://api.example.com/hooks".into(),
            headers: vec![
                Header::secret("Authorization", "Bearer tok-debug-1"),
                Header::plain("Accept", "application/json"),
            ],
            body: Some(Body {
                content_type: "application/json".into(),
                text: r#"{"headers": {"X-Key": "hdr-debug-2"}, "name": "n"}"#.into(),
                secret_pointers: vec!["/headers/X-Key".into()],
                secret: false,
            }),
        };
        let shown = format!("{request:?} {request:#?}");
        assert!(!shown.contains("tok-debug-1"), "{shown}");
        assert!(!shown.contains("hdr-debug-2"), "{shown}");
        assert!(shown.contains("application/json") && shown.contains(MASK));
    }
}
