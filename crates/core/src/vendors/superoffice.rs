//! SuperOffice (seed 003): Bearer, SOTicket + SO-AppToken, or Basic, on a per-tenant base URL.

use super::{Adapter, VendorSpec};
use crate::decode::{Outcome, VendorError, status_error};
use crate::http::HttpRequest;
use crate::plan::{Call, PlanError};
use crate::{Action, Capability, Credentials, HttpResponse};

pub(crate) struct SuperOffice;

static SPEC: VendorSpec = VendorSpec {
    default_base_url: "https://sod.superoffice.com/Cust12345/api/v1",
    sandbox_path: "/superoffice/Cust12345/api/v1",
    target_pointer: "/TargetUrl",
    secret_pointer: Some("/Secret"),
    capabilities: [
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Native,
    ],
};

impl Adapter for SuperOffice {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    fn plan(&self, _base: &str, _credentials: &Credentials, _call: Call<'_>) -> Result<HttpRequest, PlanError> {
        Err(PlanError::Absent("SuperOffice calls are not built yet."))
    }

    fn decode(&self, _action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        Err(status_error(response, &|_| None))
    }
}
