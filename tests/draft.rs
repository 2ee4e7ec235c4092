//! One draft (issue 11): every control of the editor reads the draft as it is now, so an edit in
//! the raw JSON, in the form, then in the raw JSON again keeps all of them, for each kind of
//! control that keeps text of its own (key-value rows, one-per-line lists, a JSON field); and
//! "Start over" and a restored draft reach every control. Before, each control kept a private
//! copy: a header added in the raw JSON was gone once "Add a header" wrote the form's copy back.

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{Value, json};
use support::{Page, open_at, pause, reopen_at};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The draft as the raw view shows it with secrets revealed (and hidden again after).
async fn revealed(page: &Page) -> Value {
    page.click("[data-testid=reveal]").await;
    let text = page.raw_json();
    page.click("[data-testid=reveal]").await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Replaces the raw JSON with `draft`, pretty-printed as the view writes it.
async fn type_raw(page: &Page, draft: &Value) {
    page.fill("raw-json", &serde_json::to_string_pretty(draft).unwrap())
        .await;
}

#[wasm_bindgen_test]
async fn header_rows_follow_raw_edits_and_never_write_an_old_copy_back() {
    let page = open_at("/c/sandbox-saleshandy/new").await;
    // 1. Raw: a header typed in the raw JSON appears among the form's rows.
    type_raw(
        &page,
        &json!({"name": "Replies", "webhookUrl": "https://hooks.example.com/r",
            "webhookEvent": ["reply-received"], "headers": {"X-Raw": "raw-secret-1"}}),
    )
    .await;
    page.wait_for("the raw header in the rows", |p| {
        p.kv_rows("/headers") == [("X-Raw".to_string(), "raw-secret-1".to_string())]
    })
    .await;
    // 2. Form: "Add a header" adds to what the raw JSON made, it does not replace it.
    page.press("kv-add").await;
    page.wait_for("a new row", |p| p.kv_rows("/headers").len() == 2)
        .await;
    page.fill_kv("/headers", 1, "X-Form", "form-secret-2").await;
    assert_eq!(
        revealed(&page).await["headers"],
        json!({"X-Raw": "raw-secret-1", "X-Form": "form-secret-2"})
    );
    // 3. Raw again, edited while the values are masked: both hidden values are kept.
    let masked = page.raw_json();
    assert!(masked.contains("\"X-Form\": \"••••••••\""), "{masked}");
    page.fill("raw-json", &masked.replace("Replies", "Replies (edited)"))
        .await;
    let draft = revealed(&page).await;
    assert_eq!(draft["name"], "Replies (edited)");
    assert_eq!(
        draft["headers"],
        json!({"X-Raw": "raw-secret-1", "X-Form": "form-secret-2"})
    );
    // 4. Raw removes one: the rows follow; a row left without a name is kept, not lost.
    page.press("kv-add").await;
    page.wait_for("a third row", |p| p.kv_rows("/headers").len() == 3)
        .await;
    let mut edited = revealed(&page).await;
    edited["headers"] = json!({"X-Form": "form-secret-2"});
    type_raw(&page, &edited).await;
    page.wait_for("the rows to follow", |p| {
        p.kv_rows("/headers")
            == [
                ("X-Form".to_string(), "form-secret-2".to_string()),
                (String::new(), String::new()),
            ]
    })
    .await;
    // The values are masked in their inputs.
    assert!(
        page.find("[data-testid=\"field:/headers\"] input[aria-label=Value][type=password]")
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn line_lists_and_json_fields_follow_raw_edits_too() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    let base =
        json!({"Name": "Sync", "TargetUrl": "https://hooks.example.com/so", "Type": "webhook"});
    let mut draft = base.clone();
    draft["Events"] = json!(["contact.created", "sale.sold"]);
    draft["Properties"] = json!({"a": 1});
    type_raw(&page, &draft).await;
    page.wait_for("the lines and the JSON field", |p| {
        p.value_of("field-Events") == "contact.created\nsale.sold"
            && p.value_of("field-Properties").contains("\"a\": 1")
    })
    .await;
    // Form: a line added, a property added.
    page.fill("field-Events", "contact.created\nsale.sold\nperson.changed")
        .await;
    page.fill("field-Properties", "{\"a\": 1, \"b\": 2}").await;
    let now = revealed(&page).await;
    assert_eq!(
        now["Events"],
        json!(["contact.created", "sale.sold", "person.changed"])
    );
    assert_eq!(now["Properties"], json!({"a": 1, "b": 2}));
    // Raw again: both controls show the draft, not what they last held.
    let mut edited = now.clone();
    edited["Events"] = json!(["ticket.created"]);
    edited["Properties"] = json!({"c": 3});
    type_raw(&page, &edited).await;
    page.wait_for("the controls to follow", |p| {
        p.value_of("field-Events") == "ticket.created"
            && p.value_of("field-Properties").contains("\"c\": 3")
            && !p.value_of("field-Properties").contains("\"b\"")
    })
    .await;
    // A JSON field typed half-way keeps the text, and the draft keeps its last value.
    page.fill("field-Properties", "{\"c\": ").await;
    assert_eq!(revealed(&page).await["Properties"], json!({"c": 3}));
    assert_eq!(page.value_of("field-Properties"), "{\"c\": ");
    // Form then raw for the name too: the text control reads the draft.
    page.fill("field-Name", "Renamed").await;
    let mut again = revealed(&page).await;
    again["Name"] = json!("From raw");
    type_raw(&page, &again).await;
    page.wait_for("the name", |p| p.value_of("field-Name") == "From raw")
        .await;
}

#[wasm_bindgen_test]
async fn start_over_and_a_restored_draft_reach_every_control() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    page.fill("field-Name", "Kept").await;
    page.fill("field-Events", "contact.created\nsale.sold")
        .await;
    page.press("kv-add").await;
    page.wait_for("a row", |p| p.kv_rows("/Headers").len() == 1)
        .await;
    page.fill_kv("/Headers", 0, "X-Kept", "kept-secret-3").await;
    page.fill("field-Properties", "{\"k\": true}").await;
    pause(50).await;
    drop(page);
    let page = reopen_at("/c/sandbox-superoffice/new").await;
    page.wait_el("[data-testid=restored]").await;
    page.wait_for("every control restored", |p| {
        p.value_of("field-Name") == "Kept"
            && p.value_of("field-Events") == "contact.created\nsale.sold"
            && p.value_of("field-Properties").contains("\"k\": true")
            // The header's name is kept; its value, a secret, is not.
            && p.kv_rows("/Headers") == [("X-Kept".to_string(), String::new())]
    })
    .await;
    assert!(!support::stored().contains("kept-secret-3"));
    page.click("[data-testid=restored] button").await;
    page.wait_for("every control cleared", |p| {
        p.value_of("field-Name").is_empty()
            && p.value_of("field-Events").is_empty()
            && p.value_of("field-Properties").is_empty()
            && p.kv_rows("/Headers").is_empty()
    })
    .await;
}

/// The raw view parses each text into the draft before last (`draft::parse_into`, which reuses its
/// memory): whatever that held, keys reordered, dropped, added or repeated, a half-typed text in
/// between, the draft is what was typed, in the order it was typed, and a form edit after keeps
/// that order.
#[wasm_bindgen_test]
async fn each_raw_text_is_the_draft_whatever_the_last_ones_were() {
    let page = open_at("/c/sandbox-saleshandy/new").await;
    let texts = [
        r#"{"name": "A", "webhookUrl": "https://hooks.example.com/a", "webhookEvent": ["reply-received"], "headers": {"X-One": "1", "X-Two": "2"}}"#,
        r#"{"webhookEvent": ["reply-received", "email-sent"], "name": "A name longer than before", "headers": {"X-Two": "2", "X-Three": "3"}, "webhookUrl": "https://hooks.example.com/b"}"#,
        r#"{"webhookEvent": ["reply-received"], "name": "#,
        r#"{"name": "B", "webhookUrl": "https://hooks.example.com/c", "name": "C", "webhookEvent": []}"#,
        r#"{"name": "C", "webhookUrl": "https://hooks.example.com/c", "webhookEvent": [], "headers": {"X-Four": "4"}}"#,
    ];
    for text in texts {
        page.fill("raw-json", text).await;
        let Ok(typed) = serde_json::from_str::<Value>(text) else {
            // Kept as typed, and said not to parse; the next text is parsed into what this
            // one left half-written.
            assert_eq!(page.raw_json(), text);
            assert!(page.find("#raw-json[aria-invalid=true]").is_some());
            continue;
        };
        assert_eq!(
            serde_json::to_string(&revealed(&page).await).unwrap(),
            serde_json::to_string(&typed).unwrap(),
            "after {text}"
        );
    }
    page.fill("field-name", "D").await;
    assert_eq!(
        serde_json::to_string(&revealed(&page).await).unwrap(),
        r#"{"name":"D","webhookUrl":"https://hooks.example.com/c","webhookEvent":[],"headers":{"X-Four":"4"}}"#
    );
}

/// A draft of real size (1,000 event names) shows the first lines of its request, exactly as sent,
/// says how many more there are, and shows them all on request; the raw view keeps up.
#[wasm_bindgen_test]
async fn a_long_request_shows_its_first_lines_and_all_of_them_on_request() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    let events: Vec<String> = (0..1000).map(|i| format!("ev{i}.created")).collect();
    let draft = json!({"Name": "Many", "Events": events, "TargetUrl": "https://hooks.example.com/so", "Type": "webhook"});
    type_raw(&page, &draft).await;
    page.wait_el("[data-testid=preview-more]").await;
    let shown = page.text_of("request-preview");
    assert_eq!(shown.lines().count(), 200, "{shown}");
    assert!(shown.contains("\"ev0.created\"") && !shown.contains("\"ev999.created\""));
    assert!(
        page.text_of("preview-more").contains("more lines"),
        "{}",
        page.text_of("preview-more")
    );
    page.press("preview-whole").await;
    page.wait_for("the whole request", |p| {
        p.text_of("request-preview").contains("\"ev999.created\"")
    })
    .await;
    assert!(page.text_of("preview-more").contains("lines are shown"));
    page.press("preview-whole").await;
    page.wait_for("the first lines again", |p| {
        p.text_of("request-preview").lines().count() == 200
    })
    .await;
    // A short draft has nothing left out.
    type_raw(&page, &json!({"Name": "Few", "Events": ["sale.sold"], "TargetUrl": "https://hooks.example.com/so", "Type": "webhook"})).await;
    page.wait_for("no note", |p| {
        p.find("[data-testid=preview-more]").is_none()
    })
    .await;
}
