//! A connection: one account or tenant at one vendor, with its base URL and credentials.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::VendorId;

/// A credential value. It never prints: `Debug` and `Display` show a mask, so a secret cannot slip
/// into a log or a panic message by formatting.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value, for the one place that needs it: building the request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(••••)")
    }
}

/// How a connection proves who it is, by the vendor's scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub enum Credentials {
    /// Collect: HTTP Basic with an empty user and the API key as password.
    /// Saleshandy: the `x-api-key` header.
    ApiKey { key: Secret },
    /// SuperOffice Online, Kajabi: `Authorization: Bearer <token>`.
    Bearer { token: Secret },
    /// SuperOffice system user: `Authorization: SOTicket <ticket>` and `SO-AppToken`.
    SoTicket { ticket: Secret, app_token: Secret },
    /// SuperOffice onsite: HTTP Basic.
    Basic { user: String, password: Secret },
}

/// One account at one vendor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub vendor: VendorId,
    /// Everything before the vendor's paths, e.g. `https://api.usecollect.com/v1`.
    pub base_url: String,
    pub credentials: Credentials,
}
