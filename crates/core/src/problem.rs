//! The one shape every problem takes, whether it comes from a schema, a lint rule or a vendor's
//! error answer: the form shows it on the field at `pointer`, the raw editor at its line.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Legal, but unwise; sending is allowed.
    Warning,
    /// The vendor would reject it; sending is blocked.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A problem's text: most are fixed (a keyword, a message worded once, the pointer of a schema's
/// field) and are borrowed rather than copied for every problem on every keystroke.
pub type Text = Cow<'static, str>;

/// One thing wrong with a draft, at one place in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// JSON Pointer (RFC 6901) to the value at fault; "" is the whole draft.
    pub pointer: Text,
    /// What is wrong, in words an admin reads.
    pub message: Text,
    pub severity: Severity,
    /// The schema keyword or lint rule that found it (`required`, `enum`, `lint:http-target`, ...).
    pub keyword: Text,
    /// For a syntax error in raw JSON: the 1-based line and column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<(usize, usize)>,
}

impl Problem {
    pub fn error(
        pointer: impl Into<Text>,
        keyword: impl Into<Text>,
        message: impl Into<Text>,
    ) -> Self {
        Problem {
            pointer: pointer.into(),
            message: message.into(),
            severity: Severity::Error,
            keyword: keyword.into(),
            line: None,
        }
    }

    pub fn warning(
        pointer: impl Into<Text>,
        keyword: impl Into<Text>,
        message: impl Into<Text>,
    ) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(pointer, keyword, message)
        }
    }

    /// A JSON syntax error, at the root, with where it is.
    pub fn syntax(e: &serde_json::Error) -> Self {
        let mut p = Problem::error(
            "",
            "syntax",
            format!(
                "Not valid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                syntax_reason(e)
            ),
        );
        p.line = Some((e.line(), e.column()));
        p
    }

    /// A draft too large to check, at the root (see [`crate::MAX_DRAFT_BYTES`]).
    pub fn too_large(bytes: usize) -> Self {
        let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
        Problem::error(
            "",
            "size",
            format!(
                "This draft is {:.1} MiB; Hookpanel checks drafts up to {:.0} MiB. A webhook definition is a few KB: remove what does not belong in it.",
                mib(bytes),
                mib(crate::MAX_DRAFT_BYTES)
            ),
        )
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn syntax_reason(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C" to its message; we say where ourselves.
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// True when any problem blocks sending.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}

/// Joins a parent JSON Pointer and one reference token, escaping `~` and `/` (RFC 6901).
pub fn child_pointer(parent: &str, token: &str) -> String {
    let mut pointer = String::with_capacity(parent.len() + 1 + token.len());
    pointer.push_str(parent);
    pointer.push('/');
    // Escaped only where it needs to be: `required` and unknown-field failures are placed by
    // this on every keystroke, and most names hold neither character.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(token);
    }
    pointer
}
