//! One adapter per vendor, behind one trait: its capabilities, its request plans, its answers.
//! Vendor quirks stay in the vendor's file.

mod collect;
mod kajabi;
mod saleshandy;
mod superoffice;

pub use kajabi::{KajabiToken, decode_kajabi_token, kajabi_create_draft, kajabi_token_request};

use crate::catalogue::{Capabilities, Capability};
use crate::decode::{Outcome, VendorError};
use crate::http::HttpRequest;
use crate::plan::{Call, PlanError, Step};
use crate::{Action, Credentials, HttpResponse, VendorId};

/// The facts about a vendor that the rest of core reads.
pub struct VendorSpec {
    /// The vendor's documented production base URL, the default for a new connection.
    pub default_base_url: &'static str,
    /// Where the sandbox serves this vendor, below the sandbox's root.
    pub sandbox_path: &'static str,
    /// The JSON Pointer of the target URL in a create or modify draft.
    pub target_pointer: &'static str,
    /// The JSON Pointer of the delivery secret, where the vendor supports one.
    pub secret_pointer: Option<&'static str>,
    /// What the API offers, action by action.
    pub capabilities: Capabilities,
}

impl VendorSpec {
    pub fn capability(&self, action: Action) -> Capability {
        self.capabilities.of(action)
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
    /// A sample payload as the vendor would deliver it, for the event schema to check: what the
    /// sample endpoint returns may be only part of a delivery (Kajabi's is the `payload`).
    fn sample_delivery(&self, _event: &str, sample: serde_json::Value) -> serde_json::Value {
        sample
    }
}

/// A vendor's sample payload for `event` in the shape of a delivery, for its event schema.
pub fn sample_delivery(
    vendor: VendorId,
    event: &str,
    sample: serde_json::Value,
) -> serde_json::Value {
    adapter(vendor).sample_delivery(event, sample)
}

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

/// The body of a JSON request, with the values `schema` marks secret (`x-secret`) marked for
/// masking in every rendering of the request.
pub(crate) fn json_body(
    content_type: &str,
    value: &serde_json::Value,
    schema: Option<&serde_json::Value>,
) -> crate::http::Body {
    crate::http::Body {
        content_type: content_type.to_string(),
        text: serde_json::to_string_pretty(value).unwrap_or_default(),
        secret_pointers: schema
            .map(|s| crate::schema::secret_pointers_in(s, value))
            .unwrap_or_default(),
        secret: false,
    }
}

/// A draft as it is sent: without the fields the schema marks read-only, which the vendor owns
/// (the lint rule `lint:read-only` warns about each one).
pub(crate) fn without_read_only(
    vendor: VendorId,
    operation: crate::Operation,
    draft: &serde_json::Value,
) -> serde_json::Value {
    let mut body = draft.clone();
    if let Some(schema) = crate::schema::schema(vendor, operation) {
        for pointer in crate::schema::read_only_pointers(schema) {
            if body.pointer(&pointer).is_some() {
                crate::draft::set(&mut body, &pointer, None);
            }
        }
    }
    body
}
