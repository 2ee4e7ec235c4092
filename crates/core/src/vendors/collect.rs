//! Collect (seeds 000, 001): Basic auth with an empty user and the API key as password; create and
//! a partial modify, both POST; pause and resume are modifies of `status`. No list, get or delete:
//! the app keeps a ledger of what it created.

use base64::Engine;
use serde_json::{Value, json};

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
use crate::schema::schema;
use crate::{Action, Capabilities, Capability, Credentials, HttpResponse, Operation, VendorId};

pub(crate) struct Collect;

const NO_LIST: &str = "Collect's API cannot list webhooks: Hookpanel shows the ones created here, and you can add others by id.";

static SPEC: VendorSpec = VendorSpec {
    name: "Collect",
    default_base_url: "https://api.usecollect.com/v1",
    connect_src: "https://api.usecollect.com",
    sandbox_path: "/collect/v1",
    schemes: &[AuthScheme {
        id: "api_key",
        kind: SchemeKind::ApiKey,
        label: "API key",
        fields: &[AuthField {
            help: "Settings → API in Collect. Sent as the password of HTTP Basic, with an empty user.",
            ..API_KEY
        }],
        note: "",
    }],
    sandbox_sign_in: ("api_key", &[("key", "sandbox-collect-key")]),
    // "If you specify a secret token, it will be sent with the hook request in the HTTP header"
    // (vendors.md 1.4): which header is not documented, so every header is looked in.
    signing: Signing::SharedSecret {
        header_chosen: false,
    },
    capabilities: Capabilities {
        list: Capability::Absent(NO_LIST),
        get: Capability::Absent(NO_LIST),
        create: Capability::Native,
        modify: Capability::Native,
        pause: Capability::Native,
        resume: Capability::Native,
        delete: Capability::Absent(
            "Collect's API cannot delete webhooks: pause it here, or delete it in Collect's own settings.",
        ),
        test: Capability::Absent("Collect's API has no test delivery."),
        sample: Capability::Absent("Collect publishes no sample payloads."),
    },
};

/// The vendor's words for each status (seed 000's table).
fn words(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Your request is invalid.",
        401 => "Your API key is wrong.",
        403 => "The object requested is hidden for administrators only.",
        404 => "The specified object could not be found.",
        _ => return None,
    })
}

impl Adapter for Collect {
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
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(":{}", key.expose()));
        let (url, body) = match call {
            Call::Create { draft } => (
                format!("{base}/webhooks"),
                without_read_only(VendorId::Collect, Operation::Create, draft),
            ),
            Call::Modify { id, draft } => (
                format!("{base}/webhooks/{}", segment(id)),
                without_read_only(VendorId::Collect, Operation::Modify, draft),
            ),
            Call::Pause { id } => (
                format!("{base}/webhooks/{}", segment(id)),
                json!({"status": "paused"}),
            ),
            Call::Resume { id } => (
                format!("{base}/webhooks/{}", segment(id)),
                json!({"status": "active"}),
            ),
            Call::List { .. }
            | Call::Get { .. }
            | Call::Delete { .. }
            | Call::Test { .. }
            | Call::Sample { .. } => {
                return Err(PlanError::Absent(SPEC.capability(call.action()).note()));
            }
            // plan() turns this away before it gets here: Collect resumes in place.
            Call::Recreate { .. } => {
                return Err(PlanError::Draft(
                    "Collect resumes a webhook in place; resume it by its id.".into(),
                ));
            }
        };
        object(&body)?;
        Ok(HttpRequest {
            method: Method::Post,
            url,
            headers: vec![
                Header::secret("Authorization", format!("Basic {basic}")),
                Header::plain("Content-Type", "application/json"),
                Header::plain("Accept", "application/json"),
            ],
            body: Some(json_body(
                "application/json",
                &body,
                Some((VendorId::Collect, Operation::Create)),
            )),
        })
    }

    fn decode(&self, _action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        if !succeeded(response) {
            return Err(status_error(response, &words));
        }
        let body = parse_json(response)?;
        subscription(&body).map(Outcome::One)
    }

    /// A partial update: the fields of the modify schema the admin can change, as Collect returned
    /// them, without the secret (a partial update need not restate it, and the ledger keeps none)
    /// or the state (pause and resume set it; restating the last state seen would undo a pause
    /// Collect made by itself).
    fn modify_draft(&self, subscription: &Subscription) -> Option<Value> {
        let raw = subscription.raw.as_object()?;
        let schema = schema(VendorId::Collect, Operation::Modify)?;
        let props = schema.get("properties")?.as_object()?;
        let mut draft = serde_json::Map::new();
        for (key, sub) in props {
            let role = sub.get("x-role").and_then(Value::as_str);
            let secret = sub.get("x-secret").and_then(Value::as_bool) == Some(true);
            if secret || matches!(role, Some("state")) {
                continue;
            }
            if let Some(value) = raw.get(key).filter(|v| !v.is_null()) {
                draft.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(draft))
    }

    /// Collect names a webhook's id `_id`.
    fn adopted(&self, id: &str) -> Subscription {
        Subscription {
            id: id.to_string(),
            status: SubscriptionStatus::Other("not read".into()),
            target_url: None,
            events: Vec::new(),
            created_at: None,
            raw: json!({ "_id": id }),
        }
    }
}

fn subscription(body: &Value) -> Result<Subscription, VendorError> {
    // An empty `_id` names no webhook: the answer is malformed, as one without `_id` is.
    let id = id_field(body, "_id")
        .ok_or_else(|| VendorError::Malformed("the webhook has no _id.".into()))?;
    let status = match str_field(body, "status").as_deref() {
        Some("active") => SubscriptionStatus::Active,
        Some("paused") => SubscriptionStatus::Paused,
        Some(other) => SubscriptionStatus::Other(other.to_string()),
        None => SubscriptionStatus::Other("unknown".into()),
    };
    Ok(Subscription {
        id,
        status,
        target_url: str_field(body, "targetUrl"),
        events: str_list(body, "types"),
        created_at: str_field(body, "createdAt"),
        raw: body.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modify_starts_from_the_changeable_fields() {
        let live = Subscription {
            id: "1".into(),
            status: SubscriptionStatus::Active,
            target_url: None,
            events: Vec::new(),
            created_at: None,
            raw: json!({"_id": "1", "status": "active", "targetUrl": "https://a.example/h",
                "types": ["created"], "createdAt": "2026-01-01", "secretToken": "s"}),
        };
        assert_eq!(
            Collect.modify_draft(&live),
            Some(json!({"targetUrl": "https://a.example/h", "types": ["created"]}))
        );
    }
}
