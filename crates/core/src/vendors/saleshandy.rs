//! Saleshandy (seed 002): `x-api-key`; create, list and get. No modify, pause or delete in the API.
//!
//! Answers come in a `{message, payload}` envelope. Saleshandy test-delivers a webhook when it is
//! created and, when that test fails, creates it paused (seed 002's example): such a webhook is
//! reported as failing, not as paused by the admin.

use serde_json::Value;

use super::common::{
    id_field, json_body, object, parse_json, segment, short_text, status_error, str_field,
    str_list, succeeded, with_message, without_read_only,
};
use super::{Adapter, VendorSpec};
use crate::answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
use crate::auth::{API_KEY, AuthField, AuthScheme, SchemeKind};
use crate::call::{Call, PlanError};
use crate::delivery::Signing;
use crate::http::{Header, HttpRequest, Method};
use crate::listing::ListPage;
use crate::{Action, Capabilities, Capability, Credentials, HttpResponse, Operation, VendorId};

pub(crate) struct Saleshandy;

static SPEC: VendorSpec = VendorSpec {
    name: "Saleshandy",
    default_base_url: "https://open-api.saleshandy.com/v1",
    connect_src: "https://open-api.saleshandy.com",
    sandbox_path: "/saleshandy/v1",
    schemes: &[AuthScheme {
        id: "api_key",
        kind: SchemeKind::ApiKey,
        label: "API key",
        fields: &[AuthField {
            help: "Settings → API key in Saleshandy. Sent in the x-api-key header.",
            ..API_KEY
        }],
        note: "",
    }],
    sandbox_sign_in: ("api_key", &[("key", "sandbox-saleshandy-key")]),
    // No signing (vendors.md 2.4): a shared secret in one of the webhook's custom headers is the
    // only proof a delivery can carry, and only if the admin put one there.
    signing: Signing::SharedSecret {
        header_chosen: true,
    },
    capabilities: Capabilities {
        list: Capability::Native,
        get: Capability::Native,
        create: Capability::Native,
        modify: Capability::Absent(
            "Saleshandy's API cannot change a webhook: edit it in Saleshandy's Integrations settings.",
        ),
        pause: Capability::Absent(
            "Saleshandy's API cannot pause a webhook: pause it in Saleshandy's Integrations settings.",
        ),
        resume: Capability::Absent(
            "Saleshandy's API cannot resume a webhook: resume it in Saleshandy's Integrations settings.",
        ),
        delete: Capability::Absent(
            "Saleshandy's API cannot delete a webhook: delete it in Saleshandy's Integrations settings.",
        ),
        test: Capability::Absent(
            "Saleshandy tests a webhook when it is created; the result comes back with it.",
        ),
        sample: Capability::Absent(
            "Saleshandy's API has no sample payloads; its help centre shows examples.",
        ),
    },
};

/// Webhooks asked for per page of `GET /webhook`. Saleshandy's list is paginated (vendors.md 2.2)
/// but its parameters are not documented for webhooks; they are taken from Saleshandy's other
/// paginated list (`GET /v1/clients`: `page` from 1, `pageSize` default 25, at most 100). The size
/// is sent, so a short page can be known for the last; 25 is within every limit documented.
pub(crate) const PAGE_SIZE: u32 = 25;

/// The one error text Saleshandy's contract documents (vendors.md 2.5); the body's `message`, when
/// there is one, is preferred over it.
fn words(status: u16) -> Option<&'static str> {
    match status {
        401 => Some("Saleshandy refused the API key."),
        _ => None,
    }
}

impl Adapter for Saleshandy {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    fn claims(&self, _delivery: &crate::delivery::Delivery, body: Option<&Value>) -> bool {
        super::common::names_listed_event(VendorId::Saleshandy, body, "event")
    }

    /// The webhook's one custom header, where it has exactly one: the shared secret, if any, is
    /// there. With several, the admin says which.
    fn delivery_key(
        &self,
        subscription: &Subscription,
        from_role: crate::delivery::DeliveryKey,
    ) -> crate::delivery::DeliveryKey {
        let headers = subscription.raw.get("headers").and_then(Value::as_object);
        match headers.map(|h| h.iter().collect::<Vec<_>>()).as_deref() {
            Some([(name, Value::String(value))]) if !value.trim().is_empty() => {
                crate::delivery::DeliveryKey {
                    secret: Some(crate::Secret::new(value.clone())),
                    header: Some(name.to_string()),
                }
            }
            _ => from_role,
        }
    }

    /// The create fields as the record has them; `headers`, which a create must send, is `{}`
    /// where the record has none.
    fn desired_draft(
        &self,
        _subscription: &Subscription,
        from_schema: Option<Value>,
    ) -> Option<Value> {
        let mut draft = from_schema?;
        draft
            .as_object_mut()?
            .entry("headers")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        Some(draft)
    }

    fn plan(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<HttpRequest, PlanError> {
        let Credentials::ApiKey { key } = credentials else {
            return Err(PlanError::WrongScheme("an API key (the x-api-key header)"));
        };
        if key.is_empty() {
            return Err(PlanError::MissingCredential("API key"));
        }
        let mut headers = vec![
            Header::secret("x-api-key", key.expose()),
            Header::plain("Accept", "application/json"),
        ];
        let (method, url, body) = match call {
            Call::List { page } => (
                Method::Get,
                format!("{base}/webhook?page={page}&pageSize={PAGE_SIZE}"),
                None,
            ),
            Call::Get { id } => (Method::Get, format!("{base}/webhook/{}", segment(id)), None),
            Call::Create { draft } => {
                object(draft)?;
                let body = without_read_only(VendorId::Saleshandy, Operation::Create, draft);
                headers.push(Header::plain("Content-Type", "application/json"));
                (
                    Method::Post,
                    format!("{base}/webhook/create"),
                    Some(json_body(
                        "application/json",
                        &body,
                        Some((VendorId::Saleshandy, Operation::Create)),
                    )),
                )
            }
            Call::Modify { .. }
            | Call::Pause { .. }
            | Call::Resume { .. }
            | Call::Recreate { .. }
            | Call::Delete { .. }
            | Call::Test { .. }
            | Call::Sample { .. } => {
                return Err(PlanError::Absent(SPEC.capability(call.action()).note()));
            }
        };
        Ok(HttpRequest {
            method,
            url,
            headers,
            body,
        })
    }

    fn decode(&self, action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        if !succeeded(response) {
            let error = status_error(response, &words);
            // The envelope's message is the vendor's own word on what went wrong.
            return Err(
                match crate::draft::parse(&response.body)
                    .ok()
                    .and_then(|b| str_field(&b, "message"))
                {
                    Some(said) if !said.trim().is_empty() => with_message(error, short_text(&said)),
                    _ => error,
                },
            );
        }
        let body = parse_json(response)?;
        // Lenient: an answer without the envelope is taken as the payload itself.
        let payload = body.get("payload").unwrap_or(&body);
        match action {
            Action::List => {
                let items = list_items(payload).ok_or_else(|| {
                    VendorError::Malformed(
                        "the list of webhooks is missing from the answer.".into(),
                    )
                })?;
                let items = items
                    .iter()
                    .map(subscription)
                    .collect::<Result<Vec<_>, _>>()?;
                // The answer carries no count (vendors.md 2.2): a full page may have another
                // after it, a short one is the last.
                let more = items.len() >= PAGE_SIZE as usize;
                Ok(Outcome::Page(ListPage {
                    items,
                    more,
                    total_pages: None,
                    total_count: None,
                }))
            }
            _ => subscription(payload).map(Outcome::One),
        }
    }
}

/// The webhooks of a list answer: the payload itself when it is an array, or the first array in it
/// (the list's pagination wrapper is not documented, so any field name is accepted).
fn list_items(payload: &Value) -> Option<&Vec<Value>> {
    if let Some(items) = payload.as_array() {
        return Some(items);
    }
    let object = payload.as_object()?;
    ["webhooks", "data", "items", "results", "rows", "list"]
        .iter()
        .find_map(|key| object.get(*key).and_then(Value::as_array))
        .or_else(|| object.values().find_map(Value::as_array))
}

fn subscription(payload: &Value) -> Result<Subscription, VendorError> {
    let id = id_field(payload, "id")
        .or_else(|| id_field(payload, "_id"))
        .ok_or_else(|| VendorError::Malformed("the webhook has no id.".into()))?;
    let test_failed = payload
        .pointer("/testDelivery/status")
        .and_then(Value::as_str)
        == Some("failed");
    let deliveries_failed = payload.get("failed").and_then(Value::as_bool) == Some(true);
    let status = match str_field(payload, "status").as_deref() {
        Some("active") => SubscriptionStatus::Active,
        Some("paused") if test_failed => {
            SubscriptionStatus::Failing("the test delivery failed".into())
        }
        // A fetched webhook carries `failed` and `lastFailure` instead of `testDelivery`.
        Some("paused") if deliveries_failed => SubscriptionStatus::Failing(
            payload
                .pointer("/lastFailure/message")
                .and_then(Value::as_str)
                .filter(|m| !m.trim().is_empty())
                .map_or_else(
                    || "deliveries failed".to_string(),
                    |m| format!("deliveries failed: {}", short_text(m)),
                ),
        ),
        Some("paused") => SubscriptionStatus::Paused,
        Some(other) => SubscriptionStatus::Other(other.to_string()),
        None => SubscriptionStatus::Other("unknown".into()),
    };
    Ok(Subscription {
        id,
        status,
        target_url: str_field(payload, "webhookUrl"),
        events: str_list(payload, "webhookEvent"),
        created_at: str_field(payload, "createdAt"),
        raw: payload.clone(),
    })
}
