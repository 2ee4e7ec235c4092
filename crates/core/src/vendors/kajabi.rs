//! Kajabi (seed 004): Bearer from the client-credentials token request; JSON:API bodies. No modify
//! or pause: both are emulated by delete and re-create (see [`crate::plan::plan_steps`]).

use serde_json::{Map, Value};

use super::common::{
    id_field, json_body, object, parse_json, segment, short_text, status_error, str_field,
    succeeded, with_message, without_read_only,
};
use super::{Adapter, VendorSpec};
use crate::answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
use crate::auth::{AuthField, AuthScheme, SchemeKind, TOKEN, Token};
use crate::call::{Call, PlanError, Step};
use crate::delivery::Signing;
use crate::http::{Body, Header, HttpRequest, Method};
use crate::listing::ListPage;
use crate::problem::Problem;
use crate::{
    Action, Capabilities, Capability, Credentials, HttpResponse, Operation, Secret, VendorId,
};

pub(crate) struct Kajabi;

static SPEC: VendorSpec = VendorSpec {
    name: "Kajabi",
    default_base_url: "https://api.kajabi.com/v1",
    connect_src: "https://api.kajabi.com",
    sandbox_path: "/kajabi/v1",
    schemes: &[
        AuthScheme {
            id: "bearer",
            kind: SchemeKind::Bearer,
            label: "Access token",
            fields: &[AuthField {
                help: "A token from POST /v1/oauth/token. Sent as Authorization: Bearer.",
                ..TOKEN
            }],
            note: "",
        },
        AuthScheme {
            id: "client_credentials",
            kind: SchemeKind::ClientCredentials,
            label: "Client id and secret",
            fields: &[
                AuthField {
                    name: "client_id",
                    label: "Client id",
                    secret: false,
                    help: "",
                },
                AuthField {
                    name: "client_secret",
                    label: "Client secret",
                    secret: true,
                    help: "",
                },
            ],
            note: "Hookpanel asks Kajabi for a token with these before the first call, and again before it expires. The client secret is long-lived: in a browser it is exposed to this page, so prefer a short-lived token where you can.",
        },
    ],
    sandbox_sign_in: ("bearer", &[("token", "sandbox-kajabi-token")]),
    // None documented (vendors.md 4.4): no header, no secret field on hooks.
    signing: Signing::None,
    capabilities: Capabilities {
        list: Capability::Native,
        get: Capability::Native,
        create: Capability::Native,
        modify: Capability::Emulated(
            "Kajabi cannot change a hook: Hookpanel deletes it and creates a new one, which gets a new id.",
        ),
        pause: Capability::Emulated(
            "Kajabi cannot pause a hook: Hookpanel deletes it and keeps its settings here; events until you resume are lost.",
        ),
        resume: Capability::Emulated(
            "Kajabi cannot resume a hook: Hookpanel creates it again from the kept settings, with a new id.",
        ),
        delete: Capability::Native,
        test: Capability::Absent(
            "Kajabi has no test delivery; look at its sample payloads for the event instead.",
        ),
        sample: Capability::Native,
    },
};

/// JSON:API's media type, which Kajabi's spec gives for request and answer bodies.
const JSON_API: &str = "application/vnd.api+json";

/// Hooks asked for per page of the list: the page size the sandbox (and, we read, Kajabi) uses
/// when none is given. Kajabi documents no maximum, so no larger size is risked.
pub(crate) const PAGE_SIZE: u32 = 25;

/// Kajabi's words per status where its spec has them (vendors.md 4.2, 4.5); the `detail` of the
/// answer's errors is preferred.
fn words(status: u16) -> Option<&'static str> {
    Some(match status {
        401 => "Kajabi refused the access token; it may have expired.",
        403 => "The API key lacks a scope this needs (a hook's event needs its view: scope).",
        404 => "Kajabi has no such hook.",
        422 => "Kajabi could not create the hook from this draft.",
        _ => return None,
    })
}

impl Adapter for Kajabi {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    fn plan(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<HttpRequest, PlanError> {
        let Credentials::Bearer { token } = credentials else {
            return Err(PlanError::WrongScheme("an access token (Bearer)"));
        };
        if token.is_empty() {
            return Err(PlanError::MissingCredential("access token"));
        }
        let mut headers = vec![
            Header::secret("Authorization", format!("Bearer {}", token.expose())),
            Header::plain("Accept", JSON_API),
        ];
        let one = |id: &str| format!("{base}/hooks/{}", segment(id));
        let (method, url, body) = match call {
            Call::List { page } => (
                Method::Get,
                format!("{base}/hooks?page%5Bnumber%5D={page}&page%5Bsize%5D={PAGE_SIZE}"),
                None,
            ),
            Call::Get { id } => (Method::Get, one(id), None),
            Call::Sample { event } => (
                Method::Get,
                format!("{base}/hooks/{}_sample", segment(event)),
                None,
            ),
            Call::Delete { id } => (Method::Delete, one(id), None),
            Call::Create { draft } => {
                headers.push(Header::plain("Content-Type", JSON_API));
                (
                    Method::Post,
                    format!("{base}/hooks"),
                    Some(create_body(draft)?),
                )
            }
            // Emulated: several requests, or one that is not what the name says; plan_steps
            // lays them out.
            Call::Modify { .. }
            | Call::Pause { .. }
            | Call::Resume { .. }
            | Call::Recreate { .. }
            | Call::Test { .. } => {
                return Err(PlanError::Emulated(SPEC.capability(call.action()).note()));
            }
        };
        Ok(HttpRequest {
            method,
            url,
            headers,
            body,
        })
    }

    fn plan_steps(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<Vec<Step>, PlanError> {
        let create = |draft| -> Result<Step, PlanError> {
            Ok(Step {
                action: Action::Create,
                request: self.plan(base, credentials, Call::Create { draft })?,
            })
        };
        let delete = |id| -> Result<Step, PlanError> {
            Ok(Step {
                action: Action::Delete,
                request: self.plan(base, credentials, Call::Delete { id })?,
            })
        };
        Ok(match call {
            // Create first: a draft Kajabi rejects then leaves the old hook working.
            Call::Modify { id, draft } => vec![create(draft)?, delete(id)?],
            Call::Pause { id } => vec![delete(id)?],
            Call::Recreate { draft } => vec![create(draft)?],
            Call::Resume { .. } => {
                return Err(PlanError::Draft(
                    "Kajabi resumes a hook by creating it again from the settings kept when it was paused; none are kept for this one.".into(),
                ));
            }
            native => vec![Step {
                action: native.action(),
                request: self.plan(base, credentials, native)?,
            }],
        })
    }

    fn modify_draft(&self, subscription: &Subscription) -> Option<Value> {
        create_draft(subscription)
    }

    /// The JSON:API create document rebuilt from the hook (a hook has no state at Kajabi).
    fn desired_draft(
        &self,
        subscription: &Subscription,
        _from_schema: Option<Value>,
    ) -> Option<Value> {
        create_draft(subscription)
    }

    fn token_request(
        &self,
        base: &str,
        client_id: &str,
        client_secret: &Secret,
    ) -> Result<HttpRequest, PlanError> {
        token_request(base, client_id, client_secret)
    }

    fn decode_token(&self, response: &HttpResponse) -> Result<Token, VendorError> {
        decode_token(response)
    }

    /// Kajabi's sample endpoint returns the array a delivery carries as `payload` (vendors.md
    /// 4.4): the delivery is `{id, event, payload}`, its `id` that of the first resource.
    fn claims(&self, _delivery: &crate::delivery::Delivery, body: Option<&Value>) -> bool {
        body.is_some_and(|b| b.get("payload").is_some())
            && super::common::names_listed_event(VendorId::Kajabi, body, "event")
    }

    fn sample_delivery(&self, event: &str, sample: Value) -> Value {
        let id = sample
            .get(0)
            .and_then(|first| id_field(first, "id"))
            .unwrap_or_else(|| "sample".to_string());
        serde_json::json!({ "id": id, "event": event, "payload": sample })
    }

    fn decode(&self, action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        if !succeeded(response) {
            return Err(error(response));
        }
        // Kajabi's pause is a delete, and a delete answers 204 with no body.
        if matches!(action, Action::Delete | Action::Pause) {
            return Ok(Outcome::Deleted);
        }
        let body = parse_json(response)?;
        if action == Action::Sample {
            return Ok(Outcome::Sample(body));
        }
        let data = body
            .get("data")
            .ok_or_else(|| VendorError::Malformed("the answer has no JSON:API data.".into()))?;
        match (action, data) {
            (Action::List, data) => {
                let items = match data {
                    Value::Array(items) => items
                        .iter()
                        .map(subscription)
                        .collect::<Result<Vec<_>, _>>()?,
                    one => vec![subscription(one)?],
                };
                Ok(Outcome::Page(list_page(&body, items)))
            }
            (_, Value::Array(items)) if items.len() == 1 => {
                subscription(&items[0]).map(Outcome::One)
            }
            (_, one) => subscription(one).map(Outcome::One),
        }
    }
}

/// A page of the list: another follows while JSON:API's `links.next` names one; `meta` has the
/// totals (vendors.md 4.2).
fn list_page(body: &Value, items: Vec<Subscription>) -> ListPage {
    let more = body
        .pointer("/links/next")
        .and_then(Value::as_str)
        .is_some_and(|next| !next.trim().is_empty());
    let meta = |key: &str| {
        body.pointer(&format!("/meta/{key}"))
            .and_then(Value::as_u64)
    };
    ListPage {
        items,
        more,
        total_pages: meta("total_pages").and_then(|n| u32::try_from(n).ok()),
        total_count: meta("total_count"),
    }
}

/// The create body: the draft as a JSON:API document, with a digit-string `resource_id` sent as
/// the integer Kajabi's spec types it as (DESIGN.md decisions; seed 004's example sends "123").
fn create_body(draft: &Value) -> Result<Body, PlanError> {
    object(draft)?;
    let mut body = without_read_only(VendorId::Kajabi, Operation::Create, draft);
    if let Some(resource) = body.pointer_mut("/data/attributes/resource_id")
        && let Some(number) = resource.as_str().and_then(|s| s.trim().parse::<u64>().ok())
    {
        *resource = Value::from(number);
    }
    Ok(json_body(
        JSON_API,
        &body,
        Some((VendorId::Kajabi, Operation::Create)),
    ))
}

/// A hook's create draft rebuilt from the hook as Kajabi returned it: what Hookpanel keeps when it
/// emulates a pause by deleting the hook, to create it again on resume, and where an emulated
/// modify's editor starts. `None` when the hook lacks its event, target or site.
fn create_draft(subscription: &Subscription) -> Option<Value> {
    let raw = &subscription.raw;
    let attributes = raw.get("attributes")?;
    let mut kept = Map::new();
    kept.insert("event".into(), attributes.get("event")?.as_str()?.into());
    kept.insert(
        "target_url".into(),
        attributes.get("target_url")?.as_str()?.into(),
    );
    match attributes.get("resource_id") {
        Some(Value::Number(n)) => {
            kept.insert("resource_id".into(), Value::Number(n.clone()));
        }
        Some(Value::String(s)) if !s.is_empty() => {
            kept.insert("resource_id".into(), Value::String(s.clone()));
        }
        _ => {}
    }
    let site = raw.pointer("/relationships/site/data")?;
    let site_id = id_field(site, "id")?;
    Some(serde_json::json!({
        "data": {
            "type": "hooks",
            "attributes": kept,
            "relationships": {"site": {"data": {"id": site_id, "type": "sites"}}}
        }
    }))
}

fn subscription(resource: &Value) -> Result<Subscription, VendorError> {
    let id = id_field(resource, "id")
        .ok_or_else(|| VendorError::Malformed("the hook has no id.".into()))?;
    let attributes = resource.get("attributes").cloned().unwrap_or(Value::Null);
    Ok(Subscription {
        id,
        // Kajabi hooks have no state: a hook that exists delivers.
        status: SubscriptionStatus::Active,
        target_url: str_field(&attributes, "target_url"),
        events: str_field(&attributes, "event").into_iter().collect(),
        created_at: str_field(&attributes, "created_at"),
        raw: resource.clone(),
    })
}

/// A failed answer: the status's kind of failure, told with the JSON:API errors' details, and for
/// a rejection one problem per error at its `source.pointer`, which addresses the draft as sent.
fn error(response: &HttpResponse) -> VendorError {
    let base = status_error(response, &words);
    let Some(errors) = crate::draft::parse(&response.body)
        .ok()
        .and_then(|b| b.get("errors").and_then(Value::as_array).cloned())
        .filter(|e| !e.is_empty())
    else {
        return base;
    };
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    for e in &errors {
        let text = str_field(e, "detail")
            .or_else(|| str_field(e, "title"))
            .filter(|t| !t.trim().is_empty())
            .map(|t| short_text(&t))
            .unwrap_or_else(|| "Kajabi rejected this value.".to_string());
        // Only a JSON Pointer addresses a field; anything else the answer says is about the
        // whole draft.
        let pointer = e
            .pointer("/source/pointer")
            .and_then(Value::as_str)
            .filter(|p| p.starts_with('/'))
            .unwrap_or_default();
        problems.push(Problem::error(pointer.to_owned(), "vendor", text.clone()));
        if !texts.contains(&text) {
            texts.push(text);
        }
    }
    let message = texts.join(" ");
    match with_message(base, message) {
        VendorError::Rejected { message, .. } => VendorError::Rejected { message, problems },
        other => other,
    }
}

/// The client-credentials token request: `POST {base}/oauth/token`, form-encoded. The whole body
/// is marked secret (it holds the client secret, and form bodies cannot be masked by JSON Pointer).
///
/// The client secret is a long-lived credential: sent from a browser it is exposed to the page,
/// which the UI should say before offering this.
fn token_request(
    base: &str,
    client_id: &str,
    client_secret: &Secret,
) -> Result<HttpRequest, PlanError> {
    if client_id.trim().is_empty() {
        return Err(PlanError::MissingCredential("client id"));
    }
    if client_secret.is_empty() {
        return Err(PlanError::MissingCredential("client secret"));
    }
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", client_id.trim())
        .append_pair("client_secret", client_secret.expose())
        .finish();
    let content_type = "application/x-www-form-urlencoded";
    Ok(HttpRequest {
        method: Method::Post,
        url: format!("{base}/oauth/token"),
        headers: vec![
            Header::plain("Content-Type", content_type),
            Header::plain("Accept", "application/json"),
        ],
        body: Some(Body {
            content_type: content_type.to_string(),
            text: form,
            secret_pointers: Vec::new(),
            secret: true,
        }),
    })
}

/// Reads the token request's answer: `{access_token, token_type, expires_in}`, or `{error}`.
fn decode_token(response: &HttpResponse) -> Result<Token, VendorError> {
    if !succeeded(response) {
        let base = status_error(response, &|status| match status {
            400 => Some("Kajabi refused the token request."),
            401 => Some("Kajabi refused the client id or client secret."),
            _ => None,
        });
        return Err(
            match crate::draft::parse(&response.body)
                .ok()
                .and_then(|b| str_field(&b, "error_description").or_else(|| str_field(&b, "error")))
            {
                Some(said) if !said.trim().is_empty() => {
                    with_message(base, format!("Kajabi: {}", short_text(&said)))
                }
                _ => base,
            },
        );
    }
    let body = parse_json(response)?;
    let access_token = str_field(&body, "access_token")
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| VendorError::Malformed("the answer has no access_token.".into()))?;
    Ok(Token {
        access_token: Secret::new(access_token),
        token_type: str_field(&body, "token_type").unwrap_or_else(|| "Bearer".into()),
        expires_in: body.get("expires_in").and_then(Value::as_u64),
        refresh_token: str_field(&body, "refresh_token").map(Secret::new),
    })
}
