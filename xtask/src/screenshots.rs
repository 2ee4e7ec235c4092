//! `cargo xtask screenshots`: the main screens rendered in headless Chromium, against the sandbox
//! with a few webhooks in it, into `target/screenshots/*.png`, at 1280 and 375 px wide.

use crate::proc::{Sandbox, cmd, exec, root};
use crate::webdriver::{Driver, Session, free_port};
use serde_json::{Value, json};

pub fn run() -> Result<(), String> {
    crate::setup::run()?;
    let out = root().join("target/screenshots");
    let dist = out.join("dist");
    // The sandbox's address is built into the page, so choose it before building.
    let port = free_port()?;
    let sandbox_url = format!("http://127.0.0.1:{port}");
    exec(
        cmd("trunk")
            .args(["build", "--dist"])
            .arg(&dist)
            .env("HOOKPANEL_SANDBOX_URL", &sandbox_url),
    )?;
    let sandbox = Sandbox::start(port)?;
    let page = crate::serve::Server::start(&dist, false)?.url;
    let ids = seed(&sandbox.url)?;
    let driver = Driver::start()?;
    for (width, height, suffix) in [(1280, 1000, ""), (375, 1400, "-375")] {
        let shot = |s: &Session<'_>, name: &str| -> Result<(), String> {
            let file = out.join(format!("{name}{suffix}.png"));
            std::fs::write(&file, s.screenshot()?)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            println!("screenshot: {}", file.display());
            Ok(())
        };
        let s = driver.session(width, height)?;
        let open = |path: &str, ready: &str| -> Result<(), String> {
            s.open(&format!("{page}/#{path}"))?;
            let selector = Value::String(ready.to_string());
            s.wait_for(
                path,
                &format!("return !!document.querySelector({selector})"),
                30,
            )
            .map_err(|e| {
                let shown = s.js("return document.body.innerText").unwrap_or_default();
                format!("{e}; the page shows: {shown}")
            })
        };

        open("/", "[data-testid=add-connection]")?;
        shot(&s, "connections")?;

        open("/c/sandbox-superoffice", "[data-testid^='sub:']")?;
        shot(&s, "list")?;

        open(
            &format!("/c/sandbox-superoffice/s/{}", ids.failing),
            "[data-testid=vendor-state]",
        )?;
        shot(&s, "subscription-stopped-by-vendor")?;

        open("/c/sandbox-collect/new", "#field-targetUrl")?;
        s.js(&format!("{FILL}fill('#field-targetUrl', 'yourserver.com/hook'); document.querySelector('[data-testid=send]').click(); return true"))?;
        s.wait_for(
            "the problem summary",
            "return !!document.querySelector('[data-testid=problem-summary]')",
            10,
        )?;
        shot(&s, "editor-problems")?;

        // Kajabi's editor: the JSON:API envelope as a form, its resource id on one line.
        open(
            "/c/sandbox-kajabi/new",
            "#field-data-attributes-resource_id",
        )?;
        s.js(&format!(
            "{FILL}fill('#field-data-attributes-target_url', 'https://hooks.example.com/kajabi'); fill('#field-data-attributes-resource_id', '12a'); return true"
        ))?;
        s.wait_for(
            "the resource id's problem",
            "return !!document.querySelector('[data-testid=\"field:/data/attributes/resource_id\"] .problems li')",
            10,
        )?;
        shot(&s, "editor-kajabi")?;

        open(
            &format!("/c/sandbox-superoffice/s/{}/edit", ids.active),
            "#field-Name",
        )?;
        s.js(&format!(
            "{FILL}fill('#field-Name', 'Contact sync (EU)'); document.querySelector('[data-testid=diff]').scrollIntoView(); return true"
        ))?;
        s.wait_for(
            "the diff",
            "return document.querySelector('[data-testid=diff]').textContent.includes('EU')",
            10,
        )?;
        shot(&s, "modify-diff-preview")?;

        // A delivery of the signed webhook, as the sandbox would send it, pasted and checked.
        let delivery = post(
            &format!("{}/_sandbox/deliveries", sandbox.url),
            ("Accept", "application/json"),
            json!({"vendor": "superoffice", "id": ids.failing}),
        )?;
        open(
            &format!("/c/sandbox-superoffice/s/{}/check", ids.failing),
            "#delivery-text",
        )?;
        let request = Value::String(delivery["request"].as_str().unwrap_or_default().to_string());
        s.wait_for(
            "the secret from the record",
            "return !!document.querySelector('#delivery-secret') && document.querySelector('#delivery-secret').value !== ''",
            10,
        )?;
        s.js(&format!(
            "{FILL}fill('#delivery-text', {request}); return true"
        ))?;
        s.wait_for(
            "the verdict",
            "return !!document.querySelector('[data-testid=verdict-overall]')",
            10,
        )?;
        shot(&s, "check-delivery")?;

        // The workspace file: a bulk pause's dry run, every request shown, nothing sent.
        open("/workspace", "[data-testid=bulk-dry-run]")?;
        s.js("document.querySelector('[data-testid=bulk-dry-run]').click(); return true")?;
        s.wait_for(
            "the dry run",
            "return !!document.querySelector('[data-testid=plan-row]')",
            30,
        )?;
        s.js("document.querySelector('[data-testid=plan]').scrollIntoView(); return true")?;
        shot(&s, "workspace-bulk-dry-run")?;

        open("/c/sandbox-saleshandy/new", "#field-name")?;
        control(
            &sandbox.url,
            json!({"fault": "503", "count": 1, "retry_after": 120}),
        )?;
        s.js(&format!(
            "{FILL}fill('#field-name', 'Replies'); fill('#field-webhookUrl', 'https://hooks.example.com/sh');\
             [...document.querySelectorAll('label')].find(l => l.textContent === 'reply-received').click();\
             document.querySelector('[data-testid=send]').click(); return true"
        ))?;
        s.wait_for(
            "the error",
            "return !!document.querySelector('[data-testid=call-status].failed')",
            20,
        )?;
        s.js("document.querySelector('[data-testid=call-status]').scrollIntoView(); return true")?;
        shot(&s, "error-503")?;

        open(
            &format!("/c/sandbox-kajabi/s/{}", ids.kajabi),
            "[data-testid=pause]",
        )?;
        s.js("document.querySelector('[data-testid=pause]').click(); return true")?;
        s.wait_for(
            "the dialog",
            "return document.querySelector('dialog').open",
            10,
        )?;
        shot(&s, "confirm-emulated-pause")?;
    }
    println!("screenshots: {}", out.display());
    Ok(())
}

/// Fills a control as a person would: the value, then an input event.
const FILL: &str = "function fill(sel, v) { const e = document.querySelector(sel); e.value = v; \
                    e.dispatchEvent(new Event('input', {bubbles: true})); }";

struct Seeded {
    active: String,
    failing: String,
    kajabi: String,
}

/// Webhooks for the screens to show, made through the sandbox's vendor APIs.
fn seed(sandbox: &str) -> Result<Seeded, String> {
    let fixture = |path: &str| -> Result<Value, String> {
        let text = std::fs::read_to_string(root().join("schemas").join(path))
            .map_err(|e| format!("{path}: {e}"))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        Ok(v["instance"].clone())
    };
    let so = format!("{sandbox}/superoffice/Cust12345/api/v1/Webhook");
    let so_auth = ("Authorization", "Bearer sandbox-superoffice-token");
    let active = post(
        &so,
        so_auth,
        fixture("superoffice/fixtures/create/minimal.json")?,
    )?;
    let mut second = fixture("superoffice/fixtures/create/all-fields.json")?;
    second["Name"] = json!("Sales sync");
    let failing = post(&so, so_auth, second)?;
    let id = |v: &Value| v["WebhookId"].to_string();
    let (active, failing) = (id(&active), id(&failing));
    control_path(
        sandbox,
        &format!("/_sandbox/superoffice/webhooks/{failing}/too-many-errors"),
    )?;
    post(
        &format!("{sandbox}/saleshandy/v1/webhook/create"),
        ("x-api-key", "sandbox-saleshandy-key"),
        fixture("saleshandy/fixtures/create/seed-002-example.json")?,
    )?;
    let mut hook = fixture("kajabi/fixtures/create/seed-004-specific-tag.json")?;
    hook["data"]["attributes"]["resource_id"] = json!(123);
    let kajabi = post(
        &format!("{sandbox}/kajabi/v1/hooks"),
        ("Authorization", "Bearer sandbox-kajabi-token"),
        hook,
    )?;
    Ok(Seeded {
        active,
        failing,
        kajabi: kajabi["data"]["id"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| kajabi["data"]["id"].to_string()),
    })
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(url: &str, auth: (&str, &str), body: Value) -> Result<Value, String> {
    let mut response = agent()
        .post(url)
        .header(auth.0, auth.1)
        .header("Content-Type", "application/json")
        .send_json(body)
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    let answer: Value = response
        .body_mut()
        .read_json()
        .map_err(|e| format!("{url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url} answered {status}: {answer}"));
    }
    Ok(answer)
}

fn control(sandbox: &str, fault: Value) -> Result<(), String> {
    agent()
        .post(format!("{sandbox}/_sandbox/faults"))
        .send_json(fault)
        .map(|_| ())
        .map_err(|e| format!("sandbox faults: {e}"))
}

fn control_path(sandbox: &str, path: &str) -> Result<(), String> {
    agent()
        .post(format!("{sandbox}{path}"))
        .send_json(json!({}))
        .map(|_| ())
        .map_err(|e| format!("sandbox {path}: {e}"))
}
