//! The raw view of the editor on drafts of real size, in headless Chromium against the release
//! build: a SuperOffice draft with [`SIZES`] event names put in the raw JSON whole
//! (`editor.raw_paste_ms.<n>`), then typed into one character at a time, as a person types
//! (Chromium's `Input.insertText`, which edits the text where the caret is:
//! `editor.raw_keystroke_ms.<n>`). Each is from the input event to the task after the next
//! animation frame, so the page's script (parse, checks, the form, the request preview), the
//! style, layout and paint of that frame are in. (Two frames, as `list` waits, would round every
//! figure up to 17-33 ms and hide what the keystroke costs.) The median of [`ROUNDS`] is printed.

use std::process::Stdio;

use crate::proc::exec;
use crate::webdriver::Driver;

const ROUNDS: usize = 9;
const SIZES: [usize; 3] = [10, 1000, 10_000];

pub fn run(driver: &Driver) -> Result<(), String> {
    let dist = crate::proc::target_dir().join("bench-editor");
    exec(
        crate::dist::trunk_release()
            .arg("--dist")
            .arg(&dist)
            .stdout(Stdio::from(std::io::stderr())),
    )?;
    let server = crate::serve::Server::start(&dist, false)?;
    for n in SIZES {
        let session = driver.session(1280, 900)?;
        session.open(&format!("{}/#/c/sandbox-superoffice/new", server.url))?;
        session.wait_for(
            "the editor",
            "return !!document.getElementById('raw-json')",
            30,
        )?;
        // Each input event's time to the frame after it has been drawn, in `window.__took`.
        session.js(
            "window.__took = []; const area = document.getElementById('raw-json'); \
             area.addEventListener('input', () => { const t0 = performance.now(); \
               requestAnimationFrame(() => setTimeout( \
                 () => window.__took.push(performance.now() - t0), 0)); }); \
             return true",
        )?;
        let draft = serde_json::json!({
            "Name": "Sync",
            "Events": (0..n).map(|i| format!("ev{i}.created")).collect::<Vec<_>>(),
            "TargetUrl": "https://hooks.example.com/so",
            "Type": "webhook",
        });
        let text = serde_json::to_string_pretty(&draft).map_err(|e| e.to_string())?;
        let mut paste = Vec::new();
        for round in 0..ROUNDS {
            // The text put in whole, as a paste does: each round's differs, so it is parsed.
            let name = format!("Sync{round}");
            let pasted = text.replacen("\"Sync\"", &format!("{name:?}"), 1);
            session.js(&format!(
                "const area = document.getElementById('raw-json'); area.value = {pasted:?}; \
                 area.dispatchEvent(new Event('input', {{bubbles: true}})); return true"
            ))?;
            paste.push(took(&session, round + 1)?);
        }
        // The caret in the name, then keystrokes there.
        session.js(
            "const area = document.getElementById('raw-json'); area.focus(); \
             const at = area.value.indexOf('Sync') + 4; area.setSelectionRange(at, at); return true",
        )?;
        let mut typed = Vec::new();
        for round in 0..ROUNDS {
            session.insert_text("x")?;
            typed.push(took(&session, ROUNDS + round + 1)?);
        }
        let name = session.js("return document.getElementById('field-Name').value")?;
        // Typed after "Sync", before the last paste's round number.
        if name.as_str() != Some(&format!("Sync{}{}", "x".repeat(ROUNDS), ROUNDS - 1)) {
            return Err(format!(
                "the keystrokes did not reach the draft: the name field reads {name}"
            ));
        }
        println!("editor.raw_paste_ms.{n}={:.1}", super::median(&paste));
        println!("editor.raw_keystroke_ms.{n}={:.1}", super::median(&typed));
        println!("editor.raw_bytes.{n}={}", text.len());
    }
    Ok(())
}

/// The time of the `count`th input event, once it has been drawn.
fn took(session: &crate::webdriver::Session<'_>, count: usize) -> Result<f64, String> {
    session.wait_for(
        "the keystroke to be drawn",
        &format!("return window.__took.length >= {count}"),
        30,
    )?;
    session
        .js(&format!("return window.__took[{}]", count - 1))?
        .as_f64()
        .ok_or_else(|| "the page gave no time".to_string())
}
