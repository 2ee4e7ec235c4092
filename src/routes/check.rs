//! Check a delivery: what a receiver got, pasted, checked as the admin types. The vendor and event
//! are told from the delivery where it shows them (or the admin picks the vendor), the body is held
//! to the vendor's event schema, and the signature or shared secret is verified as the vendor's
//! docs say ([`hookpanel_core::delivery`]). Opened from a webhook's details, the vendor and the
//! webhook's secret (from its record, where the vendor gives it) are filled in.
//!
//! Nothing typed here is stored, sent anywhere or put in the address: a delivery can carry a
//! secret in its headers, and the secret field is masked like every other.

use hookpanel_core::delivery::{Checked, Delivery, DeliveryKey, Signing, check};
use hookpanel_core::vendors::{delivery_key, spec};
use hookpanel_core::{Secret, VendorId};
use leptos::prelude::*;

use super::connection_of;
use crate::listing::ensure_loaded;
use crate::route::Route;
use crate::widgets::{RevealButton, plural};
use crate::workspace::Workspace;

/// The "Check a delivery" screen; `webhook` is the connection and webhook it was opened from.
#[component]
pub fn CheckPage(
    /// The connection id and webhook id it was opened for, if any.
    webhook: Option<(String, String)>,
) -> impl IntoView {
    let form = CheckForm::default();
    let from = webhook.map(|(cid, sid)| {
        let ws = Workspace::expect_context();
        let entry = connection_of(cid.clone());
        Effect::new(move |_| {
            if let Some(entry) = entry.get() {
                ensure_loaded(ws, &entry);
            }
        });
        // The webhook's vendor and key, filled in once, when the webhook is known: what the admin
        // types afterwards is not overwritten by a later read of the list.
        let filled = StoredValue::new(false);
        let sid2 = sid.clone();
        Effect::new(move |_| {
            let Some(entry) = entry.get() else { return };
            if filled.get_value() {
                return;
            }
            form.vendor.set(Some(entry.vendor));
            if let Some(sub) = ws.subscription(&entry.id, &sid2) {
                let key = delivery_key(entry.vendor, &sub);
                form.from_record.set(Some(key.secret.is_some()));
                if let Some(secret) = key.secret {
                    form.secret.set(secret.expose().to_string());
                }
                if let Some(header) = key.header {
                    form.header.set(header);
                }
                filled.set_value(true);
            }
        });
        view! {
            <p class="crumbs">
                {move || entry.get().map(|e| view! {
                    <a href=Route::Subscription { cid: e.id.clone(), sid: sid.clone() }.href()>
                        {format!("← Webhook {sid} at {}", e.name)}
                    </a>
                })}
            </p>
        }
    });
    view! {
        <section class="screen check" aria-labelledby="check-title">
            {from}
            <h1 id="check-title">"Check a delivery"</h1>
            <p class="help">
                "Paste what your endpoint received: the whole HTTP request (request line, headers, a blank line, the body), or the body alone. Hookpanel checks the body against the vendor's event schema and the signature or secret against the webhook's, here in the page: nothing is stored or sent."
            </p>
            <CheckInputs form/>
            <Verdict form/>
        </section>
    }
}

/// What the admin typed on the screen.
#[derive(Clone, Copy)]
struct CheckForm {
    text: RwSignal<String>,
    /// The vendor picked; `None`: told from the delivery.
    vendor: RwSignal<Option<VendorId>>,
    secret: RwSignal<String>,
    header: RwSignal<String>,
    /// Whether the secret came from the webhook's record (`Some(false)`: the record holds none).
    from_record: RwSignal<Option<bool>>,
    /// The verdict, for the text typed.
    checked: Memo<Option<Result<Read, String>>>,
}

/// A delivery read and checked, with what was read of it.
#[derive(Clone, Debug, PartialEq)]
struct Read {
    checked: Checked,
    header_names: Vec<String>,
    body_bytes: usize,
}

impl Default for CheckForm {
    fn default() -> Self {
        let text = RwSignal::new(String::new());
        let vendor = RwSignal::new(None);
        let secret = RwSignal::new(String::new());
        let header = RwSignal::new(String::new());
        let checked = Memo::new(move |_| {
            let delivery = text
                .with(|text| (!text.trim().is_empty()).then(|| Delivery::parse(text.as_bytes())))?;
            let key = DeliveryKey {
                secret: secret.with(|s| (!s.trim().is_empty()).then(|| Secret::new(s.clone()))),
                header: header.with(|h| (!h.trim().is_empty()).then(|| h.trim().to_string())),
            };
            Some(match check(&delivery, vendor.get(), &key) {
                Some(checked) => Ok(Read {
                    checked,
                    header_names: delivery.headers.iter().map(|(n, _)| n.clone()).collect(),
                    body_bytes: delivery.body.len(),
                }),
                None => Err(
                    "The delivery does not show which vendor sent it: pick the vendor above."
                        .to_string(),
                ),
            })
        });
        CheckForm {
            text,
            vendor,
            secret,
            header,
            from_record: RwSignal::new(None),
            checked,
        }
    }
}

impl CheckForm {
    /// The vendor the delivery is checked as: the one picked, or the one it showed itself to be.
    fn vendor_now(&self) -> Option<VendorId> {
        self.vendor.get().or_else(|| {
            self.checked.with(|c| {
                c.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .map(|r| r.checked.vendor)
            })
        })
    }
}

/// The delivery, the vendor and what to check it with.
#[component]
fn CheckInputs(form: CheckForm) -> impl IntoView {
    let reveal = RwSignal::new(false);
    let signing = Memo::new(move |_| form.vendor_now().map(|v| spec(v).signing));
    let vendor_options = VendorId::ALL
        .into_iter()
        .map(|v| view! { <option value=v.as_str()>{v.display_name()}</option> })
        .collect_view();
    let secret_label = move || match signing.get() {
        Some(Signing::HmacSha256Base64 { .. }) => "Webhook secret (the key it signs with)",
        Some(Signing::SharedSecret { .. }) => "Shared secret (the token the webhook sends)",
        _ => "Webhook secret",
    };
    let secret_help = move || match (signing.get(), form.from_record.get()) {
        (_, Some(true)) => "Filled in from the webhook's record. Masked; never stored.".to_string(),
        (_, Some(false)) => {
            "The webhook's record holds no secret: type it, if it has one. Masked; never stored."
                .to_string()
        }
        (Some(Signing::HmacSha256Base64 { header }), None) => {
            format!(
                "The secret set on the webhook: {header} is checked with it. Masked; never stored."
            )
        }
        _ => "Masked; never stored.".to_string(),
    };
    let header_help = move || match signing.get() {
        Some(Signing::SharedSecret {
            header_chosen: false,
        }) => {
            "The vendor does not document which header carries the token: leave this empty to look in every header."
        }
        _ => {
            "The custom header your webhook sends the secret in. Leave it empty to look in every header."
        }
    };
    view! {
        <div class="field">
            <label class="label" for="delivery-text">"Delivery"</label>
            <textarea
                id="delivery-text"
                data-testid="delivery-text"
                rows="12"
                spellcheck="false"
                autocomplete="off"
                placeholder="POST /webhooks HTTP/1.1&#10;Content-Type: application/json&#10;&#10;{ … }"
                aria-describedby="delivery-read"
                prop:value=move || form.text.get()
                on:input=move |ev| form.text.set(event_target_value(&ev))
            ></textarea>
            <p class="help" id="delivery-read" data-testid="delivery-read">{move || read_summary(form)}</p>
        </div>
        <div class="field">
            <label class="label" for="delivery-vendor">"Vendor"</label>
            <select
                id="delivery-vendor"
                data-testid="delivery-vendor"
                prop:value=move || form.vendor.get().map_or("", VendorId::as_str)
                on:change=move |ev| form.vendor.set(VendorId::parse(&event_target_value(&ev)))
            >
                <option value="">"Tell from the delivery"</option>
                {vendor_options}
            </select>
        </div>
        <Show
            when=move || signing.get() != Some(Signing::None)
            fallback=move || view! {
                <p class="note" data-testid="no-signing">
                    {move || form.vendor_now().map(|v| format!("{} does not sign deliveries or send a secret with them: only the body can be checked.", v.display_name()))}
                </p>
            }
        >
            <div class="field">
                <label class="label" for="delivery-secret">{secret_label}</label>
                <div class="secret">
                    <input
                        id="delivery-secret"
                        data-testid="delivery-secret"
                        type=move || if reveal.get() { "text" } else { "password" }
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="delivery-secret-help"
                        prop:value=move || form.secret.get()
                        on:input=move |ev| form.secret.set(event_target_value(&ev))
                    />
                    <RevealButton reveal what="webhook secret".to_string()/>
                </div>
                <p class="help" id="delivery-secret-help">{secret_help}</p>
            </div>
            <Show when=move || matches!(signing.get(), Some(Signing::SharedSecret { .. }))>
                <div class="field">
                    <label class="label" for="delivery-header">"Header with the secret (optional)"</label>
                    <input
                        id="delivery-header"
                        data-testid="delivery-header"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="delivery-header-help"
                        prop:value=move || form.header.get()
                        on:input=move |ev| form.header.set(event_target_value(&ev))
                    />
                    <p class="help" id="delivery-header-help">{header_help}</p>
                </div>
            </Show>
        </Show>
    }
}

/// How the paste was read: header names (never their values, which may hold the secret) and the
/// body's size, so the admin sees a paste that lost its headers.
fn read_summary(form: CheckForm) -> String {
    form.checked.with(|c| match c {
        None => "Paste a delivery to check it.".to_string(),
        Some(Err(_)) => String::new(),
        Some(Ok(read)) if read.header_names.is_empty() => format!(
            "Read as a body alone ({}): paste the headers too to check the signature or secret.",
            plural(read.body_bytes, "byte")
        ),
        Some(Ok(read)) => format!(
            "Read {} ({}) and a body of {}.",
            plural(read.header_names.len(), "header"),
            read.header_names.join(", "),
            plural(read.body_bytes, "byte")
        ),
    })
}

/// The verdict: vendor and event, the body's problems at their pointers, the authenticity, and
/// the whole.
#[component]
fn Verdict(form: CheckForm) -> impl IntoView {
    move || {
        form.checked.with(|c| match c {
            None => ().into_any(),
            Some(Err(why)) => view! {
                <div class="verdict" role="status" data-testid="verdict">
                    <p class="status failed" data-testid="verdict-vendor">{why.clone()}</p>
                </div>
            }
            .into_any(),
            Some(Ok(read)) => verdict_view(&read.checked).into_any(),
        })
    }
}

fn verdict_view(checked: &Checked) -> impl IntoView + use<> {
    let vendor = checked.vendor;
    let how = if checked.recognised {
        "told from the delivery"
    } else {
        "chosen above"
    };
    let event = checked
        .event
        .clone()
        .map_or_else(|| "not named".to_string(), |e| format!("\"{e}\""));
    let errors = checked
        .problems
        .iter()
        .filter(|p| p.severity == hookpanel_core::Severity::Error)
        .count();
    let body_line = if checked.problems.is_empty() {
        format!("The body matches {}'s event schema.", vendor.display_name())
    } else if errors == 0 {
        format!(
            "The body matches {}'s event schema, with {}:",
            vendor.display_name(),
            plural(checked.problems.len(), "warning")
        )
    } else {
        format!(
            "The body does not match {}'s event schema: {}.",
            vendor.display_name(),
            plural(errors, "problem")
        )
    };
    let problems = checked
        .problems
        .iter()
        .map(|p| {
            let at = if p.pointer.is_empty() {
                String::new()
            } else {
                format!("{}: ", p.pointer)
            };
            view! { <li class=p.severity.as_str()>{at}{p.message.clone()}</li> }
        })
        .collect_view();
    let (auth_class, auth_word) = match checked.authenticity.passed() {
        Some(true) => ("status ok", "Authentic"),
        Some(false) => ("status failed", "Not shown authentic"),
        None => ("status pending", "Not checked"),
    };
    let passed = checked.passed();
    view! {
        <div class="verdict" role="status" aria-live="polite" data-testid="verdict">
            <h2>"Verdict"</h2>
            <p data-testid="verdict-vendor">{format!("{} ({how}), event {event}.", vendor.display_name())}</p>
            <p class=if errors == 0 { "status ok" } else { "status failed" } data-testid="verdict-body">{body_line}</p>
            <ul class="problems" data-testid="verdict-problems">{problems}</ul>
            <p class=auth_class data-testid="verdict-authenticity">
                <strong>{auth_word}": "</strong>{checked.authenticity.sentence(vendor)}
            </p>
            <p class=if passed { "status ok overall" } else { "status failed overall" } data-testid="verdict-overall">
                {if passed { "The delivery passes." } else { "The delivery fails: see above." }}
            </p>
        </div>
    }
}
