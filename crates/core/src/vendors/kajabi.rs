//! Kajabi (seed 004): Bearer from the client-credentials token request; JSON:API bodies. No modify
//! or pause: both are emulated by delete and re-create.

use super::{Adapter, VendorSpec};
use crate::decode::{Outcome, VendorError, status_error};
use crate::http::HttpRequest;
use crate::plan::{Call, PlanError};
use crate::{Action, Capability, Credentials, HttpResponse};

pub(crate) struct Kajabi;

static SPEC: VendorSpec = VendorSpec {
    default_base_url: "https://api.kajabi.com/v1",
    sandbox_path: "/kajabi/v1",
    target_pointer: "/data/attributes/target_url",
    secret_pointer: None,
    capabilities: [
        Capability::Native,
        Capability::Native,
        Capability::Native,
        Capability::Emulated("Kajabi cannot change a hook: Hookpanel deletes it and creates a new one, which gets a new id."),
        Capability::Emulated("Kajabi cannot pause a hook: Hookpanel deletes it and keeps its settings here; events until you resume are lost."),
        Capability::Emulated("Kajabi cannot resume a hook: Hookpanel creates it again from the kept settings, with a new id."),
        Capability::Native,
        Capability::Absent("Kajabi has no test delivery; look at its sample payloads instead."),
    ],
};

impl Adapter for Kajabi {
    fn spec(&self) -> &'static VendorSpec {
        &SPEC
    }

    fn plan(&self, _base: &str, _credentials: &Credentials, _call: Call<'_>) -> Result<HttpRequest, PlanError> {
        Err(PlanError::Absent("Kajabi calls are not built yet."))
    }

    fn decode(&self, _action: Action, response: &HttpResponse) -> Result<Outcome, VendorError> {
        Err(status_error(response, &|_| None))
    }
}
