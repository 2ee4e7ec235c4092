//! Workspace as code (issue 12), end to end over the sandbox: export every webhook of every
//! connection, edit the file, import it as a plan, apply it, and import it again to see "no
//! changes"; a bulk pause across every vendor (Kajabi's emulated) with rows failing by sandbox
//! faults (a 500, and a 429 whose Retry-After is waited out) and then retried; drift after
//! changes made through the vendors' APIs directly; and a file that fails its schema, refused with
//! problems at their pointers and nothing sent. Every edit is chosen by the vendor's capabilities
//! (a vendor whose API cannot pause is not asked to), never by its name.

#![cfg(target_arch = "wasm32")]

mod support;

use hookpanel_core::sync::{self, WorkspaceFile};
use hookpanel_core::vendors::spec;
use hookpanel_core::{Action, Operation, VendorId};
use serde_json::{Value, json};
use support::{
    Page, assert_nowhere, capture_console, fault, mount_at, open_at, post_control, seed,
    vendor_post,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// How many webhooks each listing vendor starts with: more than one page of every list (Kajabi
/// and Saleshandy page by 25).
const SEEDED: usize = 30;

async fn seed_listing_vendors() {
    for vendor in VendorId::ALL {
        if spec(vendor).capability(Action::List).is_available() {
            seed(vendor.as_str(), SEEDED).await;
        }
    }
}

/// Exports the workspace, as the admin would, and reads the file the page shows.
async fn export(page: &Page) -> Value {
    page.press("export").await;
    page.wait_up_to(120, "the export", |p| {
        p.find("#export-text").is_some() && !p.value_of("export-text").is_empty()
    })
    .await;
    let text = page.value_of("export-text");
    serde_json::from_str(&text).expect("the export is JSON")
}

/// Pastes a file and plans it.
async fn plan(page: &Page, file: &Value, delete_missing: bool) {
    page.fill(
        "workspace-text",
        &serde_json::to_string_pretty(file).unwrap_or_default(),
    )
    .await;
    let ticked = page
        .find("#delete-missing")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked());
    if ticked != delete_missing {
        page.click("#delete-missing").await;
    }
    page.press("plan-import").await;
    page.wait_up_to(120, "the plan", |p| {
        p.find("[data-testid=plan]").is_some() || p.find("[data-testid=sync-failed]").is_some()
    })
    .await;
    assert!(
        page.find("[data-testid=sync-failed]").is_none(),
        "{}",
        page.text_of("sync-failed")
    );
}

/// Types a secret into every secret the plan asks for.
async fn fill_secrets(page: &Page, value: &str) {
    let ids: Vec<String> = all(page, "[data-testid=plan] input[type=password]")
        .into_iter()
        .map(|e| e.id())
        .collect();
    for id in ids {
        page.fill(&id, value).await;
    }
}

fn all(page: &Page, selector: &str) -> Vec<web_sys::Element> {
    let _ = page;
    let list = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(selector).ok());
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Every row shown: (kind, state, outcome).
fn rows(page: &Page) -> Vec<(String, String, String)> {
    all(page, "[data-testid=plan-row]")
        .into_iter()
        .map(|e| {
            let outcome = e
                .query_selector("[data-testid=row-state]")
                .ok()
                .flatten()
                .and_then(|c| c.text_content())
                .unwrap_or_default();
            (
                e.get_attribute("data-kind").unwrap_or_default(),
                e.get_attribute("data-state").unwrap_or_default(),
                outcome,
            )
        })
        .collect()
}

/// Applies the plan and waits for its summary.
async fn apply(page: &Page, testid: &str) -> String {
    page.press(testid).await;
    page.wait_up_to(300, "the apply to end", |p| {
        p.find("[data-testid=apply-summary]").is_some()
    })
    .await;
    page.text_of("apply-summary")
}

fn connections(file: &Value) -> Vec<Value> {
    file["connections"].as_array().cloned().unwrap_or_default()
}

fn vendor_of(connection: &Value) -> VendorId {
    VendorId::parse(connection["vendor"].as_str().unwrap_or_default()).expect("a known vendor")
}

fn target_pointer(vendor: VendorId) -> &'static str {
    hookpanel_core::roles::role_of(vendor, Operation::Create, "target").expect("a target field")
}

/// A new webhook for a connection: a copy of its first, or for a connection with none (Collect's
/// empty ledger) the vendor's own all-fields fixture, at a target of its own.
fn new_entry(connection: &Value, n: usize) -> Value {
    let vendor = vendor_of(connection);
    let mut draft = connection["subscriptions"][0]["draft"].clone();
    if !draft.is_object() {
        let fixture: Value = serde_json::from_str(match vendor.as_str() {
            "collect" => include_str!("../schemas/collect/fixtures/create/all-fields.json"),
            "saleshandy" => include_str!("../schemas/saleshandy/fixtures/create/all-fields.json"),
            "superoffice" => include_str!("../schemas/superoffice/fixtures/create/all-fields.json"),
            _ => include_str!("../schemas/kajabi/fixtures/create/all-fields.json"),
        })
        .expect("a fixture");
        draft =
            hookpanel_core::edit::without_secrets(vendor, Operation::Create, &fixture["instance"]);
    }
    let secrets: Vec<String> = hookpanel_core::edit::secrets(vendor, Operation::Create, &draft)
        .into_iter()
        .map(|s| s.pointer)
        .collect();
    hookpanel_core::draft::set(
        &mut draft,
        target_pointer(vendor),
        Some(json!(format!(
            "https://new{n}.hooks.example.com/{}",
            vendor.as_str()
        ))),
    );
    json!({ "state": "active", "draft": draft, "secrets": secrets })
}

fn with_host(entry: &mut Value, vendor: VendorId, host: &str) {
    let pointer = format!("/draft{}", target_pointer(vendor));
    if let Some(target) = entry.pointer_mut(&pointer) {
        let text = target.as_str().unwrap_or_default().to_string();
        let (scheme, rest) = text.split_once("://").expect("an absolute target URL");
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        *target = json!(format!("{scheme}://{host}{path}"));
    }
}

#[wasm_bindgen_test]
async fn export_edit_import_apply_and_import_again_shows_no_changes_for_every_vendor() {
    const SECRET: &str = "whsec-sync-test-4711";
    capture_console();
    let page = open_at("/workspace").await;
    seed_listing_vendors().await;

    // Round 1: three new webhooks at every connection, Collect's ledger included.
    let mut file = export(&page).await;
    let listed: usize = connections(&file)
        .iter()
        .map(|c| c["subscriptions"].as_array().map_or(0, Vec::len))
        .sum();
    let listing = VendorId::ALL
        .into_iter()
        .filter(|v| spec(*v).capability(Action::List).is_available())
        .count();
    assert_eq!(
        listed,
        listing * SEEDED,
        "every page of every list is exported"
    );
    for c in file["connections"].as_array_mut().expect("connections") {
        let extra: Vec<Value> = (0..3).map(|n| new_entry(c, n)).collect();
        c["subscriptions"]
            .as_array_mut()
            .expect("subscriptions")
            .extend(extra);
    }
    plan(&page, &file, false).await;
    let creates = rows(&page).iter().filter(|r| r.0 == "create").count();
    assert_eq!(creates, 3 * VendorId::ALL.len(), "{:?}", rows(&page));
    fill_secrets(&page, SECRET).await;
    let asked = all(&page, "[data-testid=plan] input[type=password]");
    assert!(
        !asked.is_empty(),
        "the secrets a create needs are asked for"
    );
    let summary = apply(&page, "apply").await;
    assert!(
        summary.contains("every change was made"),
        "{summary}: {:?}",
        rows(&page)
    );
    assert!(
        !page.text().contains(SECRET),
        "the plan never shows a secret"
    );
    assert_nowhere(&[SECRET], "after applying a plan with a secret typed in");
    plan(&page, &file, false).await;
    page.wait_el("[data-testid=no-changes]").await;

    // Round 2: from a fresh export, each change the vendor's API can make.
    let mut file = export(&page).await;
    assert!(
        !file.to_string().contains(SECRET),
        "an export leaves the secrets out, even those the vendor returns"
    );
    let live: WorkspaceFile = serde_json::from_value(file.clone()).expect("a workspace");
    let mut expected = Vec::new();
    for c in file["connections"].as_array_mut().expect("connections") {
        let vendor = vendor_of(c);
        let can = |a: Action| spec(vendor).capability(a).is_available();
        let subs = c["subscriptions"].as_array_mut().expect("subscriptions");
        assert!(subs.len() >= 3, "{vendor:?} has {} webhooks", subs.len());
        if can(Action::Modify) {
            with_host(&mut subs[0], vendor, "moved.example.com");
            expected.push("modify");
        }
        if can(Action::Pause) {
            subs[1]["state"] = json!("paused");
            expected.push("pause");
        }
        if can(Action::Delete) {
            subs.remove(2);
            expected.push("delete");
        }
    }
    plan(&page, &file, true).await;
    let mut kinds: Vec<String> = rows(&page).into_iter().map(|r| r.0).collect();
    kinds.sort();
    expected.sort();
    assert_eq!(kinds, expected, "one row per change the file makes");
    // The page shows the plan core computes for the CLI, word for word.
    let desired: WorkspaceFile = serde_json::from_value(file.clone()).expect("a workspace");
    let plans = sync::plan_workspace(
        &desired,
        &live,
        &sync::PlanOptions {
            delete_missing: true,
        },
    )
    .expect("plans");
    let shown: Vec<String> = all(&page, "[data-testid=plan-text]")
        .into_iter()
        .filter_map(|e| e.text_content())
        .collect();
    // The page also takes the secrets SuperOffice returns on its reads (which the test does not
    // have), so core's "missing secrets" lines for them are not on the page.
    let from_core: Vec<String> = plans
        .iter()
        .map(|p| {
            sync::plan_text(p)
                .lines()
                .filter(|l| !l.trim_start().starts_with("missing secrets:"))
                .map(|l| format!("{l}\n"))
                .collect()
        })
        .collect();
    assert_eq!(shown.len(), from_core.len());
    for (page_text, core_text) in shown.iter().zip(&from_core) {
        for (a, b) in page_text.lines().zip(core_text.lines()) {
            assert_eq!(a, b, "the page's plan and core's differ");
        }
        assert_eq!(page_text, core_text);
    }
    if expected.iter().any(|k| *k == "pause" || *k == "modify") {
        assert!(
            page.text_of("plan").contains("Emulated"),
            "Kajabi's steps are said to be emulated"
        );
    }
    let summary = apply(&page, "apply").await;
    assert!(
        summary.contains("every change was made"),
        "{summary}: {:?}",
        rows(&page)
    );
    plan(&page, &file, true).await;
    page.wait_el("[data-testid=no-changes]").await;
}

#[wasm_bindgen_test]
async fn a_bulk_pause_across_every_vendor_survives_a_failed_row_and_a_rate_limit_and_is_retried() {
    let page = open_at("/workspace").await;
    for vendor in VendorId::ALL {
        if spec(vendor).capability(Action::List).is_available()
            && spec(vendor).capability(Action::Pause).is_available()
        {
            seed(vendor.as_str(), 120).await;
        }
    }
    // Collect cannot list: its webhooks are the ones made here, by a file.
    let mut file = export(&page).await;
    for c in file["connections"].as_array_mut().expect("connections") {
        if c["subscriptions"].as_array().is_some_and(Vec::is_empty) {
            let extra: Vec<Value> = (0..2).map(|n| new_entry(c, n)).collect();
            c["subscriptions"] = json!(extra);
        }
    }
    plan(&page, &file, false).await;
    fill_secrets(&page, "whsec-sync-test-4711").await;
    apply(&page, "apply").await;

    page.select("bulk-change", "pause").await;
    page.select("bulk-status", "active").await;
    page.press("bulk-dry-run").await;
    page.wait_up_to(120, "the dry run", |p| {
        p.find("[data-testid=plan]").is_some()
    })
    .await;
    let pauses = rows(&page).iter().filter(|r| r.0 == "pause").count();
    assert!(pauses >= 200, "{pauses} pauses planned");
    assert!(
        rows(&page)
            .iter()
            .all(|r| r.1 == "waiting" || r.1 == "blocked"),
        "a dry run sends nothing"
    );
    // The first write fails with a 500; the next is refused with a 429 asking for 1 s.
    fault(r#"{"fault": "500", "count": 1}"#).await;
    fault(r#"{"fault": "429", "count": 1, "retry_after": 1}"#).await;
    let summary = apply(&page, "apply").await;
    let failed: Vec<_> = rows(&page)
        .into_iter()
        .filter(|r| r.1 == "failed")
        .collect();
    let skipped: Vec<_> = rows(&page)
        .into_iter()
        .filter(|r| r.1 == "skipped")
        .collect();
    // A vendor whose API cannot pause has its rows shown, with why, and never sent.
    let blocked: Vec<_> = rows(&page)
        .into_iter()
        .filter(|r| r.1 == "blocked")
        .collect();
    assert!(
        blocked.iter().all(|r| r.2.contains("cannot pause")),
        "{blocked:?}"
    );
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        failed.iter().any(|r| r.2.contains("limited the rate")),
        "{failed:?}"
    );
    assert!(
        summary.contains("1 s of it waiting out rate limits"),
        "{summary}"
    );
    assert!(skipped.is_empty(), "{skipped:?}");
    web_sys::console::log_1(&format!("bulk pause: {summary}").into());

    let summary = apply(&page, "retry-failed").await;
    assert!(summary.contains("every change was made"), "{summary}");
    assert!(
        summary.starts_with("Sent 2 requests"),
        "only the failed rows are sent again: {summary}"
    );
    assert!(
        rows(&page)
            .iter()
            .all(|r| r.1 == "done" || r.1 == "blocked"),
        "{:?}",
        rows(&page)
    );

    page.press("bulk-dry-run").await;
    page.wait_up_to(120, "the second dry run", |p| {
        p.find("[data-testid=no-changes]").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn drift_shows_what_changed_through_the_vendors_api_since_the_export() {
    let page = open_at("/workspace").await;
    seed_listing_vendors().await;
    let file = export(&page).await;
    let made = vendor_post(
        "/superoffice/Cust12345/api/v1/Webhook",
        ("Authorization", "Bearer sandbox-superoffice-token"),
        json!({"Name": "Made elsewhere", "Events": ["contact.changed"], "TargetUrl": "https://elsewhere.example.com/so", "Type": "webhook"}),
    )
    .await;
    let seeded_id = connections(&file)
        .into_iter()
        .find(|c| c["vendor"] == "superoffice")
        .and_then(|c| c["subscriptions"][0]["id"].as_str().map(str::to_string))
        .expect("a seeded SuperOffice webhook");
    post_control(
        &format!("/_sandbox/superoffice/webhooks/{seeded_id}/too-many-errors"),
        "{}",
    )
    .await;
    page.press("drift-kept").await;
    page.wait_up_to(120, "the drift", |p| {
        p.find("[data-testid=drift-result]").is_some()
    })
    .await;
    let drifts: Vec<(String, String)> = all(&page, "[data-testid=drift]")
        .into_iter()
        .map(|e| {
            (
                e.get_attribute("data-kind").unwrap_or_default(),
                e.text_content().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(drifts.len(), 2, "{drifts:?}");
    assert!(
        drifts.iter().any(|(k, t)| k == "created"
            && t.contains("elsewhere.example.com")
            && t.contains(&made["WebhookId"].to_string())),
        "{drifts:?}"
    );
    assert!(
        drifts
            .iter()
            .any(|(k, t)| k != "created" && t.contains(&seeded_id)),
        "{drifts:?}"
    );
    // The other connections did not change.
    assert_eq!(
        all(&page, "[data-testid=no-drift]").len(),
        VendorId::ALL.len() - 1
    );
}

#[wasm_bindgen_test]
async fn a_file_that_fails_its_schema_is_refused_at_its_pointers_and_nothing_is_sent() {
    let page = open_at("/workspace").await;
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        perf.set_resource_timing_buffer_size(100_000);
        perf.clear_resource_timings();
    }
    let sent_before = requests_made();
    let file = json!({
        "format": "hookpanel-workspace",
        "version": 1,
        "connections": [
            { "id": "sandbox-kajabi", "vendor": "kajabi", "name": "Kajabi", "base_url": "http://127.0.0.1/kajabi",
              "subscriptions": [ { "state": "sleeping", "draft": {} } ] },
            { "id": "x", "vendor": "nobody", "name": "?", "base_url": "https://x.example.com", "subscriptions": [] }
        ]
    });
    page.fill("workspace-text", &file.to_string()).await;
    page.press("plan-import").await;
    page.wait_el("[data-testid=file-problems]").await;
    let problems: Vec<String> = all(&page, "[data-testid=file-problem]")
        .into_iter()
        .filter_map(|e| e.text_content())
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("/connections/1/vendor")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("/connections/0/subscriptions/0/state")),
        "{problems:?}"
    );
    support::pause(200).await;
    assert!(page.find("[data-testid=plan]").is_none(), "no plan is made");
    assert_eq!(requests_made(), sent_before, "nothing was read or sent");
    // Not JSON at all: one problem, at the root, with where.
    page.fill("workspace-text", "{\"format\": ").await;
    page.press("plan-import").await;
    page.wait_for("the parse problem", |p| {
        p.text_of("file-problems").contains("/:")
    })
    .await;
    assert_eq!(requests_made(), sent_before, "nothing was read or sent");
}

/// How many requests the page has made to the sandbox so far (the browser's resource timing).
fn requests_made() -> usize {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return 0;
    };
    let sandbox = support::sandbox_url();
    perf.get_entries_by_type("resource")
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::PerformanceEntry>().ok())
        .filter(|e| e.name().starts_with(&sandbox) && !e.name().contains("/_sandbox/"))
        .count()
}

#[wasm_bindgen_test]
async fn an_export_of_chosen_connections_holds_only_them() {
    let page = open_at("/workspace").await;
    seed_listing_vendors().await;
    let all_of_them = connections(&export(&page).await).len();
    assert_eq!(
        all_of_them,
        VendorId::ALL.len(),
        "every connection by default"
    );
    let left_out = "sandbox-superoffice";
    page.click(&format!("#export-{left_out}")).await;
    let file = export(&page).await;
    let ids: Vec<String> = connections(&file)
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), all_of_them - 1, "{ids:?}");
    assert!(!ids.iter().any(|id| id == left_out), "{ids:?}");
}

/// Collect cannot list: a create of a plan that got no answer is recorded in its ledger as "not
/// confirmed", as the editor's is, never lost, and the row is not offered for a blind retry.
#[wasm_bindgen_test]
async fn a_create_that_times_out_at_a_vendor_that_cannot_list_is_kept_as_not_confirmed() {
    support::reset().await;
    let page = mount_at(
        "/workspace",
        hookpanel::Config {
            timeout_ms: 800,
            ..hookpanel::Config::default()
        },
    )
    .await;
    let mut file = export(&page).await;
    let collect = file["connections"]
        .as_array_mut()
        .expect("connections")
        .iter_mut()
        .find(|c| !spec(vendor_of(c)).capability(Action::List).is_available())
        .expect("a vendor that cannot list");
    let entry = new_entry(collect, 7);
    collect["subscriptions"] = json!([entry]);
    plan(&page, &file, false).await;
    fill_secrets(&page, "whsec-sync-timeout-0815").await;
    fault(r#"{"fault": "slow", "delay_ms": 3000}"#).await;
    apply(&page, "apply").await;
    let failed: Vec<_> = rows(&page)
        .into_iter()
        .filter(|r| r.1 == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{:?}", rows(&page));
    assert!(
        failed[0].2.contains("may have created the webhook"),
        "{failed:?}"
    );
    assert!(
        support::stored().contains("unconfirmed"),
        "the ledger records it"
    );
    assert!(
        !support::stored().contains("whsec-sync-timeout-0815"),
        "without its secret"
    );
    assert!(
        page.find("[data-testid=retry-failed]").is_none(),
        "a create that may have happened is not offered for a blind retry"
    );
}
