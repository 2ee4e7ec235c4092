//! Reading vendor answers: each vendor's adapter reads its own (see [`crate::vendors`]); this
//! module only says which one.

use crate::answer::{Outcome, VendorError};
use crate::auth::Token;
use crate::vendors::with_adapter;
use crate::{Action, HttpResponse, VendorId};

/// Reads a vendor's answer to `action`.
pub fn decode(
    vendor: VendorId,
    action: Action,
    response: &HttpResponse,
) -> Result<Outcome, VendorError> {
    with_adapter!(vendor, |a| a.decode(action, response))
}

/// Reads the answer to a vendor's token request ([`crate::plan::token_request`]).
pub fn decode_token(vendor: VendorId, response: &HttpResponse) -> Result<Token, VendorError> {
    with_adapter!(vendor, |a| a.decode_token(response))
}
