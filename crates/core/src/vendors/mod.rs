//! One adapter per vendor, behind one trait: everything Hookpanel knows of a vendor that its
//! schemas do not say. Its facts ([`VendorSpec`]: base URL, capabilities, sign-in schemes, where
//! the sandbox serves it), its request plans, how it reads its answers, where a modify starts, and
//! its emulated workflows. Nothing outside this folder names a vendor; helpers every adapter uses
//! are in [`common`], which imports no adapter.
//!
//! Adding a vendor: README, "Adding a vendor".

mod collect;
pub(crate) mod common;
mod kajabi;
mod saleshandy;
mod superoffice;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::answer::{Outcome, Subscription, SubscriptionStatus, VendorError};
use crate::auth::{AuthScheme, SignIn, Token};
use crate::call::{Call, PlanError, Step};
use crate::catalogue::{Capabilities, Capability};
use crate::delivery::{Delivery, DeliveryKey, Signing};
use crate::http::HttpRequest;
use crate::{Action, Credentials, HttpResponse, Secret, VendorId};

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

/// The adapter of a vendor: the one place a vendor id meets its code.
pub(crate) fn adapter(vendor: VendorId) -> &'static dyn Adapter {
    match vendor {
        VendorId::Collect => &collect::Collect,
        VendorId::Saleshandy => &saleshandy::Saleshandy,
        VendorId::SuperOffice => &superoffice::SuperOffice,
        VendorId::Kajabi => &kajabi::Kajabi,
    }
}

/// The public view of a vendor's facts.
pub fn spec(vendor: VendorId) -> &'static VendorSpec {
    adapter(vendor).spec()
}

/// A vendor's sample payload for `event` in the shape of a delivery, for its event schema.
pub fn sample_delivery(vendor: VendorId, event: &str, sample: Value) -> Value {
    adapter(vendor).sample_delivery(event, sample)
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
    adapter(vendor).delivery_key(subscription, from_role)
}

/// A subscription known only by the id the admin typed, as the vendor's record names it.
pub fn adopted(vendor: VendorId, id: &str) -> Subscription {
    adapter(vendor).adopted(id)
}
