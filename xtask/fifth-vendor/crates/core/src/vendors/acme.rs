//! Acme, the fifth vendor of README's "Adding a vendor": made up, small, to prove the steps. An API
//! key in `X-Acme-Key`; `GET /hooks` lists every hook (no pages), `POST /hooks` creates one,
//! `DELETE /hooks/{id}` deletes it; nothing else. Deliveries are signed like SuperOffice's.

use serde_json::Value;

use super::common::{
    id_field, json_body, object, parse_json, segment, status_error, str_field, str_list, succeeded,
    without_read_only,
};
use super::{Adapter, VendorSpec};
use crate::answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
use crate::auth::{API_KEY, AuthField, AuthScheme, SchemeKind};
use crate::call::{Call, PlanError};
use crate::delivery::Signing;
use crate::http::{Header, HttpRequest, Method};
use crate::listing::ListPage;
use crate::{Action, Capabilities, Capability, Credentials, HttpResponse, Operation, VendorId};

pub(crate) struct Acme;

static SPEC: VendorSpec = VendorSpec {
    name: "Acme",
    default_base_url: "https://api.acme.example/v1",
    connect_src: "https://api.acme.example",
    sandbox_path: "/acme/v1",
    schemes: &[AuthScheme {
        id: "api_key",
        kind: SchemeKind::ApiKey,
        label: "API key",
        fields: &[AuthField {
            help: "Sent as X-Acme-Key.",
            ..API_KEY
        }],
        note: "",
    }],
    sandbox_sign_in: ("api_key", &[("key", "sandbox-acme-key")]),
    signing: Signing::HmacSha256Base64 {
        header: "X-Acme-Signature",
    },
    capabilities: Capabilities {
        list: Capability::Native,
        get: Capability::Absent("Acme's API reads hooks only as a list."),
        create: Capability::Native,
        modify: Capability::Absent("Acme's API cannot change a hook: delete it and create another."),
        pause: Capability::Absent("Acme's API cannot pause a hook."),
        resume: Capability::Absent("Acme's API cannot resume a hook."),
        delete: Capability::Native,
        test: Capability::Absent("Acme's API has no test delivery."),
        sample: Capability::Absent("Acme publishes no sample payloads."),
    },
};

impl Adapter for Acme {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    fn plan(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<HttpRequest, PlanError> {
        let Credentials::ApiKey { key } = credentials else {
            return Err(PlanError::WrongScheme("an API key"));
        };
        if key.is_empty() {
            return Err(PlanError::MissingCredential("API key"));
        }
        let (method, url, body) = match call {
            Call::List { .. } => (Method::Get, format!("{base}/hooks"), None),
            Call::Create { draft } => {
                let body = without_read_only(VendorId::Acme, Operation::Create, draft);
                object(&body)?;
                (Method::Post, format!("{base}/hooks"), Some(body))
            }
            Call::Delete { id } => (
                Method::Delete,
                format!("{base}/hooks/{}", segment(id)),
                None,
            ),
            other => return Err(PlanError::Absent(SPEC.capability(other.action()).note())),
        };
        let mut headers = vec![
            Header::secret("X-Acme-Key", key.expose()),
            Header::plain("Accept", "application/json"),
        ];
        if body.is_some() {
            headers.push(Header::plain("Content-Type", "application/json"));
        }
        Ok(HttpRequest {
            method,
            url,
            headers,
            body: body.map(|b| {
                json_body(
                    "application/json",
                    &b,
                    Some((VendorId::Acme, Operation::Create)),
                )
            }),
        })
    }

    fn decode(&self, action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        if !succeeded(response) {
            return Err(status_error(response, &|_| None));
        }
        if action == Action::Delete {
            return Ok(Outcome::Deleted);
        }
        let body = parse_json(response)?;
        match action {
            Action::List => body
                .as_array()
                .ok_or_else(|| VendorError::Malformed("the answer is not a list of hooks.".into()))?
                .iter()
                .map(subscription)
                .collect::<Result<_, _>>()
                .map(|items| Outcome::Page(ListPage::whole(items))),
            _ => subscription(&body).map(Outcome::One),
        }
    }

    fn claims(&self, delivery: &crate::delivery::Delivery, _body: Option<&Value>) -> bool {
        delivery.header("X-Acme-Signature").is_some()
    }

    fn event_of(&self, _delivery: &crate::delivery::Delivery, body: &Value) -> Option<String> {
        body.get("type").and_then(Value::as_str).map(str::to_string)
    }
}

fn subscription(body: &Value) -> Result<Subscription, VendorError> {
    let id = id_field(body, "id")
        .ok_or_else(|| VendorError::Malformed("the hook has no id.".into()))?;
    Ok(Subscription {
        id,
        status: SubscriptionStatus::Active,
        target_url: str_field(body, "url"),
        events: str_list(body, "events"),
        created_at: str_field(body, "created_at"),
        raw: body.clone(),
    })
}
