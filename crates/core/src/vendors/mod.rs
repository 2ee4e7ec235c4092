//! One adapter per vendor, behind one trait: its capabilities, its request plans, its answers.
//! Vendor quirks stay in the vendor's file.

mod collect;
mod kajabi;
mod saleshandy;
mod superoffice;

use crate::decode::{Outcome, VendorError};
use crate::http::HttpRequest;
use crate::plan::{Call, PlanError};
use crate::{Action, Capability, Credentials, HttpResponse, VendorId};

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
    /// What the API offers, by action, in [`Action::ALL`] order.
    pub capabilities: [Capability; 8],
}

impl VendorSpec {
    pub fn capability(&self, action: Action) -> Capability {
        let index = Action::ALL.iter().position(|a| *a == action).unwrap_or(0);
        self.capabilities[index]
    }
}

pub(crate) trait Adapter: Sync {
    fn spec(&self) -> &'static VendorSpec;
    fn plan(&self, base: &str, credentials: &Credentials, call: Call<'_>) -> Result<HttpRequest, PlanError>;
    fn decode(&self, action: Action, response: &HttpResponse) -> Result<Outcome, VendorError>;
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

/// The body of a JSON request, with the draft's secret fields marked for masking.
pub(crate) fn json_body(
    content_type: &str,
    value: &serde_json::Value,
    secret_pointers: Vec<String>,
) -> crate::http::Body {
    crate::http::Body {
        content_type: content_type.to_string(),
        text: serde_json::to_string_pretty(value).unwrap_or_default(),
        secret_pointers,
    }
}
