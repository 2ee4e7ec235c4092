//! Saleshandy (seed 002): `x-api-key`; create, list and get. No modify, pause or delete in the API.

use super::{Adapter, VendorSpec};
use crate::decode::{Outcome, VendorError, status_error};
use crate::http::HttpRequest;
use crate::plan::{Call, PlanError};
use crate::{Action, Capability, Credentials, HttpResponse};

pub(crate) struct Saleshandy;

static SPEC: VendorSpec = VendorSpec {
    default_base_url: "https://open-api.saleshandy.com/v1",
    sandbox_path: "/saleshandy/v1",
    target_pointer: "/webhookUrl",
    secret_pointer: None,
    capabilities: [
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Absent("Saleshandy's API cannot change a webhook: edit it in Saleshandy's Integrations settings."),
        Capability::Absent("Saleshandy's API cannot pause a webhook: pause it in Saleshandy's Integrations settings."),
        Capability::Absent("Saleshandy's API cannot resume a webhook: resume it in Saleshandy's Integrations settings."),
        Capability::Absent("Saleshandy's API cannot delete a webhook: delete it in Saleshandy's Integrations settings."),
        Capability::Absent("Saleshandy tests a webhook when it is created; the result comes back with it."),
    ],
};

impl Adapter for Saleshandy {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    fn plan(&self, _base: &str, _credentials: &Credentials, _call: Call<'_>) -> Result<HttpRequest, PlanError> {
        Err(PlanError::Absent("Saleshandy calls are not built yet."))
    }

    fn decode(&self, _action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        Err(status_error(response, &|_| None))
    }
}
