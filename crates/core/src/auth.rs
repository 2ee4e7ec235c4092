//! How a connection signs in, as data: each vendor's schemes and their fields, for the connection
//! form to draw, and the credentials made from what the admin typed.

use std::collections::BTreeMap;

use crate::VendorId;
use crate::connection::{Credentials, Secret};
use crate::plan::PlanError;

/// One field of a sign-in scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthField {
    /// The key the value is kept under.
    pub name: &'static str,
    pub label: &'static str,
    /// Masked when shown, and never kept on the device unless the admin asks.
    pub secret: bool,
    pub help: &'static str,
}

/// One way to sign in at a vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthScheme {
    pub id: &'static str,
    pub label: &'static str,
    pub fields: &'static [AuthField],
    /// What the admin should know before choosing it; empty when nothing.
    pub note: &'static str,
}

const API_KEY: AuthField = AuthField {
    name: "key",
    label: "API key",
    secret: true,
    help: "",
};
const TOKEN: AuthField = AuthField {
    name: "token",
    label: "Access token",
    secret: true,
    help: "",
};

static COLLECT: [AuthScheme; 1] = [AuthScheme {
    id: "api_key",
    label: "API key",
    fields: &[AuthField {
        help: "Settings → API in Collect. Sent as the password of HTTP Basic, with an empty user.",
        ..API_KEY
    }],
    note: "",
}];

static SALESHANDY: [AuthScheme; 1] = [AuthScheme {
    id: "api_key",
    label: "API key",
    fields: &[AuthField {
        help: "Settings → API key in Saleshandy. Sent in the x-api-key header.",
        ..API_KEY
    }],
    note: "",
}];

static SUPEROFFICE: [AuthScheme; 3] = [
    AuthScheme {
        id: "bearer",
        label: "Access token (Online)",
        fields: &[AuthField {
            help: "An OAuth access token for the tenant. Sent as Authorization: Bearer.",
            ..TOKEN
        }],
        note: "",
    },
    AuthScheme {
        id: "so_ticket",
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
];

static KAJABI: [AuthScheme; 2] = [
    AuthScheme {
        id: "bearer",
        label: "Access token",
        fields: &[AuthField {
            help: "A token from POST /v1/oauth/token. Sent as Authorization: Bearer.",
            ..TOKEN
        }],
        note: "",
    },
    AuthScheme {
        id: "client_credentials",
        label: "Client id and secret",
        fields: &[
            AuthField {
                name: "client_id",
                label: "Client id",
                secret: false,
                help: "",
            },
            AuthField {
                name: "client_secret",
                label: "Client secret",
                secret: true,
                help: "",
            },
        ],
        note: "Hookpanel asks Kajabi for a token with these before the first call. The client secret is long-lived: in a browser it is exposed to this page, so prefer a short-lived token where you can.",
    },
];

/// Every way to sign in at a vendor; the first is the default.
pub fn schemes(vendor: VendorId) -> &'static [AuthScheme] {
    match vendor {
        VendorId::Collect => &COLLECT,
        VendorId::Saleshandy => &SALESHANDY,
        VendorId::SuperOffice => &SUPEROFFICE,
        VendorId::Kajabi => &KAJABI,
    }
}

/// A scheme by id, or the vendor's default.
pub fn scheme(vendor: VendorId, id: &str) -> &'static AuthScheme {
    let all = schemes(vendor);
    all.iter().find(|s| s.id == id).unwrap_or(&all[0])
}

/// How a connection signs in, once its fields are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// The credentials go with every call.
    Ready(Credentials),
    /// A token must be asked for first (Kajabi's client credentials).
    TokenFirst {
        client_id: String,
        client_secret: Secret,
    },
}

/// The credentials made from a scheme's fields. A missing value is named, as [`PlanError`] names it
/// when planning, so the connection form and the call say the same thing.
pub fn sign_in(
    vendor: VendorId,
    scheme_id: &str,
    values: &BTreeMap<String, String>,
) -> Result<SignIn, PlanError> {
    let scheme = scheme(vendor, scheme_id);
    for field in scheme.fields {
        if values.get(field.name).is_none_or(|v| v.trim().is_empty()) {
            return Err(PlanError::MissingCredential(field.label));
        }
    }
    let text = |name: &str| values.get(name).cloned().unwrap_or_default();
    let secret = |name: &str| Secret::new(text(name).trim());
    Ok(match scheme.id {
        "api_key" => SignIn::Ready(Credentials::ApiKey { key: secret("key") }),
        "so_ticket" => SignIn::Ready(Credentials::SoTicket {
            ticket: secret("ticket"),
            app_token: secret("app_token"),
        }),
        "basic" => SignIn::Ready(Credentials::Basic {
            user: text("user"),
            password: Secret::new(text("password")),
        }),
        "client_credentials" => SignIn::TokenFirst {
            client_id: text("client_id").trim().to_string(),
            client_secret: secret("client_secret"),
        },
        _ => SignIn::Ready(Credentials::Bearer {
            token: secret("token"),
        }),
    })
}

/// A token asked for with client credentials (Kajabi's `POST /oauth/token`), and when to ask for
/// a new one: before it expires, not after a call has failed on it.
#[derive(Clone, Debug, PartialEq)]
pub struct IssuedToken {
    pub credentials: Credentials,
    /// When to ask for a new one, in the caller's clock (ms); `None` when the vendor gave no
    /// lifetime, and the token is used until the vendor refuses it.
    pub renew_at_ms: Option<f64>,
}

impl IssuedToken {
    /// A token just issued at `now_ms`, valid `expires_in` seconds as the vendor said. It is
    /// renewed a minute before it expires, or a tenth of its life before for a short-lived one.
    pub fn new(credentials: Credentials, expires_in: Option<u64>, now_ms: f64) -> Self {
        let renew_at_ms = expires_in.map(|seconds| {
            let life = seconds as f64 * 1000.0;
            now_ms + life - (life / 10.0).min(60_000.0)
        });
        IssuedToken {
            credentials,
            renew_at_ms,
        }
    }

    /// Whether the token may still be used at `now_ms`.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        self.renew_at_ms.is_none_or(|at| now_ms < at)
    }
}

/// The scheme and values the built-in sandbox accepts for a vendor: public demo credentials.
pub fn sandbox_sign_in(vendor: VendorId) -> (&'static str, BTreeMap<String, String>) {
    let (scheme, pairs): (&str, &[(&str, &str)]) = match vendor {
        VendorId::Collect => ("api_key", &[("key", "sandbox-collect-key")]),
        VendorId::Saleshandy => ("api_key", &[("key", "sandbox-saleshandy-key")]),
        VendorId::SuperOffice => ("bearer", &[("token", "sandbox-superoffice-token")]),
        VendorId::Kajabi => ("bearer", &[("token", "sandbox-kajabi-token")]),
    };
    (
        scheme,
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_field_is_needed_and_named_when_missing() {
        for vendor in VendorId::ALL {
            for s in schemes(vendor) {
                let err = sign_in(vendor, s.id, &BTreeMap::new()).unwrap_err();
                assert_eq!(err, PlanError::MissingCredential(s.fields[0].label));
            }
        }
    }

    #[test]
    fn the_sandbox_values_make_credentials_for_every_vendor() {
        for vendor in VendorId::ALL {
            let (id, values) = sandbox_sign_in(vendor);
            assert!(sign_in(vendor, id, &values).is_ok(), "{vendor:?}");
        }
    }

    #[test]
    fn an_issued_token_is_renewed_before_it_expires() {
        let credentials = Credentials::Bearer {
            token: Secret::new("t"),
        };
        let hour = IssuedToken::new(credentials.clone(), Some(3600), 1_000.0);
        assert!(hour.is_fresh(1_000.0 + 3_539_000.0));
        assert!(!hour.is_fresh(1_000.0 + 3_540_000.0), "a minute early");
        let short = IssuedToken::new(credentials.clone(), Some(2), 0.0);
        assert!(short.is_fresh(1_700.0));
        assert!(!short.is_fresh(1_800.0), "a tenth of its life early");
        assert!(IssuedToken::new(credentials, None, 0.0).is_fresh(f64::MAX));
    }

    #[test]
    fn kajabi_client_credentials_ask_for_a_token_first() {
        let values = BTreeMap::from([
            ("client_id".to_string(), " abc ".to_string()),
            ("client_secret".to_string(), "s3cret".to_string()),
        ]);
        assert!(matches!(
            sign_in(VendorId::Kajabi, "client_credentials", &values),
            Ok(SignIn::TokenFirst { client_id, .. }) if client_id == "abc"
        ));
    }
}
