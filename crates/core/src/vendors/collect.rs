//! Collect (seeds 000, 001): Basic auth with an empty user and the API key as password; create and
//! a partial modify, both POST; pause and resume are modifies of `status`. No list, get or delete:
//! the app keeps a ledger of what it created.

use base64::Engine;
use serde_json::{Value, json};

use super::{Adapter, VendorSpec, json_body, without_read_only};
use crate::decode::{
    Outcome, Subscription, SubscriptionStatus, VendorError, id_field, json_body as parse,
    status_error, str_field, str_list,
};
use crate::http::{Header, HttpRequest, Method};
use crate::plan::{Call, PlanError, segment};
use crate::schema::schema;
use crate::{Action, Capabilities, Capability, Credentials, HttpResponse, Operation, VendorId};

pub(crate) struct Collect;

const NO_LIST: &str = "Collect's API cannot list webhooks: Hookpanel shows the ones created here, and you can add others by id.";

static SPEC: VendorSpec = VendorSpec {
    default_base_url: "https://api.usecollect.com/v1",
    sandbox_path: "/collect/v1",
    target_pointer: "/targetUrl",
    secret_pointer: Some("/secretToken"),
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
                return Err(PlanError::Absent(NO_LIST));
            }
            // plan() turns this away before it gets here: Collect resumes in place.
            Call::Recreate { .. } => {
                return Err(PlanError::Draft(
                    "Collect resumes a webhook in place; resume it by its id.".into(),
                ));
            }
        };
        if !body.is_object() {
            return Err(PlanError::Draft("The draft must be a JSON object.".into()));
        }
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
                schema(VendorId::Collect, Operation::Create),
            )),
        })
    }

    fn decode(&self, _action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        if !(200..300).contains(&response.status) {
            return Err(status_error(response, &words));
        }
        let body = parse(response)?;
        subscription(&body).map(Outcome::One)
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
