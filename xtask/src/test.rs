//! `cargo xtask test`: every check and test layer, in order, each named and timed. The first
//! failing step fails the command, naming the step. `cargo xtask test <word>...` runs only the
//! steps whose name holds one of the words (`release`, `browser`, `clippy`), for working on one.

use std::time::Instant;

use crate::proc::{Sandbox, cmd, exec as run_cmd};
use crate::{dist, setup};

/// One step of the run: it passes, or says why not.
type Step = fn() -> Result<(), String>;

pub fn run() -> Result<(), String> {
    // `cargo xtask test release` runs the steps whose name holds a word given (setup always).
    let only: Vec<String> = std::env::args().skip(2).collect();
    let started = Instant::now();
    let mut timings = Vec::new();
    let steps: Vec<(&str, Step)> = vec![
        ("setup", setup::run),
        ("fmt", fmt),
        ("clippy (native)", clippy_native),
        ("clippy (wasm32)", clippy_wasm),
        ("native tests", native_tests),
        (
            "adding a vendor: a fifth, by README's steps, in a copy",
            crate::fifth_vendor::run,
        ),
        ("browser tests (headless Chromium, sandbox)", browser_tests),
        ("release build opened in Chromium", release_build),
    ];
    for (name, step) in steps {
        if name != "setup" && !only.is_empty() && !only.iter().any(|w| name.contains(w.as_str())) {
            continue;
        }
        println!("\n==> {name}");
        let t = Instant::now();
        step().map_err(|e| format!("step \"{name}\" failed: {e}"))?;
        let secs = t.elapsed().as_secs_f64();
        println!("==> {name}: ok ({secs:.1} s)");
        timings.push((name, secs));
    }
    println!(
        "\nxtask test: every step passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for (name, secs) in timings {
        println!("  {secs:>7.1} s  {name}");
    }
    Ok(())
}

fn fmt() -> Result<(), String> {
    run_cmd(cmd("cargo").args(["fmt", "--all", "--", "--check"]))
}

fn clippy_native() -> Result<(), String> {
    run_cmd(cmd("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm() -> Result<(), String> {
    run_cmd(cmd("cargo").args([
        "clippy",
        "-p",
        "hookpanel",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run_cmd(cmd("cargo").args([
        "clippy",
        "-p",
        "hookpanel-core",
        "--target",
        "wasm32-unknown-unknown",
        "--lib",
        "--",
        "-D",
        "warnings",
    ]))
}

fn native_tests() -> Result<(), String> {
    // The app crate's tests run in the browser (next step).
    run_cmd(cmd("cargo").args(["test", "--workspace", "--exclude", "hookpanel"]))
}

fn browser_tests() -> Result<(), String> {
    let sandbox = Sandbox::start(0)?;
    println!("sandbox at {}", sandbox.url);
    run_cmd(
        cmd("cargo")
            .args([
                "test",
                "-p",
                "hookpanel",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("HOOKPANEL_SANDBOX_URL", &sandbox.url)
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

/// Builds the page for release, as `dist/` is built, and checks it as a plain host serves it: in
/// headless Chromium, from a server with no rewrite rule and no fallback, at a host's root and
/// under a sub-path, every screen opens from its link and opens again on a reload. Then the
/// Content-Security-Policy check. The build goes to `target/release-check/`, with the sandbox's
/// address in it, and leaves `dist/` alone.
fn release_build() -> Result<(), String> {
    let sandbox = Sandbox::start(0)?;
    let check = crate::proc::target_dir().join("release-check");
    let dist_dir = check.join("dist");
    dist::run_trunk_release_into(&dist_dir, &[("HOOKPANEL_SANDBOX_URL", &sandbox.url)])?;
    dist::print_sizes(&dist_dir)?;
    // The site: the same files at the root and under /tools/hookpanel/.
    let site = check.join("site");
    let _ = std::fs::remove_dir_all(&site);
    copy_dir(&dist_dir, &site)?;
    copy_dir(&dist_dir, &site.join("tools/hookpanel"))?;
    let server = crate::serve::Server::start(&site, false)?;
    let id = superoffice_webhook(&sandbox.url)?;
    let driver = crate::webdriver::Driver::start()?;
    let session = driver.session(1280, 800)?;
    for mount in ["/", "/tools/hookpanel/"] {
        for (route, heading) in routes(&id) {
            let url = format!("{}{mount}#{route}", server.url);
            let shown = |when: &str| -> Result<(), String> {
                session.wait_for(
                    &format!("{url} to show “{heading}” ({when})"),
                    &format!(
                        "const h = document.querySelector('main h1'); \
                         return !window.__before && !!h && h.textContent === {};",
                        serde_json::Value::String(heading.clone())
                    ),
                    30,
                )
            };
            session.open(&url)?;
            shown("opened")?;
            session.js(
                "window.__before = true; setTimeout(() => location.reload(), 0); return true",
            )?;
            shown("reloaded")?;
        }
        println!("every screen opens and reloads from plain files at {mount}");
    }
    let page = format!("{}/", server.url);
    what_a_host_serves(&dist_dir)?;
    clean_first_load(&driver, &page)?;
    starts_where_wasm_is_octet_stream(&driver, &site)?;
    says_when_it_cannot_start(&driver, &site, &page)?;
    screens_fetched_apart(&driver, &site, &page)?;
    refused_in_a_frame(&driver, &site, &page)?;
    csp_blocks_injected_script(&site, &page)
}

/// `dist/` has what a host serves beside the app: the icon the page links, and a `_headers` file
/// whose policy is the page's own, with what only a header can say.
fn what_a_host_serves(dist: &std::path::Path) -> Result<(), String> {
    let read = |name: &str| {
        std::fs::read_to_string(dist.join(name))
            .map_err(|e| format!("dist/{name} is missing ({e}): public/ is copied into dist/"))
    };
    let index = read("index.html")?;
    let icon = read("favicon.svg")?;
    if !icon.contains("<svg") || !index.contains("rel=\"icon\" href=\"favicon.svg\"") {
        return Err("the page does not link its icon, favicon.svg".into());
    }
    if !index.contains("<meta name=\"referrer\" content=\"no-referrer\"") {
        return Err("the page has no referrer policy of its own".into());
    }
    let headers = read("_headers")?;
    let policy = crate::csp::page_policy(&index)?;
    let expected = format!("  Content-Security-Policy: {policy}; frame-ancestors 'none'\n");
    if !headers.contains(&expected) {
        return Err(format!(
            "dist/_headers does not carry the page's policy:\n{headers}\nexpected the line\n{expected}"
        ));
    }
    for header in [
        "  X-Content-Type-Options: nosniff\n",
        "  Referrer-Policy: no-referrer\n",
        "  Permissions-Policy: camera=()",
    ] {
        if !headers.contains(header) {
            return Err(format!("dist/_headers lacks {header:?}"));
        }
    }
    println!("dist/ has its icon, a referrer policy and _headers with the page's policy");
    Ok(())
}

/// A first load in a new browser makes no request that fails and writes no error to the console.
fn clean_first_load(driver: &crate::webdriver::Driver, page: &str) -> Result<(), String> {
    let session = driver.logged_session(1280, 800)?;
    session.open(page)?;
    session.wait_for(
        "the app to be ready",
        "return document.documentElement.getAttribute('data-hookpanel-ready') === '1'",
        30,
    )?;
    // The icon, which a headless browser may not ask for by itself.
    session.js(
        "window.__icon = null; fetch(document.querySelector('link[rel=icon]').href)          .then(r => { window.__icon = r.status + ' ' + r.headers.get('content-type'); }); return true",
    )?;
    session.wait_for("the icon", "return window.__icon !== null", 10)?;
    let icon = session.js("return window.__icon")?;
    if !icon
        .as_str()
        .is_some_and(|i| i.starts_with("200 image/svg+xml"))
    {
        return Err(format!("the page's icon answered {icon}"));
    }
    let failed = session.js(
        "return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))          .filter(e => e.responseStatus >= 400).map(e => e.name + ' ' + e.responseStatus).join(', ')",
    )?;
    if failed.as_str().is_some_and(|f| !f.is_empty()) {
        return Err(format!("a first load made requests that failed: {failed}"));
    }
    let console = session.console()?;
    let errors: Vec<&str> = console
        .iter()
        .filter(|(level, _)| level == "SEVERE")
        .map(|(_, message)| message.as_str())
        .collect();
    if !errors.is_empty() {
        return Err(format!("a first load wrote errors:\n{}", errors.join("\n")));
    }
    // Warnings are said, not failed on.
    for (level, message) in console.iter().filter(|(level, _)| level != "SEVERE") {
        println!("first load, {level}: {message}");
    }
    println!("a first load makes no failed request and writes no error");
    fetched_at_once(&session)
}

/// The page asks for the wasm and the chunks' loader as soon as it is parsed (`split.rs`): each
/// is fetched once, and asked for before the glue that imports the loader and instantiates the
/// wasm is in. Without the early script, the wasm would be asked for by the glue; without the
/// loader's `modulepreload`, the loader only once the glue had been read.
fn fetched_at_once(session: &crate::webdriver::Session) -> Result<(), String> {
    let timings = session.js("const all = performance.getEntriesByType('resource'); \
         const of = (test) => all.filter(e => test(e.name.split('/').pop())) \
           .map(e => ({ start: e.startTime, end: e.responseEnd, by: e.initiatorType })); \
         return { \
           wasm: of(n => n.startsWith('hookpanel-app-') && n.endsWith('_bg.wasm')), \
           glue: of(n => n.startsWith('hookpanel-app-') && n.endsWith('.js')), \
           loader: of(n => n.startsWith('hookpanel-split-') && n.endsWith('.js')) };")?;
    let one = |name: &str| -> Result<(f64, f64, String), String> {
        match timings[name].as_array().map(Vec::as_slice) {
            Some([entry]) => match (entry["start"].as_f64(), entry["end"].as_f64()) {
                (Some(start), Some(end)) => Ok((
                    start,
                    end,
                    entry["by"].as_str().unwrap_or_default().to_string(),
                )),
                _ => Err(format!(
                    "the {name}'s timing has no start or end: {timings}"
                )),
            },
            _ => Err(format!(
                "a first load fetched the {name} other than once: {timings}"
            )),
        }
    };
    let (wasm, glue, loader) = (one("wasm")?, one("glue")?, one("loader")?);
    if wasm.2 != "fetch" || wasm.0 >= glue.1 {
        return Err(format!(
            "the wasm was not fetched by the page's early script before the glue was in: {timings}"
        ));
    }
    if loader.0 >= glue.1 {
        return Err(format!(
            "the chunks' loader was asked for only after the glue was in (no modulepreload): {timings}"
        ));
    }
    println!(
        "the wasm and the chunks' loader are each fetched once, asked for before the glue is in"
    );
    Ok(())
}

/// A page whose wasm or glue does not arrive (a host missing files, an old page against a new
/// deploy) says on the page that it could not start, and why, where it used to stay blank.
fn says_when_it_cannot_start(
    driver: &crate::webdriver::Driver,
    site: &std::path::Path,
    page: &str,
) -> Result<(), String> {
    let named = |test: &dyn Fn(&str) -> bool| -> Result<String, String> {
        std::fs::read_dir(site)
            .map_err(|e| format!("cannot read {}: {e}", site.display()))?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|n| test(n))
            .ok_or_else(|| format!("no such file in {}", site.display()))
    };
    let wasm = named(&|n| n.starts_with("hookpanel-app-") && n.ends_with("_bg.wasm"))?;
    let glue = named(&|n| n.starts_with("hookpanel-app-") && n.ends_with(".js"))?;
    for (file, why) in [
        (&wasm, format!("cannot fetch {page}{wasm}: 404 Not Found")),
        (&glue, "one of its scripts did not load".to_string()),
    ] {
        let (here, away) = (site.join(file), site.join(format!("{file}.away")));
        std::fs::rename(&here, &away).map_err(|e| format!("cannot move {file} away: {e}"))?;
        let said = driver.session(1280, 800).and_then(|session| {
            session.open(page)?;
            session.wait_for(
                &format!("the page to say it could not start without {file}"),
                "return !!document.querySelector('[role=alert]')",
                30,
            )?;
            session.js("return document.querySelector('[role=alert]').textContent")
        });
        std::fs::rename(&away, &here).map_err(|e| format!("cannot put {file} back: {e}"))?;
        let said = said?;
        let said = said.as_str().unwrap_or_default();
        if !said.starts_with(&format!(
            "Hookpanel could not start: {why}. Reload the page"
        )) {
            return Err(format!("without {file}, the page said: {said}"));
        }
    }
    println!("without its wasm or its glue, the page says it could not start, and why");
    Ok(())
}

/// A host that does not know `.wasm` sends it as `application/octet-stream`, which streaming
/// compilation refuses: the page still starts and opens the screens in its chunks, compiling each
/// file once it is all in, and warns.
fn starts_where_wasm_is_octet_stream(
    driver: &crate::webdriver::Driver,
    site: &std::path::Path,
) -> Result<(), String> {
    let server = crate::serve::Server::start_as(
        site,
        crate::serve::Host {
            precompressed: false,
            knows_wasm: false,
        },
    )?;
    let session = driver.logged_session(1280, 800)?;
    // Two screens from chunks: the everyday screens' and the workspace file's (with the chunk
    // they share).
    for (route, heading) in [
        ("/connections/new", "Add a connection"),
        ("/workspace", "Workspace file"),
    ] {
        session.open(&format!("{}/#{route}", server.url))?;
        session.wait_for(
            &format!("“{heading}” from a host that sends the wasm as application/octet-stream"),
            &format!(
                "const h = document.querySelector('main h1'); return !!h && h.textContent === {};",
                serde_json::Value::from(heading)
            ),
            30,
        )?;
    }
    let console = session.console()?;
    let errors: Vec<&str> = console
        .iter()
        .filter(|(level, _)| level == "SEVERE")
        .map(|(_, message)| message.as_str())
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "a load with the wasm as application/octet-stream wrote errors:\n{}",
            errors.join("\n")
        ));
    }
    if !console
        .iter()
        .any(|(_, message)| message.contains("not application/wasm"))
    {
        return Err(format!(
            "no warning that the host sends the wasm with another type: {console:?}"
        ));
    }
    println!(
        "the page starts and opens its chunks' screens from a host that sends the wasm as \
         application/octet-stream, and warns"
    );
    Ok(())
}

/// The release wasm is split (`xtask/src/split.rs`, `src/lazy.rs`): the first screen is drawn from
/// the main module alone; then the everyday screens' chunk (and the chunk of code it shares with
/// the workspace file) is fetched in the background, and the workspace file's own chunk only when
/// it is asked for. A chunk that cannot be fetched leaves its screen saying so, with a button
/// that fetches it again.
fn screens_fetched_apart(
    driver: &crate::webdriver::Driver,
    site: &std::path::Path,
    page: &str,
) -> Result<(), String> {
    let mut chunks: Vec<String> = std::fs::read_dir(site)
        .map_err(|e| format!("cannot read {}: {e}", site.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("hookpanel-") && n.ends_with(".wasm") && !n.ends_with("_bg.wasm"))
        .collect();
    chunks.sort();
    let named = |module: &str| {
        chunks
            .iter()
            .find(|c| c.starts_with(&format!("hookpanel-split_{module}-")))
            .cloned()
            .ok_or_else(|| {
                format!("dist/ has no chunk for the {module} split (chunks: {chunks:?})")
            })
    };
    let (screens, workspace) = (named("screens")?, named("workspace_file")?);
    let background: Vec<&str> = chunks
        .iter()
        .filter(|c| **c != workspace)
        .map(String::as_str)
        .collect();
    let session = driver.session(1280, 800)?;
    session.open(page)?;
    session.wait_for(
        "the everyday screens' chunks fetched after the first screen",
        &format!(
            "const got = performance.getEntriesByType('resource').map(e => e.name.split('/').pop()); \
             return {}.every(c => got.includes(c))",
            serde_json::Value::from(background.clone())
        ),
        30,
    )?;
    let early = session.js(&format!(
        "const ready = performance.getEntriesByName('hookpanel-ready')[0].startTime; \
         return performance.getEntriesByType('resource') \
           .filter(e => (e.name.endsWith('/{screens}') && e.startTime < ready) \
             || e.name.endsWith('/{workspace}')) \
           .map(e => e.name)"
    ))?;
    if early.as_array().is_none_or(|a| !a.is_empty()) {
        return Err(format!(
            "the first screen waited for a chunk, or the workspace file's was fetched unasked: {early}"
        ));
    }
    println!(
        "the first screen came first, then {} chunks in the background: {}",
        background.len(),
        background.join(", ")
    );

    let (here, away) = (
        site.join(&workspace),
        site.join(format!("{workspace}.away")),
    );
    std::fs::rename(&here, &away).map_err(|e| format!("cannot move {workspace} away: {e}"))?;
    let session = driver.session(1280, 800)?;
    let shown = session.open(&format!("{page}#/workspace")).and_then(|_| {
        session.wait_for(
            "the workspace file screen to say its code did not arrive",
            "const h = document.querySelector('main h1'); \
             return !!h && h.textContent === 'This screen could not be opened' \
               && !!document.querySelector('main [role=alert]')",
            30,
        )
    });
    std::fs::rename(&away, &here).map_err(|e| format!("cannot put {workspace} back: {e}"))?;
    shown?;
    session.js(
        "[...document.querySelectorAll('main button')].find(b => b.textContent === 'Try again').click(); return true",
    )?;
    session.wait_for(
        "the workspace file screen after Try again",
        "const h = document.querySelector('main h1'); return !!h && h.textContent === 'Workspace file'",
        30,
    )?;
    println!("a chunk that did not arrive is said on its screen, and Try again fetches it");
    creates_from_a_chunk(driver, page)
}

/// The editor works from its chunk as it does whole: a half-typed target is a problem on its
/// field, and the finished form creates a webhook at the sandbox (the same steps as
/// `tests/kajabi.rs`, which run on the unsplit build).
fn creates_from_a_chunk(driver: &crate::webdriver::Driver, page: &str) -> Result<(), String> {
    let session = driver.session(1280, 800)?;
    session.open(&format!("{page}#/c/sandbox-kajabi/new"))?;
    session.wait_for(
        "the Kajabi editor",
        "return !!document.getElementById('field-data-attributes-target_url')",
        30,
    )?;
    let fill = |id: &str, value: &str, event: &str| {
        session.js(&format!(
            "const e = document.getElementById({id}); e.value = {value}; \
             e.dispatchEvent(new Event({event}, {{bubbles: true}})); return true",
            id = serde_json::Value::from(id),
            value = serde_json::Value::from(value),
            event = serde_json::Value::from(event),
        ))
    };
    fill("field-data-attributes-target_url", "https://", "input")?;
    session.wait_for(
        "a problem on the half-typed target",
        "return [...document.querySelectorAll('[data-testid=\"field:/data/attributes/target_url\"] [data-testid=field-problem]')].length > 0",
        10,
    )?;
    fill(
        "field-data-attributes-target_url",
        "https://hooks.example.com/split",
        "input",
    )?;
    fill("field-data-attributes-event", "tag_added", "change")?;
    fill("field-data-attributes-resource_id", "123", "input")?;
    fill("field-data-relationships-site-data-id", "456", "input")?;
    session.js("document.querySelector('[data-testid=send]').click(); return true")?;
    session.wait_for(
        "the created webhook's page",
        "const h = document.querySelector('main h1'); return !!h && h.textContent.startsWith('Webhook ')",
        30,
    )?;
    println!("the editor's chunk checks a draft as it is typed and creates a webhook");
    Ok(())
}

/// Inside another page's frame the app shows neither the workspace nor a credential field, and
/// says why (without the host's `frame-ancestors`, which this plain server does not send).
fn refused_in_a_frame(
    driver: &crate::webdriver::Driver,
    site: &std::path::Path,
    page: &str,
) -> Result<(), String> {
    let framer = site.join("framed-check.html");
    std::fs::write(
        &framer,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>framer</title></head>\
         <body><iframe src=\"./#/connections/new\" width=\"800\" height=\"600\"></iframe></body></html>",
    )
    .map_err(|e| format!("cannot write {}: {e}", framer.display()))?;
    let session = driver.session(1280, 800)?;
    session.open(&format!("{page}framed-check.html"))?;
    session.wait_for(
        "the frame",
        "return !!document.querySelector('iframe') && document.querySelector('iframe').contentDocument !== null",
        10,
    )?;
    session.enter_frame()?;
    session.wait_for(
        "the framed notice",
        "return !!document.getElementById('framed')",
        30,
    )?;
    let shown = session.js(
        "return [document.getElementById('framed').textContent,          document.querySelectorAll('input, [data-testid=add-connection]').length].join('|')",
    )?;
    let _ = std::fs::remove_file(&framer);
    match shown.as_str().and_then(|s| s.rsplit_once('|')) {
        Some((text, "0")) if text.contains("does not run inside another page") => {
            println!("inside a frame, the page refuses and says why");
            Ok(())
        }
        _ => Err(format!("framed, the page showed: {shown}")),
    }
}

/// Every screen, by its route, and the heading it shows.
fn routes(superoffice_id: &str) -> Vec<(String, String)> {
    let webhook = format!("/c/sandbox-superoffice/s/{superoffice_id}");
    vec![
        ("/".into(), "Connections".into()),
        ("/connections/new".into(), "Add a connection".into()),
        (
            "/connections/sandbox-collect/edit".into(),
            "Edit Collect sandbox".into(),
        ),
        ("/c/sandbox-saleshandy".into(), "Saleshandy sandbox".into()),
        ("/c/sandbox-kajabi/new".into(), "New Kajabi webhook".into()),
        (webhook.clone(), format!("Webhook {superoffice_id}")),
        (
            format!("{webhook}/edit"),
            format!("Modify webhook {superoffice_id}"),
        ),
        ("/check".into(), "Check a delivery".into()),
        (format!("{webhook}/check"), "Check a delivery".into()),
        ("/workspace".into(), "Workspace file".into()),
        ("/no/such/screen".into(), "Nothing here".into()),
    ]
}

/// A webhook at the sandbox's SuperOffice, made through its API, for the details routes.
fn superoffice_webhook(sandbox: &str) -> Result<String, String> {
    let answer: serde_json::Value =
        ureq::post(format!("{sandbox}/superoffice/Cust12345/api/v1/Webhook"))
            .header("Authorization", "Bearer sandbox-superoffice-token")
            .send_json(serde_json::json!({
                "Name": "Release check", "Events": ["contact.created"],
                "TargetUrl": "https://hooks.example.com/release", "Type": "webhook"
            }))
            .map_err(|e| format!("the sandbox refused a webhook: {e}"))?
            .body_mut()
            .read_json()
            .map_err(|e| format!("the sandbox's answer: {e}"))?;
    Ok(answer["WebhookId"].to_string())
}

/// Copies the files of `from` (not its folders) into `to`.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from)
        .map_err(|e| format!("cannot read {}: {e}", from.display()))?
        .flatten()
    {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The page's Content-Security-Policy runs no script but Trunk's own loader: a copy of the built
/// page with an injected inline script and an inline event handler still starts the app, and
/// neither injection runs.
fn csp_blocks_injected_script(dist_dir: &std::path::Path, page: &str) -> Result<(), String> {
    let index = std::fs::read_to_string(dist_dir.join("index.html"))
        .map_err(|e| format!("cannot read dist/index.html: {e}"))?;
    let injected = index.replacen(
        "<body>",
        "<body><script>document.documentElement.setAttribute('data-injected', 'script')</script>\
         <img src=\"data:,\" onerror=\"document.documentElement.setAttribute('data-injected', 'handler')\">",
        1,
    );
    if injected == index {
        return Err("dist/index.html has no <body> to inject into".into());
    }
    let copy = dist_dir.join("csp-check.html");
    std::fs::write(&copy, injected).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
    let dom = dump_dom(&format!("{page}/csp-check.html"));
    let _ = std::fs::remove_file(&copy);
    let dom = dom?;
    // The injected code's own text holds the name; only the attribute it would set counts.
    if dom.contains("data-injected=\"") {
        return Err(
            "an injected inline script ran: the Content-Security-Policy does not hold".into(),
        );
    }
    if !dom.contains("data-hookpanel-ready=\"1\"") {
        return Err("the app did not start on the page with injected scripts".into());
    }
    println!("the Content-Security-Policy blocks injected inline scripts; the app still starts");
    Ok(())
}

/// The DOM of `url` after it has run, in headless Chromium with a fresh profile.
fn dump_dom(url: &str) -> Result<String, String> {
    let profile = std::env::temp_dir().join(format!(
        "hookpanel-chromium-{}-{}",
        std::process::id(),
        crate::webdriver::unique()
    ));
    // Bounded, so a Chromium that hangs fails the step instead of the whole CI run.
    let out = cmd("timeout")
        .args(["120", "chromium"])
        .args(chromium_flags())
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=15000", "--dump-dom"])
        .arg(url)
        .output()
        .map_err(|e| format!("cannot run chromium: {e}"))?;
    let _ = std::fs::remove_dir_all(&profile);
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Flags for headless Chromium as root on a machine whose only network is the package registries.
pub fn chromium_flags() -> [&'static str; 9] {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
}
