//! SuperOffice (seed 003): Bearer, SOTicket + SO-AppToken, or Basic, on a per-tenant base URL.
//!
//! Create is a POST and modify a PUT of the full entity; pause and resume are merge-patches of
//! `State`. Fields the vendor owns (`Registered`, `Updated`, the associates, `_Links`) are marked
//! read-only in the schemas and dropped from every body, so a webhook read with GET can be edited
//! and sent back as it is.

use base64::Engine;
use serde_json::{Value, json};

use super::common::{
    id_field, json_body, object, parse_json, segment, short_text, status_error, str_field,
    str_list, succeeded, with_message, without_read_only,
};
use super::{Adapter, VendorSpec};
use crate::answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
use crate::auth::{AuthField, AuthScheme, SchemeKind, TOKEN};
use crate::call::{Call, PlanError};
use crate::delivery::Signing;
use crate::http::{Header, HttpRequest, Method};
use crate::listing::ListPage;
use crate::schema::{read_only_pointers, schema};
use crate::{Action, Capabilities, Capability, Credentials, HttpResponse, Operation, VendorId};

pub(crate) struct SuperOffice;

static SPEC: VendorSpec = VendorSpec {
    name: "SuperOffice",
    default_base_url: "https://sod.superoffice.com/Cust12345/api/v1",
    // Every tenant has its own URL on superoffice.com (the `webapi_url` claim); onsite hosts are
    // the admin's own (HOOKPANEL_CONNECT_SRC).
    connect_src: "https://*.superoffice.com",
    sandbox_path: "/superoffice/Cust12345/api/v1",
    schemes: &[
        AuthScheme {
            id: "bearer",
            kind: SchemeKind::Bearer,
            label: "Access token (Online)",
            fields: &[AuthField {
                help: "An OAuth access token for the tenant. Sent as Authorization: Bearer.",
                ..TOKEN
            }],
            note: "",
        },
        AuthScheme {
            id: "so_ticket",
            kind: SchemeKind::SoTicket,
            label: "System user ticket",
            fields: &[
                AuthField {
                    name: "ticket",
                    label: "Ticket",
                    secret: true,
                    help: "Sent as Authorization: SOTicket.",
                },
                AuthField {
                    name: "app_token",
                    label: "Application token",
                    secret: true,
                    help: "Your application's token, sent as SO-AppToken.",
                },
            ],
            note: "",
        },
        AuthScheme {
            id: "basic",
            kind: SchemeKind::Basic,
            label: "User name and password (Onsite)",
            fields: &[
                AuthField {
                    name: "user",
                    label: "User name",
                    secret: false,
                    help: "",
                },
                AuthField {
                    name: "password",
                    label: "Password",
                    secret: true,
                    help: "",
                },
            ],
            note: "",
        },
    ],
    sandbox_sign_in: ("bearer", &[("token", "sandbox-superoffice-token")]),
    // Only when the webhook has a Secret (vendors.md 3.4, dev/security.md).
    signing: Signing::HmacSha256Base64 {
        header: "X-SuperOffice-Signature",
    },
    capabilities: Capabilities {
        list: Capability::Native,
        get: Capability::Native,
        create: Capability::Native,
        modify: Capability::Native,
        pause: Capability::Native,
        resume: Capability::Native,
        delete: Capability::Native,
        test: Capability::Native,
        sample: Capability::Absent(
            "SuperOffice has no sample payloads: send a test delivery instead.",
        ),
    },
};

/// The vendor's words where its reference documents them (seed 003, vendors.md 3.2); the answer's
/// own message is preferred when it has one.
fn words(status: u16) -> Option<&'static str> {
    Some(match status {
        401 => "SuperOffice refused the credentials.",
        403 => {
            "These credentials may not manage webhooks. In SuperOffice Online the Webhook agent must be requested when the app is registered, and the tenant administrator must renew consent."
        }
        404 => "SuperOffice has no such webhook.",
        409 => "The webhook changed since it was read: refresh it, then try again.",
        _ => return None,
    })
}

impl Adapter for SuperOffice {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    /// Its own headers (`X-SuperOffice-Event`, `-EventId`, `-Signature`), or a WebhookPayload's
    /// `Event` and `PrimaryKey` (vendors.md 3.4).
    fn claims(&self, delivery: &crate::delivery::Delivery, body: Option<&Value>) -> bool {
        let own_header = delivery.headers.iter().any(|(name, _)| {
            name.get(..14)
                .is_some_and(|p| p.eq_ignore_ascii_case("x-superoffice-"))
        });
        own_header
            || body.is_some_and(|b| {
                b.get("Event").is_some_and(Value::is_string) && b.get("PrimaryKey").is_some()
            })
    }

    fn event_of(&self, delivery: &crate::delivery::Delivery, body: &Value) -> Option<String> {
        body.get("Event")
            .and_then(Value::as_str)
            .or_else(|| delivery.header("X-SuperOffice-Event"))
            .map(str::to_string)
    }

    fn plan(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<HttpRequest, PlanError> {
        let mut headers = auth_headers(credentials)?;
        headers.push(Header::plain("Accept", "application/json"));
        let one = |id: &str| format!("{base}/Webhook/{}", segment(id));
        let (method, url, body) = match call {
            // SuperOffice's list does not page: every webhook comes at once (vendors.md 3.2).
            Call::List { .. } => (Method::Get, format!("{base}/Webhook"), None),
            Call::Get { id } => (Method::Get, one(id), None),
            Call::Delete { id } => (Method::Delete, one(id), None),
            Call::Create { draft } => (
                Method::Post,
                format!("{base}/Webhook"),
                Some(entity(Operation::Create, draft)?),
            ),
            Call::Modify { id, draft } => {
                check_id(id, draft)?;
                (
                    Method::Put,
                    one(id),
                    Some(entity(Operation::Modify, draft)?),
                )
            }
            Call::Test { draft } => (
                Method::Post,
                format!("{base}/Webhook/Test"),
                Some(entity(Operation::Create, draft)?),
            ),
            Call::Pause { id } => (Method::Patch, one(id), Some(state("Stopped"))),
            Call::Resume { id } => (Method::Patch, one(id), Some(state("Active"))),
            Call::Sample { .. } => return Err(PlanError::Absent(SPEC.capabilities.sample.note())),
            // plan() turns this away before it gets here: SuperOffice resumes in place.
            Call::Recreate { .. } => {
                return Err(PlanError::Draft(
                    "SuperOffice resumes a webhook in place; resume it by its id.".into(),
                ));
            }
        };
        if let Some(body) = &body {
            headers.push(Header::plain("Content-Type", &body.content_type));
        }
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
            return Err(match vendor_message(&response.body) {
                Some(said) => on_target(with_message(error, said)),
                None => error,
            });
        }
        if action == Action::Delete {
            return Ok(Outcome::Deleted);
        }
        let body = parse_json(response)?;
        match action {
            Action::Test => Ok(Outcome::Tested {
                success: body
                    .get("Success")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                message: str_field(&body, "Message").unwrap_or_default(),
            }),
            Action::List => {
                // The reference returns an array; an OData-style `{"value": [...]}` is read too.
                let items = body
                    .as_array()
                    .or_else(|| body.get("value").and_then(Value::as_array))
                    .ok_or_else(|| {
                        VendorError::Malformed("the answer is not a list of webhooks.".into())
                    })?;
                items
                    .iter()
                    .map(subscription)
                    .collect::<Result<_, _>>()
                    .map(|items| Outcome::Page(ListPage::whole(items)))
            }
            _ => subscription(&body).map(Outcome::One),
        }
    }

    /// The create schema's fields as the record has them, without an empty text (how SuperOffice
    /// says "none", which the schema's formats refuse) and without `State`, which a workspace file
    /// keeps beside the draft.
    fn desired_draft(
        &self,
        _subscription: &Subscription,
        from_schema: Option<Value>,
    ) -> Option<Value> {
        let mut draft = from_schema?;
        draft.as_object_mut()?.retain(|_, v| v.as_str() != Some(""));
        Some(draft)
    }

    /// A PUT replaces the whole entity (vendors.md 3.2): a field it leaves out is reset, a secret
    /// to none and the state to Active.
    fn modify_replaces(&self) -> bool {
        true
    }

    /// `State` (no `x-role` in the schema files, whose bytes Ajv's recorded verdicts are tied to):
    /// written Active or Stopped, on a create or a PUT.
    fn state_field(
        &self,
        operation: Operation,
        from_schema: Option<super::StateField>,
    ) -> Option<super::StateField> {
        match operation {
            Operation::Create | Operation::Modify => Some(super::StateField {
                pointer: "/State".into(),
                active: json!("Active"),
                paused: json!("Stopped"),
            }),
            Operation::Event => from_schema,
        }
    }

    /// A full PUT: the whole entity, without what the vendor owns (it would be dropped with a
    /// warning on every edit). `State` stays, so saving keeps a stopped webhook stopped.
    fn modify_draft(&self, subscription: &Subscription) -> Option<Value> {
        let mut draft = subscription.raw.clone();
        // An empty text is how SuperOffice says "none" (ErrorsEmail ""); the schema's formats
        // would refuse it, so it is left out rather than blocking every save.
        draft
            .as_object_mut()?
            .retain(|_, v| !v.is_null() && v.as_str() != Some(""));
        if let Some(s) = schema(VendorId::SuperOffice, Operation::Modify) {
            for pointer in read_only_pointers(s) {
                crate::draft::set(&mut draft, &pointer, None);
            }
        }
        Some(draft)
    }
}

/// The `Authorization` header (and `SO-AppToken`) for each scheme SuperOffice takes; all secret.
fn auth_headers(credentials: &Credentials) -> Result<Vec<Header>, PlanError> {
    Ok(match credentials {
        Credentials::Bearer { token } => {
            if token.is_empty() {
                return Err(PlanError::MissingCredential("access token"));
            }
            vec![Header::secret(
                "Authorization",
                format!("Bearer {}", token.expose()),
            )]
        }
        Credentials::SoTicket { ticket, app_token } => {
            if ticket.is_empty() {
                return Err(PlanError::MissingCredential("SOTicket"));
            }
            if app_token.is_empty() {
                return Err(PlanError::MissingCredential(
                    "application token (SO-AppToken)",
                ));
            }
            vec![
                Header::secret("Authorization", format!("SOTicket {}", ticket.expose())),
                Header::secret("SO-AppToken", app_token.expose()),
            ]
        }
        Credentials::Basic { user, password } => {
            if user.trim().is_empty() {
                return Err(PlanError::MissingCredential("user name"));
            }
            if password.is_empty() {
                return Err(PlanError::MissingCredential("password"));
            }
            let basic = base64::engine::general_purpose::STANDARD
                .encode(format!("{user}:{}", password.expose()));
            vec![Header::secret("Authorization", format!("Basic {basic}"))]
        }
        Credentials::ApiKey { .. } => {
            return Err(PlanError::WrongScheme(
                "a Bearer token, a SOTicket with an application token, or a user name and password",
            ));
        }
    })
}

/// The body of a create (POST) or replace (PUT): the draft without its read-only fields, with the
/// schema's secret fields marked for masking.
fn entity(operation: Operation, draft: &Value) -> Result<crate::http::Body, PlanError> {
    object(draft)?;
    let body = without_read_only(VendorId::SuperOffice, operation, draft);
    Ok(json_body(
        "application/json",
        &body,
        Some((VendorId::SuperOffice, operation)),
    ))
}

/// A PUT replaces the webhook named in the URL; a draft naming another one is a mistake to stop
/// before it overwrites the wrong webhook.
fn check_id(id: &str, draft: &Value) -> Result<(), PlanError> {
    match (
        draft.get("WebhookId").and_then(Value::as_i64),
        id.trim().parse::<i64>(),
    ) {
        (Some(in_draft), Ok(in_url)) if in_draft != 0 && in_draft != in_url => {
            Err(PlanError::Draft(format!(
                "The draft's WebhookId ({in_draft}) is not the id of the webhook being changed ({in_url})."
            )))
        }
        _ => Ok(()),
    }
}

/// A JSON Merge Patch of `State`, the documented way to stop and restart a webhook.
fn state(value: &str) -> crate::http::Body {
    json_body(
        "application/merge-patch+json",
        &json!({ "State": value }),
        None,
    )
}

/// SuperOffice's error body is not documented: take a message from the usual fields of a JSON
/// body, or a short plain-text body as it is. HTML error pages say nothing useful and are skipped.
fn vendor_message(body: &str) -> Option<String> {
    let text = body.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(value) = crate::draft::parse(text) {
        return [
            "Message",
            "message",
            "Error",
            "error",
            "ErrorMessage",
            "detail",
            "title",
        ]
        .iter()
        .find_map(|key| str_field(&value, key))
        .filter(|m| !m.trim().is_empty())
        .map(|m| short_text(&m));
    }
    if text.starts_with('<') {
        return None;
    }
    Some(short_text(text))
}

fn subscription(body: &Value) -> Result<Subscription, VendorError> {
    let id = id_field(body, "WebhookId")
        .ok_or_else(|| VendorError::Malformed("the webhook has no WebhookId.".into()))?;
    let status = match str_field(body, "State").as_deref() {
        Some("Active") => SubscriptionStatus::Active,
        Some("Stopped") => SubscriptionStatus::Paused,
        Some("TooManyErrors") => SubscriptionStatus::Failing("too many failed deliveries".into()),
        Some(other) => SubscriptionStatus::Other(other.to_string()),
        None => SubscriptionStatus::Other("unknown".into()),
    };
    Ok(Subscription {
        id,
        status,
        target_url: str_field(body, "TargetUrl"),
        events: str_list(body, "Events"),
        created_at: str_field(body, "Registered"),
        // `Secret` stays in: the UI masks it, and a full PUT must be able to send it back.
        raw: body.clone(),
    })
}

/// SuperOffice pings the target when a webhook is saved, and a failed ping refuses the save with
/// "Webhook test POST to <url> failed: ..." (vendors.md 3.2, "Creation pings the TargetUrl"): that is a problem with `TargetUrl`,
/// so it is pinned there for the form to show on the field.
fn on_target(error: VendorError) -> VendorError {
    match error {
        VendorError::Rejected {
            message,
            mut problems,
        } if message.starts_with("Webhook test POST to") => {
            problems.push(crate::Problem::error(
                "/TargetUrl",
                "vendor",
                message.clone(),
            ));
            VendorError::Rejected { message, problems }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modify_keeps_state_and_drops_what_the_vendor_owns() {
        let live = Subscription {
            id: "7".into(),
            status: SubscriptionStatus::Paused,
            target_url: None,
            events: Vec::new(),
            created_at: None,
            raw: json!({"WebhookId": 7, "Name": "n", "State": "Stopped", "ErrorsEmail": "",
                "Events": ["contact.created"], "Type": "webhook",
                "Registered": "2026-01-01T00:00:00", "TargetUrl": "https://a.example/h"}),
        };
        let draft = SuperOffice.modify_draft(&live).unwrap();
        assert_eq!(draft["State"], "Stopped");
        assert!(draft.get("Registered").is_none());
        assert!(
            draft.get("ErrorsEmail").is_none(),
            "an empty text means none"
        );
        let problems = crate::validate(VendorId::SuperOffice, Operation::Modify, &draft);
        assert!(
            problems.iter().all(|p| !p.is_error()),
            "a live webhook can be saved as it is: {problems:?}"
        );
    }
}
