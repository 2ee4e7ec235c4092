//! Workspace as code (`hookpanel_core::sync`): export → file → plan, on records shaped as each
//! vendor answers (decoded by its adapter, as the page reads them), at the sizes of real accounts.

use std::collections::BTreeMap;

use hookpanel_core::sync::{
    self, BulkChange, ConnectionFile, DesiredState, DriftKind, Filter, MatchedBy, PlanOptions,
    RowKind, SecretKey, SubscriptionFile, WorkspaceFile,
};
use hookpanel_core::{
    Action, Capability, HttpResponse, Method, Outcome, Secret, Subscription, VendorId, decode,
    vendors,
};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Records as the vendors answer them

fn answer(body: Value) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    }
}

fn decoded(vendor: VendorId, body: Value) -> Subscription {
    match decode(vendor, Action::Get, &answer(body)) {
        Ok(Outcome::One(sub)) => sub,
        other => panic!("{vendor:?} did not decode: {other:?}"),
    }
}

const COLLECT_EVENTS: [&str; 6] = [
    "created",
    "statusChanged",
    "portalSubmited",
    "docUploaded",
    "emailSent",
    "smsFailed",
];
const SALESHANDY_EVENTS: [&str; 5] = [
    "email-sent",
    "email-opened",
    "reply-received",
    "email-bounced",
    "task-created",
];
const SUPEROFFICE_EVENTS: [&str; 6] = [
    "contact.created",
    "contact.changed",
    "person.created",
    "sale.sold",
    "ticket.created",
    "list.110.created",
];
const KAJABI_EVENTS: [&str; 6] = [
    "purchase",
    "payment_succeeded",
    "order_created",
    "form_submission",
    "tag_added",
    "tag_removed",
];

/// The vendors [`record`] has answers for (a vendor added later, such as `cargo xtask
/// fifth-vendor`'s Acme, has none here).
const RECORDED: [VendorId; 4] = [
    VendorId::Collect,
    VendorId::Saleshandy,
    VendorId::SuperOffice,
    VendorId::Kajabi,
];

fn events(all: &[&str], i: usize) -> Vec<String> {
    (0..1 + i % 3)
        .map(|k| all[(i + k * 2) % all.len()].to_string())
        .collect()
}

fn target(vendor: &str, i: usize) -> String {
    format!(
        "https://hooks{}.example.com/{vendor}/receive/{i}?source=hookpanel",
        i % 7
    )
}

/// The `i`th webhook of a vendor's account, as its API returns it (secrets included where the
/// vendor returns them), decoded by its adapter.
fn record(vendor: VendorId, i: usize) -> Subscription {
    let created = format!("2026-0{}-1{}T08:3{}:00Z", 1 + i % 9, i % 10, i % 10);
    let body = match vendor {
        VendorId::Collect => {
            let mut hook = json!({
                "_id": format!("65f1c0de{i:08x}"),
                "targetUrl": target("collect", i),
                "status": if i.is_multiple_of(5) { "paused" } else { "active" },
                "types": events(&COLLECT_EVENTS, i),
                "createdAt": created,
            });
            if i.is_multiple_of(3) {
                hook["campaignId"] = json!(format!("camp-{}", i % 11));
            }
            if i.is_multiple_of(2) {
                hook["secretToken"] = json!(format!("collect-token-{i}"));
            }
            hook
        }
        VendorId::Saleshandy => {
            let headers = if i.is_multiple_of(2) {
                json!({"X-Hook-Secret": format!("sh-secret-{i}")})
            } else {
                json!({})
            };
            let mut hook = json!({
                "id": format!("wh_{i:06}"),
                "name": format!("Sequence hook {i}"),
                "webhookUrl": target("saleshandy", i),
                "webhookEvent": events(&SALESHANDY_EVENTS, i),
                "headers": headers,
                "status": if i.is_multiple_of(6) { "paused" } else { "active" },
                "createdAt": created,
            });
            if i.is_multiple_of(12) {
                hook["failed"] = json!(true);
                hook["lastFailure"] = json!({"message": "connect ETIMEDOUT"});
            }
            json!({"message": "Webhook fetched successfully", "payload": hook})
        }
        VendorId::SuperOffice => {
            let state = match i % 10 {
                0 => "Stopped",
                5 => "TooManyErrors",
                _ => "Active",
            };
            json!({
                "WebhookId": 1000 + i,
                "Name": format!("CRM sync {i}"),
                "Events": events(&SUPEROFFICE_EVENTS, i),
                "TargetUrl": target("superoffice", i),
                "Secret": if i.is_multiple_of(2) { format!("so-secret-{i}") } else { String::new() },
                "State": state,
                "Type": "webhook",
                "Headers": if i.is_multiple_of(4) { json!({"X-Api-Key": format!("so-header-{i}")}) } else { json!({}) },
                // An admin's own key among the free properties, now and then: a secret by its name.
                "Properties": match i % 9 {
                    7 => json!({"tenant": "eu-2", "apiKey": format!("so-prop-{i}")}),
                    _ if i.is_multiple_of(3) => json!({"tenant": "eu-1"}),
                    _ => json!({}),
                },
                "ErrorsEmail": if i.is_multiple_of(2) { "ops@example.com" } else { "" },
                "Registered": created,
                "RegisteredAssociate": {"AssociateId": 5, "Name": "SAL", "FullName": "Sally Admin"},
                "Updated": created,
                "UpdatedAssociate": {"AssociateId": 5, "Name": "SAL", "FullName": "Sally Admin"},
                "_Links": {"Self": format!("https://sod.superoffice.com/Cust12345/api/v1/Webhook/{}", 1000 + i)}
            })
        }
        VendorId::Kajabi => json!({"data": {
            "id": format!("{}", 880_000 + i),
            "type": "hooks",
            "attributes": {
                "event": KAJABI_EVENTS[i % KAJABI_EVENTS.len()],
                "target_url": target("kajabi", i),
                "resource_id": if i.is_multiple_of(4) { json!(123 + i) } else { Value::Null },
                "created_at": created,
                "updated_at": created,
            },
            "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}
        }}),
        #[allow(unreachable_patterns)]
        _ => panic!("no records for {vendor:?}"),
    };
    decoded(vendor, body)
}

fn records(vendor: VendorId, n: usize) -> Vec<Subscription> {
    (0..n).map(|i| record(vendor, i)).collect()
}

/// Kajabi hooks paused here: deleted at Kajabi, kept by the page as their create drafts.
fn parked(subs: &[Subscription]) -> Vec<Subscription> {
    subs.iter()
        .map(|s| {
            let mut kept = s.clone();
            kept.raw = hookpanel_core::edit::modify_draft(VendorId::Kajabi, s).expect("kept draft");
            kept.status = hookpanel_core::SubscriptionStatus::Paused;
            kept
        })
        .collect()
}

fn base(vendor: VendorId) -> &'static str {
    vendors::spec(vendor).default_base_url
}

fn live(vendor: VendorId, subs: &[Subscription], parked: &[Subscription]) -> ConnectionFile {
    sync::export_connection(
        &format!("c-{}", vendor.as_str()),
        vendor,
        vendor.display_name(),
        base(vendor),
        subs,
        parked,
    )
}

/// The file a user would keep: exported, written, and read back.
fn through_text(connection: &ConnectionFile) -> ConnectionFile {
    let file = WorkspaceFile::new(
        Some("2026-12-02T10:00:00Z".into()),
        vec![connection.clone()],
    );
    let text = sync::to_text(&file);
    let read = sync::read_file(&text).unwrap_or_else(|p| panic!("its own export: {p:#?}"));
    assert_eq!(read, file, "the text reads back as it was written");
    read.connections.into_iter().next().expect("one connection")
}

fn plan(desired: &ConnectionFile, live: &ConnectionFile) -> sync::ConnectionPlan {
    sync::plan_connection(desired, live, &PlanOptions::default())
}

fn kinds(plan: &sync::ConnectionPlan) -> Vec<(RowKind, usize)> {
    plan.counts()
}

fn entry_mut<'a>(c: &'a mut ConnectionFile, id: &str) -> &'a mut SubscriptionFile {
    c.subscriptions
        .iter_mut()
        .find(|s| s.id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no entry {id}"))
}

fn row<'a>(plan: &'a sync::ConnectionPlan, live_id: &str) -> &'a sync::Row {
    plan.rows
        .iter()
        .find(|r| r.live_id.as_deref() == Some(live_id))
        .unwrap_or_else(|| panic!("no row for {live_id}"))
}

fn pointers(row: &sync::Row) -> Vec<&str> {
    row.changes.iter().map(|c| c.pointer.as_str()).collect()
}

fn steps(call: &sync::PlannedCall, vendor: VendorId) -> Vec<(Method, String)> {
    let connection = sync::display_connection(vendor, base(vendor));
    sync::requests(call, &connection)
        .expect("requests")
        .into_iter()
        .map(|s| (s.request.method, s.request.url))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Round trip

#[test]
fn importing_an_export_again_changes_nothing_for_every_vendor() {
    for (vendor, n) in [
        (VendorId::Collect, 600),
        (VendorId::Saleshandy, 2_000),
        (VendorId::SuperOffice, 1_200),
        (VendorId::Kajabi, 2_000),
    ] {
        let subs = records(vendor, n);
        let parked = if vendor == VendorId::Kajabi {
            parked(&records(vendor, n + 40)[n..])
        } else {
            Vec::new()
        };
        let now = live(vendor, &subs, &parked);
        assert_eq!(now.subscriptions.len(), n + parked.len());
        let desired = through_text(&now);
        let plan = plan(&desired, &now);
        assert!(
            plan.is_unchanged(),
            "{vendor:?}: {:?}\n{}",
            kinds(&plan),
            sync::plan_text(&plan)
        );
        assert!(
            plan.rows
                .iter()
                .all(|r| r.matched_by == Some(MatchedBy::Id))
        );
        assert_eq!(plan.rows.len(), n + parked.len());
        assert!(
            sync::plan_text(&plan).contains("no changes"),
            "{}",
            sync::plan_text(&plan)
        );
    }
}

#[test]
fn an_export_holds_no_secret_and_lists_where_each_was() {
    for vendor in RECORDED {
        let subs = records(vendor, 40);
        let text = sync::to_text(&WorkspaceFile::new(None, vec![live(vendor, &subs, &[])]));
        for secret in [
            "collect-token-",
            "sh-secret-",
            "so-secret-",
            "so-header-",
            "so-prop-",
        ] {
            assert!(!text.contains(secret), "{vendor:?} exported {secret}…");
        }
        assert!(text.ends_with("}\n"));
    }
    let collect = live(VendorId::Collect, &records(VendorId::Collect, 4), &[]);
    assert_eq!(collect.subscriptions[0].secrets, ["/secretToken"]);
    assert!(collect.subscriptions[1].secrets.is_empty());
    let so = live(
        VendorId::SuperOffice,
        &records(VendorId::SuperOffice, 2),
        &[],
    );
    assert_eq!(
        so.subscriptions[0].secrets,
        ["/Secret", "/Headers/X-Api-Key"]
    );
    assert_eq!(
        so.subscriptions[0].draft["Headers"],
        json!({"X-Api-Key": ""})
    );
    let so8 = live(
        VendorId::SuperOffice,
        &records(VendorId::SuperOffice, 8),
        &[],
    );
    assert_eq!(so8.subscriptions[7].secrets, ["/Properties/apiKey"]);
    assert_eq!(
        so8.subscriptions[7].draft["Properties"],
        json!({"tenant": "eu-2", "apiKey": ""}),
        "the name is kept, with no value"
    );
    // The state is beside the draft, not in it; an empty secret is none.
    assert!(so.subscriptions[0].draft.get("State").is_none());
    assert!(so.subscriptions[1].secrets.is_empty());
    assert_eq!(so.subscriptions[0].state, DesiredState::Paused);
    let failing = &so
        .subscriptions
        .iter()
        .find(|s| s.state == DesiredState::Failing);
    assert!(failing.is_none(), "2 records have no failing one");
    let so = live(
        VendorId::SuperOffice,
        &records(VendorId::SuperOffice, 6),
        &[],
    );
    assert_eq!(so.subscriptions[5].state, DesiredState::Failing);
    assert_eq!(
        so.subscriptions[5].state_detail.as_deref(),
        Some("too many failed deliveries")
    );
}

#[test]
fn a_collect_webhook_added_by_id_exports_with_a_null_draft_and_plans_as_unchanged() {
    let adopted = vendors::adopted(VendorId::Collect, "65f1c0de0000beef");
    let now = live(VendorId::Collect, &[adopted], &[]);
    assert_eq!(now.subscriptions[0].draft, Value::Null);
    let desired = through_text(&now);
    assert!(plan(&desired, &now).is_unchanged());
}

// ---------------------------------------------------------------------------------------------
// Edits in the file

#[test]
fn collect_edits_give_modify_pause_resume_create_and_kept() {
    let vendor = VendorId::Collect;
    let subs = records(vendor, 300);
    let now = live(vendor, &subs, &[]);
    let mut desired = through_text(&now);
    let id = |i: usize| subs[i].id.clone();
    entry_mut(&mut desired, &id(1)).draft["targetUrl"] = json!("https://new.example.com/in");
    entry_mut(&mut desired, &id(2)).state = DesiredState::Paused;
    entry_mut(&mut desired, &id(5)).state = DesiredState::Active; // 5 is paused
    let both = entry_mut(&mut desired, &id(7));
    both.draft["types"] = json!(["created"]);
    both.state = DesiredState::Paused;
    desired
        .subscriptions
        .retain(|s| s.id.as_deref() != Some(&id(9)));
    // A new one written by hand: no id, its secret to be given.
    desired.subscriptions.push(SubscriptionFile {
        id: None,
        state: DesiredState::Active,
        state_detail: None,
        draft: json!({"targetUrl": "https://brand-new.example.com/hook", "types": ["created"]}),
        secrets: vec!["/secretToken".into()],
    });

    let plan = plan(&desired, &now);
    assert_eq!(
        kinds(&plan),
        [
            (RowKind::Unchanged, 295),
            (RowKind::Create, 1),
            (RowKind::Modify, 2),
            (RowKind::Pause, 1),
            (RowKind::Resume, 1),
            (RowKind::Kept, 1),
        ]
    );
    let modify = row(&plan, &id(1));
    assert_eq!(pointers(modify), ["/targetUrl"]);
    // A partial update: only what changed, never the secret (Collect keeps it).
    assert_eq!(
        modify.calls[0].draft,
        Some(json!({"targetUrl": "https://new.example.com/in"}))
    );
    assert!(modify.missing_secrets.is_empty());
    assert_eq!(
        steps(&modify.calls[0], vendor),
        [(Method::Post, format!("{}/webhooks/{}", base(vendor), id(1)))]
    );
    let pause = row(&plan, &id(2));
    assert_eq!(pause.calls.len(), 1);
    assert_eq!(pause.calls[0].action, Action::Pause);
    assert_eq!(row(&plan, &id(5)).calls[0].action, Action::Resume);
    // Changed and paused: one modify whose draft sets the state as well.
    let both = row(&plan, &id(7));
    assert_eq!(both.kind, RowKind::Modify);
    assert_eq!(pointers(both), ["/types"]);
    assert_eq!(both.calls.len(), 1);
    assert_eq!(
        both.calls[0].draft,
        Some(json!({"types": ["created"], "status": "paused"}))
    );
    assert_eq!(row(&plan, &id(9)).kind, RowKind::Kept);
    let create = plan
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Create)
        .unwrap();
    assert_eq!(create.missing_secrets, ["/secretToken"]);
    assert!(!create.is_ready());

    // Collect cannot delete: with delete_missing the row says so, and sends nothing.
    let deleting = sync::plan_connection(
        &desired,
        &now,
        &PlanOptions {
            delete_missing: true,
        },
    );
    let gone = row(&deleting, &id(9));
    assert_eq!(gone.kind, RowKind::Delete);
    assert!(gone.calls.is_empty());
    assert_eq!(
        gone.blocked.as_deref(),
        Some(vendors::spec(vendor).capabilities.delete.note())
    );
}

#[test]
fn a_partial_modify_cannot_remove_a_field_and_says_so() {
    let vendor = VendorId::Collect;
    let subs = records(vendor, 4);
    let now = live(vendor, &subs, &[]);
    let mut desired = through_text(&now);
    let with_campaign = &subs[0].id; // i = 0 has a campaignId
    let entry = entry_mut(&mut desired, with_campaign);
    entry.draft.as_object_mut().unwrap().remove("campaignId");
    let plan = plan(&desired, &now);
    let blocked = row(&plan, with_campaign);
    assert_eq!(blocked.kind, RowKind::Modify);
    assert!(blocked.calls.is_empty());
    assert!(blocked.blocked.as_deref().unwrap().contains("campaignId"));
}

#[test]
fn a_paused_create_pauses_the_webhook_it_made() {
    let vendor = VendorId::Collect;
    let now = live(vendor, &[], &[]);
    let mut desired = now.clone();
    desired.subscriptions.push(SubscriptionFile {
        id: None,
        state: DesiredState::Paused,
        state_detail: None,
        draft: json!({"targetUrl": "https://a.example.com/h", "types": ["created"]}),
        secrets: vec![],
    });
    let plan = plan(&desired, &now);
    let create = &plan.rows[0];
    assert_eq!(
        create.calls.iter().map(|c| c.action).collect::<Vec<_>>(),
        [Action::Create, Action::Pause]
    );
    assert_eq!(create.calls[1].id, None);
    assert_eq!(
        steps(&create.calls[1], vendor)[0].1,
        format!("{}/webhooks/{{created}}", base(vendor))
    );
    assert_eq!(
        steps(&create.calls[1].with_id("65f0"), vendor)[0].1,
        format!("{}/webhooks/65f0", base(vendor))
    );
}

#[test]
fn superoffice_modify_is_a_whole_put_with_its_state_and_its_kept_secrets() {
    let vendor = VendorId::SuperOffice;
    let subs = records(vendor, 200);
    let now = live(vendor, &subs, &[]);
    let mut desired = through_text(&now);
    // 0 is stopped, with a secret and a custom header.
    entry_mut(&mut desired, "1000").draft["Name"] = json!("CRM sync, renamed");
    entry_mut(&mut desired, "1002").state = DesiredState::Paused;
    entry_mut(&mut desired, "1010").state = DesiredState::Active;
    desired
        .subscriptions
        .retain(|s| s.id.as_deref() != Some("1003"));
    let mut plan = sync::plan_connection(
        &desired,
        &now,
        &PlanOptions {
            delete_missing: true,
        },
    );
    let modify = row(&plan, "1000");
    assert_eq!(modify.kind, RowKind::Modify);
    assert_eq!(pointers(modify), ["/Name"]);
    assert_eq!(modify.calls.len(), 1);
    let draft = modify.calls[0].draft.as_ref().unwrap();
    assert_eq!(draft["State"], "Stopped", "a PUT keeps it stopped");
    // A PUT resets what it leaves out: the secrets must go with it.
    assert_eq!(modify.missing_secrets, ["/Secret", "/Headers/X-Api-Key"]);
    assert_eq!(
        steps(&modify.calls[0], vendor),
        [(Method::Put, format!("{}/Webhook/1000", base(vendor)))]
    );
    let pause = row(&plan, "1002");
    assert_eq!(
        steps(&pause.calls[0], vendor),
        [(Method::Patch, format!("{}/Webhook/1002", base(vendor)))]
    );
    assert_eq!(row(&plan, "1010").kind, RowKind::Resume);
    let delete = row(&plan, "1003");
    assert_eq!(
        steps(&delete.calls[0], vendor),
        [(Method::Delete, format!("{}/Webhook/1003", base(vendor)))]
    );

    // Kept where the vendor keeps them: SuperOffice returns them on reads.
    sync::with_record_secrets(&mut plan, &subs);
    let modify = row(&plan, "1000");
    assert!(modify.missing_secrets.is_empty());
    let connection = sync::display_connection(vendor, base(vendor));
    let sent = sync::requests(&modify.calls[0], &connection).unwrap();
    let body: Value = serde_json::from_str(&sent[0].request.body.as_ref().unwrap().text).unwrap();
    assert_eq!(body["Secret"], "so-secret-0");
    assert_eq!(body["Headers"]["X-Api-Key"], "so-header-0");
    // …and never shown.
    let text = sync::plan_text(&plan);
    let lines = sync::plan_rows_json(&plan);
    for shown in [text, serde_json::to_string(&lines).unwrap()] {
        assert!(!shown.contains("so-secret-0"), "{shown}");
        assert!(!shown.contains("so-header-0"));
    }
    assert!(
        !serde_json::to_string(&plan)
            .unwrap()
            .contains("so-secret-0")
    );
}

#[test]
fn saleshandy_rows_whose_action_is_absent_are_blocked_with_its_sentence() {
    let vendor = VendorId::Saleshandy;
    let subs = records(vendor, 50);
    let now = live(vendor, &subs, &[]);
    let mut desired = through_text(&now);
    let caps = vendors::spec(vendor).capabilities;
    entry_mut(&mut desired, "wh_000001").draft["name"] = json!("Renamed");
    entry_mut(&mut desired, "wh_000002").state = DesiredState::Paused;
    let mut new = desired.subscriptions[4].clone();
    new.id = None;
    new.draft["webhookUrl"] = json!("https://fresh.example.com/in");
    desired.subscriptions.push(new);
    let plan = plan(&desired, &now);
    let modify = row(&plan, "wh_000001");
    assert_eq!(modify.blocked.as_deref(), Some(caps.modify.note()));
    assert!(modify.calls.is_empty());
    assert_eq!(
        row(&plan, "wh_000002").blocked.as_deref(),
        Some(caps.pause.note())
    );
    let create = plan
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Create)
        .unwrap();
    assert!(create.blocked.is_none());
    assert!(matches!(caps.create, Capability::Native));
    // The header's value is not in the file: asked for.
    assert_eq!(create.missing_secrets, ["/headers/X-Hook-Secret"]);
    assert_eq!(
        steps(&create.calls[0], vendor),
        [(Method::Post, format!("{}/webhook/create", base(vendor)))]
    );
}

#[test]
fn kajabi_emulated_steps_are_listed_as_emulated() {
    let vendor = VendorId::Kajabi;
    let subs = records(vendor, 300);
    let kept = parked(&records(vendor, 310)[300..]);
    let now = live(vendor, &subs, &kept);
    let mut desired = through_text(&now);
    let caps = vendors::spec(vendor).capabilities;
    entry_mut(&mut desired, "880001").draft["data"]["attributes"]["target_url"] =
        json!("https://moved.example.com/kajabi");
    entry_mut(&mut desired, "880002").state = DesiredState::Paused;
    entry_mut(&mut desired, "880300").state = DesiredState::Active; // parked
    let plan = plan(&desired, &now);
    assert_eq!(
        kinds(&plan),
        [
            (RowKind::Unchanged, 307),
            (RowKind::Modify, 1),
            (RowKind::Pause, 1),
            (RowKind::Resume, 1),
        ]
    );
    let modify = row(&plan, "880001");
    assert_eq!(pointers(modify), ["/data/attributes/target_url"]);
    assert_eq!(modify.calls[0].emulated, Some(caps.modify.note()));
    assert_eq!(
        steps(&modify.calls[0], vendor),
        [
            (Method::Post, format!("{}/hooks", base(vendor))),
            (Method::Delete, format!("{}/hooks/880001", base(vendor))),
        ]
    );
    let pause = row(&plan, "880002");
    assert_eq!(pause.calls[0].emulated, Some(caps.pause.note()));
    assert_eq!(
        steps(&pause.calls[0], vendor),
        [(Method::Delete, format!("{}/hooks/880002", base(vendor)))]
    );
    assert!(pause.park.is_some(), "its settings are kept to resume it");
    let resume = row(&plan, "880300");
    assert_eq!(
        steps(&resume.calls[0], vendor),
        [(Method::Post, format!("{}/hooks", base(vendor)))]
    );
    assert_eq!(resume.unpark.as_deref(), Some("880300"));
    let text = sync::plan_text(&plan);
    assert!(
        text.contains(&format!(
            "POST {}/hooks (emulated: {})",
            base(vendor),
            caps.modify.note()
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "DELETE {}/hooks/880001 (emulated: {})",
        base(vendor),
        caps.modify.note()
    )));
}

#[test]
fn a_kajabi_entry_whose_id_changed_matches_by_what_it_is() {
    let vendor = VendorId::Kajabi;
    let subs = records(vendor, 100);
    let file = through_text(&live(vendor, &subs, &[]));
    // Since the export, Hookpanel modified 10 (emulated: a new id, a new target) and resumed
    // 20 (a new id, the same settings).
    let mut now_subs = subs.clone();
    let renew = |sub: &mut Subscription, id: &str| {
        sub.id = id.to_string();
        sub.raw["id"] = json!(id);
    };
    renew(&mut now_subs[20], "990020");
    renew(&mut now_subs[10], "990010");
    let now = live(vendor, &now_subs, &[]);
    let plan = plan(&file, &now);
    assert!(plan.is_unchanged());
    assert_eq!(row(&plan, "990020").matched_by, Some(MatchedBy::Draft));

    // The file's entry changed its resource id; the live hook has a new id: the same target
    // and event still say it is that hook.
    let mut desired = file.clone();
    entry_mut(&mut desired, "880010").draft["data"]["attributes"]["resource_id"] = json!(77);
    let plan = self::plan(&desired, &now);
    let moved = row(&plan, "990010");
    assert_eq!(moved.matched_by, Some(MatchedBy::Identity));
    assert_eq!(moved.kind, RowKind::Modify);
    assert_eq!(pointers(moved), ["/data/attributes/resource_id"]);
    assert_eq!(
        moved.desired.as_ref().unwrap().id.as_deref(),
        Some("880010")
    );
}

#[test]
fn delete_only_with_delete_missing() {
    let vendor = VendorId::Kajabi;
    let subs = records(vendor, 30);
    let kept = parked(&records(vendor, 32)[30..]);
    let now = live(vendor, &subs, &kept);
    let mut desired = through_text(&now);
    desired
        .subscriptions
        .retain(|s| !matches!(s.id.as_deref(), Some("880004" | "880031")));
    let kept_plan = plan(&desired, &now);
    assert_eq!(row(&kept_plan, "880004").kind, RowKind::Kept);
    assert!(kept_plan.is_unchanged());
    let plan = sync::plan_connection(
        &desired,
        &now,
        &PlanOptions {
            delete_missing: true,
        },
    );
    let delete = row(&plan, "880004");
    assert_eq!(delete.kind, RowKind::Delete);
    assert_eq!(
        steps(&delete.calls[0], vendor),
        [(Method::Delete, format!("{}/hooks/880004", base(vendor)))]
    );
    // A parked one has nothing at Kajabi: the page forgets it.
    let parked_delete = row(&plan, "880031");
    assert!(parked_delete.calls.is_empty());
    assert_eq!(parked_delete.unpark.as_deref(), Some("880031"));
}

#[test]
fn missing_secrets_are_given_once_per_pointer_or_per_row() {
    let vendor = VendorId::Collect;
    let subs = records(vendor, 10);
    // A new tenant: everything is created, and every secret the file left out is asked for.
    let file = through_text(&live(vendor, &subs, &[]));
    let empty = ConnectionFile {
        subscriptions: vec![],
        ..file.clone()
    };
    let mut plan = plan(&file, &empty);
    assert!(plan.rows.iter().all(|r| r.kind == RowKind::Create));
    assert_eq!(plan.missing_secrets(), ["/secretToken"]);
    assert_eq!(
        plan.rows
            .iter()
            .filter(|r| !r.missing_secrets.is_empty())
            .count(),
        5
    );
    let mut values = BTreeMap::new();
    values.insert(
        SecretKey::Pointer("/secretToken".into()),
        Secret::new("shared-token"),
    );
    values.insert(
        SecretKey::Row(2, "/secretToken".into()),
        Secret::new("own-token"),
    );
    sync::with_secrets(&mut plan, &values);
    assert!(plan.missing_secrets().is_empty());
    assert!(plan.rows.iter().all(sync::Row::is_ready));
    let connection = sync::display_connection(vendor, base(vendor));
    let body = |i: usize| -> Value {
        let steps = sync::requests(&plan.rows[i].calls[0], &connection).unwrap();
        serde_json::from_str(&steps[0].request.body.as_ref().unwrap().text).unwrap()
    };
    assert_eq!(body(0)["secretToken"], "shared-token");
    assert_eq!(body(2)["secretToken"], "own-token");
    assert!(body(1).get("secretToken").is_none(), "1 had none");
    assert!(!sync::plan_text(&plan).contains("-token"));
}

// ---------------------------------------------------------------------------------------------
// Bulk, drift

#[test]
fn bulk_replace_host_and_pause_among_many() {
    let vendor = VendorId::SuperOffice;
    let subs = records(vendor, 1_400);
    let now = live(vendor, &subs, &[]);
    let on_host3 = now
        .subscriptions
        .iter()
        .filter(|s| {
            s.draft["TargetUrl"]
                .as_str()
                .is_some_and(|t| t.starts_with("https://hooks3."))
        })
        .count();
    assert_eq!(on_host3, 200);
    let filter = Filter {
        target_host: Some("HOOKS3.example.com".into()),
        ..Filter::default()
    };
    let desired = sync::bulk(
        &now,
        &filter,
        &BulkChange::ReplaceHost {
            from: "hooks3.example.com".into(),
            to: "hooks.example.net".into(),
        },
    )
    .unwrap();
    let plan = plan(&desired, &now);
    assert_eq!(
        kinds(&plan),
        [(RowKind::Unchanged, 1_200), (RowKind::Modify, 200)]
    );
    let one = plan
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Modify)
        .unwrap();
    assert_eq!(pointers(one), ["/TargetUrl"]);
    let after = one.changes[0].after.as_ref().unwrap().as_str().unwrap();
    assert!(
        after.starts_with("https://hooks.example.net/superoffice/receive/")
            && after.ends_with("?source=hookpanel"),
        "{after}"
    );

    let filter = Filter {
        event: Some("sale.sold".into()),
        status: Some(DesiredState::Active),
        ..Filter::default()
    };
    let wanted = now
        .subscriptions
        .iter()
        .filter(|s| sync::matches(&filter, vendor, s))
        .count();
    assert!(wanted > 100, "{wanted}");
    let paused = sync::bulk(&now, &filter, &BulkChange::Pause).unwrap();
    let plan = self::plan(&paused, &now);
    assert_eq!(
        kinds(&plan),
        [
            (RowKind::Unchanged, 1_400 - wanted),
            (RowKind::Pause, wanted)
        ]
    );
    assert!(
        sync::bulk(
            &now,
            &filter,
            &BulkChange::ReplaceHost {
                from: "a".into(),
                to: "not a host/".into()
            }
        )
        .is_err()
    );
    // Text finds the name too.
    let named = Filter {
        text: "crm SYNC 1399".into(),
        ..Filter::default()
    };
    let deleted = sync::bulk(&now, &named, &BulkChange::Delete).unwrap();
    assert_eq!(deleted.subscriptions.len(), 1_399);
}

#[test]
fn kajabi_bulk_pause_is_emulated_and_keeps_every_draft() {
    let vendor = VendorId::Kajabi;
    let subs = records(vendor, 250);
    let now = live(vendor, &subs, &[]);
    let all = sync::bulk(&now, &Filter::default(), &BulkChange::Pause).unwrap();
    let plan = plan(&all, &now);
    assert_eq!(kinds(&plan), [(RowKind::Pause, 250)]);
    assert!(
        plan.rows
            .iter()
            .all(|r| r.park.is_some() && r.calls.len() == 1 && r.calls[0].emulated.is_some())
    );
}

#[test]
fn drift_says_what_changed_outside_hookpanel_since_the_kept_export() {
    let vendor = VendorId::Saleshandy;
    let subs = records(vendor, 500);
    let kept = through_text(&live(vendor, &subs, &[]));
    let mut now_subs = subs.clone();
    now_subs.remove(40);
    now_subs[3].raw["webhookUrl"] = json!("https://elsewhere.example.com/x");
    now_subs[4].status = hookpanel_core::SubscriptionStatus::Paused;
    now_subs.push(record(vendor, 9_001));
    let now = live(vendor, &now_subs, &[]);
    let drift = sync::drift(&kept, &now);
    let found: Vec<(DriftKind, Option<&str>, Option<&str>)> = drift
        .iter()
        .map(|d| (d.kind, d.kept_id.as_deref(), d.live_id.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (DriftKind::Changed, Some("wh_000003"), Some("wh_000003")),
            (DriftKind::Paused, Some("wh_000004"), Some("wh_000004")),
            (DriftKind::Deleted, Some("wh_000040"), None),
            (DriftKind::Created, None, Some("wh_009001")),
        ]
    );
    assert_eq!(drift[0].changes[0].pointer, "/webhookUrl");
    assert!(sync::drift(&kept, &live(vendor, &subs, &[])).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Files that fail

fn problems(text: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = sync::read_file(text)
        .expect_err("refused")
        .into_iter()
        .filter(hookpanel_core::Problem::is_error)
        .map(|p| (p.pointer.into_owned(), p.keyword.into_owned()))
        .collect();
    found.sort();
    found
}

#[test]
fn a_file_that_fails_its_schema_gives_problems_at_pointers() {
    let bad = json!({
        "format": "hookpanel-workspace", "version": 1,
        "connections": [{"id": "c1", "vendor": "kajabi", "name": "Main", "base_url": "https://api.kajabi.com/v1",
            "subscriptions": [{"state": "on", "draft": {}}], "colour": "red"}]
    });
    assert_eq!(
        problems(&bad.to_string()),
        [
            (
                "/connections/0/colour".into(),
                "additionalProperties".into()
            ),
            // Every problem at once: the draft's against its vendor's schema too.
            (
                "/connections/0/subscriptions/0/draft/data".into(),
                "required".into()
            ),
            ("/connections/0/subscriptions/0/state".into(), "enum".into()),
        ]
    );
    let unknown = json!({
        "format": "hookpanel-workspace", "version": 1,
        "connections": [
            {"id": "c1", "vendor": "nosuchvendor", "name": "", "base_url": "https://api.nosuchvendor.example/v1", "subscriptions": []},
            {"id": "c1", "vendor": "collect", "name": "", "base_url": "https://api.usecollect.com/v1", "subscriptions": [
                {"id": "a", "state": "active", "draft": {"targetUrl": "https://a.example.com/h"}},
                {"id": "a", "state": "active", "draft": {"types": ["created", "nope"]}}
            ]}
        ]
    });
    assert_eq!(
        problems(&unknown.to_string()),
        [
            ("/connections/0/vendor".into(), "enum".into()),
            ("/connections/1/id".into(), "unique".into()),
            (
                "/connections/1/subscriptions/1/draft/targetUrl".into(),
                "required".into()
            ),
            (
                "/connections/1/subscriptions/1/draft/types/1".into(),
                "enum".into()
            ),
            ("/connections/1/subscriptions/1/id".into(), "unique".into()),
        ]
    );
    assert_eq!(
        problems("{\"format\": 1"),
        [(String::new(), "syntax".into())]
    );
    assert_eq!(
        problems(&json!({"format": "other", "version": 2, "connections": []}).to_string()),
        [
            ("/format".into(), "const".into()),
            ("/version".into(), "const".into())
        ]
    );
}

#[test]
fn a_secret_in_the_file_is_a_warning_and_is_used_on_create() {
    let text = json!({
        "format": "hookpanel-workspace", "version": 1,
        "connections": [{"id": "c1", "vendor": "collect", "name": "", "base_url": "https://api.usecollect.com/v1",
            "subscriptions": [{"state": "active", "draft": {"targetUrl": "https://a.example.com/h", "secretToken": "in-file"}, "secrets": ["/secretToken"]}]}]
    })
    .to_string();
    let checked = sync::check_text(&text);
    let warnings: Vec<&str> = checked
        .problems
        .iter()
        .map(|p| p.keyword.as_ref())
        .collect();
    assert_eq!(warnings, ["lint:secret-in-file"]);
    let file = checked.file.expect("warnings do not refuse it");
    let c = &file.connections[0];
    let plan = plan(
        c,
        &ConnectionFile {
            subscriptions: vec![],
            ..c.clone()
        },
    );
    assert!(plan.rows[0].missing_secrets.is_empty());
    assert!(plan.rows[0].changes.is_empty());
}

#[test]
fn the_workspace_schema_is_refused_whole_when_too_large() {
    let text = " ".repeat(sync::MAX_WORKSPACE_BYTES + 1);
    assert_eq!(problems(&text), [(String::new(), "size".into())]);
}

#[test]
fn plan_workspace_matches_connections_by_id() {
    let c = live(VendorId::Kajabi, &records(VendorId::Kajabi, 5), &[]);
    let s = live(VendorId::Saleshandy, &records(VendorId::Saleshandy, 5), &[]);
    let desired = WorkspaceFile::new(None, vec![c.clone()]);
    let now = WorkspaceFile::new(None, vec![s.clone(), c.clone()]);
    let plans = sync::plan_workspace(
        &desired,
        &now,
        &PlanOptions {
            delete_missing: true,
        },
    )
    .unwrap();
    assert_eq!(plans.len(), 2);
    assert!(plans[0].is_unchanged());
    // A connection the file lacks is kept whole, even with delete_missing.
    assert_eq!(kinds(&plans[1]), [(RowKind::Kept, 5)]);
    let mut wrong = c.clone();
    wrong.vendor = VendorId::Collect;
    let err = sync::plan_workspace(
        &WorkspaceFile::new(None, vec![wrong]),
        &now,
        &PlanOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err[0].pointer, "/connections/0/vendor");
}

// ---------------------------------------------------------------------------------------------
// By property

fn state_of(n: u8) -> hookpanel_core::SubscriptionStatus {
    use hookpanel_core::SubscriptionStatus as S;
    match n % 4 {
        0 => S::Active,
        1 => S::Paused,
        2 => S::Failing("too many failed deliveries".into()),
        _ => S::Other("Unknown".into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the account holds (any of the record shapes, any state, in any order, parked or
    /// not), importing its export again plans nothing.
    #[test]
    fn plan_of_an_export_is_all_unchanged(
        vendor in prop::sample::select(RECORDED.to_vec()),
        picks in prop::collection::vec((0usize..400, any::<u8>(), any::<bool>()), 0..60),
    ) {
        let mut subs = Vec::new();
        let mut kept = Vec::new();
        for (i, state, park) in picks {
            let mut sub = record(vendor, i);
            if vendor != VendorId::Kajabi {
                sub.status = state_of(state);
            }
            if vendor == VendorId::Kajabi && park {
                kept.extend(parked(&[sub]));
            } else {
                subs.push(sub);
            }
        }
        let now = live(vendor, &subs, &kept);
        let desired = through_text(&now);
        let plan = self::plan(&desired, &now);
        prop_assert!(plan.is_unchanged(), "{}", sync::plan_text(&plan));
        // Without ids too: matched by their drafts.
        let mut anonymous = desired.clone();
        for s in &mut anonymous.subscriptions {
            s.id = None;
        }
        let plan = self::plan(&anonymous, &now);
        prop_assert!(plan.is_unchanged(), "{}", sync::plan_text(&plan));
    }
}

#[test]
fn a_drift_kind_is_named_as_its_json_names_it() {
    use hookpanel_core::sync::DriftKind;
    for kind in [
        DriftKind::Created,
        DriftKind::Deleted,
        DriftKind::Changed,
        DriftKind::Paused,
        DriftKind::Resumed,
        DriftKind::State,
    ] {
        assert_eq!(serde_json::to_value(kind).ok(), Some(json!(kind.as_str())));
    }
}
