//! One adapter per vendor, behind one trait: everything Hookpanel knows of a vendor that its
//! schemas do not say. Its facts ([`VendorSpec`]: base URL, capabilities, sign-in schemes, where
//! the sandbox serves it), its request plans, how it reads its answers, where a modify starts, and
//! its emulated workflows. Nothing outside this folder names a vendor; helpers every adapter uses
//! are in [`common`], which imports no adapter.
//!
//! Adding a vendor: README, "Adding a vendor".

pub(crate) mod collect;
pub(crate) mod common;
pub(crate) mod kajabi;
pub(crate) mod saleshandy;
pub(crate) mod superoffice;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
use crate::auth::{AuthScheme, SignIn, Token};
use crate::call::{Call, PlanError, Step};
use crate::catalogue::{Capabilities, Capability};
use crate::delivery::{Delivery, DeliveryKey, Signing};
use crate::http::HttpRequest;
use crate::{Action, Credentials, HttpResponse, Operation, Secret, VendorId};

/// The facts about a vendor that the rest of Hookpanel reads.
pub struct VendorSpec {
    /// The name people know the vendor by.
    pub name: &'static str,
    /// The vendor's documented production base URL, the default for a new connection.
    pub default_base_url: &'static str,
    /// What the page must be allowed to connect to for this vendor (its Content-Security-Policy's
    /// `connect-src`): the default base URL's origin, or a wider pattern where every account has
    /// a host of its own (SuperOffice's tenants).
    pub connect_src: &'static str,
    /// Where the sandbox serves this vendor, below the sandbox's root.
    pub sandbox_path: &'static str,
    /// What the API offers, action by action.
    pub capabilities: Capabilities,
    /// Every way to sign in; the first is the default.
    pub schemes: &'static [AuthScheme],
    /// The scheme id and field values the built-in sandbox accepts: public demo credentials.
    pub sandbox_sign_in: (&'static str, &'static [(&'static str, &'static str)]),
    /// How its deliveries show they come from it.
    pub signing: Signing,
}

impl VendorSpec {
    pub fn capability(&self, action: Action) -> Capability {
        self.capabilities.of(action)
    }

    /// A sign-in scheme by id, or the vendor's default.
    pub fn scheme(&self, id: &str) -> &'static AuthScheme {
        self.schemes
            .iter()
            .find(|s| s.id == id)
            .unwrap_or(&self.schemes[0])
    }

    /// The credentials made from a scheme's fields (see [`crate::auth::sign_in`]).
    pub fn sign_in(
        &self,
        scheme_id: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<SignIn, PlanError> {
        crate::auth::sign_in(self.scheme(scheme_id), values)
    }

    /// The credentials the built-in sandbox takes, for tests and demos (`None` where its sign-in
    /// asks for a token first).
    pub fn sandbox_credentials(&self) -> Option<Credentials> {
        let (scheme, values) = self.sandbox_values();
        match self.sign_in(scheme, &values) {
            Ok(SignIn::Ready(credentials)) => Some(credentials),
            _ => None,
        }
    }

    /// The built-in sandbox's sign-in, as a scheme id and its field values.
    pub fn sandbox_values(&self) -> (&'static str, BTreeMap<String, String>) {
        let (scheme, pairs) = self.sandbox_sign_in;
        (
            scheme,
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

pub(crate) trait Adapter: Sync {
    fn spec(&self) -> &'static VendorSpec;

    fn plan(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<HttpRequest, PlanError>;

    /// Every request of `call`; a vendor with emulated actions overrides this.
    fn plan_steps(
        &self,
        base: &str,
        credentials: &Credentials,
        call: Call<'_>,
    ) -> Result<Vec<Step>, PlanError> {
        Ok(vec![Step {
            action: call.action(),
            request: self.plan(base, credentials, call)?,
        }])
    }

    fn decode(&self, action: Action, response: &HttpResponse) -> Result<Outcome, VendorError>;

    /// The draft a modify starts from: the subscription as the vendor holds it, in the shape of
    /// its modify schema (or create schema, where a modify creates anew). `None` where the vendor
    /// cannot change it, or its record lacks what is needed.
    fn modify_draft(&self, _subscription: &Subscription) -> Option<Value> {
        None
    }

    /// The subscription as a create draft (its create schema's shape) without its state, which a
    /// workspace file keeps beside it: what an import would create it from. `from_schema` is the
    /// create schema's writable properties as the record names them (see [`desired_draft`]); a
    /// vendor whose record has another shape overrides this. `None` where the record lacks what
    /// is needed.
    fn desired_draft(
        &self,
        _subscription: &Subscription,
        from_schema: Option<Value>,
    ) -> Option<Value> {
        from_schema
    }

    /// Whether a native modify replaces the whole webhook (SuperOffice's PUT): a field left out of
    /// it is reset, so it must carry every setting, secrets included. Otherwise a modify is a
    /// partial update (Collect) that leaves out what it does not change.
    fn modify_replaces(&self) -> bool {
        false
    }

    /// Where a draft for `operation` writes the webhook's state, and its values for active and
    /// paused; `from_schema` is what the schema's `x-role: state` gives (the default).
    fn state_field(
        &self,
        _operation: Operation,
        from_schema: Option<StateField>,
    ) -> Option<StateField> {
        from_schema
    }

    /// A subscription known only by its id (adopted by the admin, where the vendor cannot list):
    /// its record as the vendor would name the id.
    fn adopted(&self, id: &str) -> Subscription {
        Subscription {
            id: id.to_string(),
            status: SubscriptionStatus::Other("not read".into()),
            target_url: None,
            events: Vec::new(),
            created_at: None,
            raw: serde_json::json!({ "id": id }),
        }
    }

    /// The token request, for a vendor with a [`crate::auth::SchemeKind::ClientCredentials`]
    /// scheme.
    fn token_request(
        &self,
        _base: &str,
        _client_id: &str,
        _client_secret: &Secret,
    ) -> Result<HttpRequest, PlanError> {
        Err(PlanError::WrongScheme("credentials this vendor takes"))
    }

    /// Reads the token request's answer.
    fn decode_token(&self, _response: &HttpResponse) -> Result<Token, VendorError> {
        Err(VendorError::Malformed(
            "this vendor issues no tokens.".into(),
        ))
    }

    /// A sample payload as the vendor would deliver it, for the event schema to check: what the
    /// sample endpoint returns may be only part of a delivery (Kajabi's is the `payload`).
    fn sample_delivery(&self, _event: &str, sample: Value) -> Value {
        sample
    }

    /// Whether a delivery shows itself to be this vendor's, by its headers or its body (`None`
    /// when the body is not JSON). A vendor that documents no shape claims nothing: the admin
    /// names it.
    fn claims(&self, _delivery: &Delivery, _body: Option<&Value>) -> bool {
        false
    }

    /// The event a delivery reports, where it names one.
    fn event_of(&self, _delivery: &Delivery, body: &Value) -> Option<String> {
        body.get("event")
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// What a subscription's record holds to check its deliveries with, given what its create
    /// schema's `x-role: secret` field holds there (the default).
    fn delivery_key(&self, _subscription: &Subscription, from_role: DeliveryKey) -> DeliveryKey {
        from_role
    }
}

/// `$body` with `$a` bound to `$vendor`'s adapter: the one place a vendor id meets its code.
/// A `match`, not a `&'static dyn Adapter`: a trait object's vtable puts every method of every
/// adapter in the wasm's function table, and what the table holds stays in the page's main
/// module, fetched before the first screen, though only the everyday screens plan and decode
/// calls (PERFORMANCE.md). One line a vendor, as README's "Adding a vendor" says.
#[rustfmt::skip]
macro_rules! with_adapter {
    ($vendor:expr, |$a:ident| $body:expr) => {{
        use $crate::vendors::Adapter as _;
        match $vendor {
            $crate::VendorId::Collect => { let $a = &$crate::vendors::collect::Collect; $body }
            $crate::VendorId::Saleshandy => { let $a = &$crate::vendors::saleshandy::Saleshandy; $body }
            $crate::VendorId::SuperOffice => { let $a = &$crate::vendors::superoffice::SuperOffice; $body }
            $crate::VendorId::Kajabi => { let $a = &$crate::vendors::kajabi::Kajabi; $body }
        }
    }};
}
pub(crate) use with_adapter;

/// The public view of a vendor's facts.
pub fn spec(vendor: VendorId) -> &'static VendorSpec {
    with_adapter!(vendor, |a| a.spec())
}

/// A vendor's sample payload for `event` in the shape of a delivery, for its event schema.
pub fn sample_delivery(vendor: VendorId, event: &str, sample: Value) -> Value {
    with_adapter!(vendor, |a| a.sample_delivery(event, sample))
}

/// What `subscription`'s own record holds to check its deliveries with (its secret, and the
/// header that carries it where the admin chose one), for the check screen to start from.
pub fn delivery_key(vendor: VendorId, subscription: &Subscription) -> DeliveryKey {
    let secret = crate::roles::role_of(vendor, crate::Operation::Create, "secret")
        .and_then(|pointer| subscription.raw.pointer(pointer))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(Secret::new);
    let from_role = DeliveryKey {
        secret,
        header: None,
    };
    with_adapter!(vendor, |a| a.delivery_key(subscription, from_role))
}

/// A subscription known only by the id the admin typed, as the vendor's record names it.
pub fn adopted(vendor: VendorId, id: &str) -> Subscription {
    with_adapter!(vendor, |a| a.adopted(id))
}

/// Where a draft writes the webhook's state (Collect's `status`, SuperOffice's `State`), and the
/// values that mean active and paused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateField {
    pub pointer: String,
    pub active: Value,
    pub paused: Value,
}

/// The subscription as a create draft of its vendor, without its state: what a workspace file
/// keeps of it (secrets still in; [`crate::sync`] takes them out). By default the create schema's
/// top-level properties as the record names them, leaving out what the schema marks read-only,
/// the state, nulls, and a value the schema's `const` refuses (SuperOffice's `WebhookId`, which is
/// 0 on a create); each adapter adjusts it to its record. `None` where the record lacks what is
/// needed.
pub fn desired_draft(vendor: VendorId, subscription: &Subscription) -> Option<Value> {
    let from_schema = (|| {
        let raw = subscription.raw.as_object()?;
        let schema = crate::schema::schema(vendor, Operation::Create)?;
        let props = schema.get("properties")?.as_object()?;
        let state = state_field(vendor, Operation::Create).map(|s| s.pointer);
        let mut draft = serde_json::Map::new();
        for (key, sub) in props {
            let pointer = crate::problem::child_pointer("", key);
            let read_only = sub.get("readOnly").and_then(Value::as_bool) == Some(true);
            if read_only || state.as_deref() == Some(pointer.as_str()) {
                continue;
            }
            let Some(value) = raw.get(key).filter(|v| !v.is_null()) else {
                continue;
            };
            if sub.get("const").is_some_and(|c| c != value) {
                continue;
            }
            draft.insert(key.clone(), value.clone());
        }
        Some(Value::Object(draft))
    })();
    let draft = with_adapter!(vendor, |a| a.desired_draft(subscription, from_schema))?;
    // A record that lacks a field the create needs (a Collect webhook added by id, never read)
    // is no draft to create from.
    let required = crate::schema::schema(vendor, Operation::Create)
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array);
    let complete = required
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .all(|name| draft.get(name).is_some());
    complete.then_some(draft)
}

/// Whether `vendor`'s native modify replaces the whole webhook (see [`Adapter::modify_replaces`]).
pub fn modify_replaces(vendor: VendorId) -> bool {
    with_adapter!(vendor, |a| a.modify_replaces())
}

/// Where a draft of `vendor` for `operation` writes the webhook's state. By default the field the
/// schema marks `x-role: state`, whose `enum` has `active` (in any case) and one other value, the
/// paused one.
pub fn state_field(vendor: VendorId, operation: Operation) -> Option<StateField> {
    let from_schema = (|| {
        let pointer = crate::roles::role_of(vendor, operation, "state")?;
        let schema = crate::schema::schema(vendor, operation)?;
        let values = crate::schema::subschema_at(schema, pointer)?
            .get("enum")?
            .as_array()?;
        let is_active = |v: &&Value| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("active"));
        let active = values.iter().find(is_active)?.clone();
        let paused = values.iter().find(|v| !is_active(v))?.clone();
        Some(StateField {
            pointer: pointer.to_string(),
            active,
            paused,
        })
    })();
    with_adapter!(vendor, |a| a.state_field(operation, from_schema))
}
