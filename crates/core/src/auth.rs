//! How a connection signs in, as data: a sign-in scheme and its fields (each vendor's adapter lists
//! its own, [`crate::vendors::VendorSpec::schemes`]), the credentials made from what the admin
//! typed, and a token asked for with a client id and secret, with when to ask again.

use std::collections::BTreeMap;

use crate::call::PlanError;
use crate::connection::{Credentials, Secret};

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

/// What a scheme's fields make: which [`Credentials`], or a token to ask for first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// Field `key`.
    ApiKey,
    /// Field `token`.
    Bearer,
    /// Fields `ticket` and `app_token`.
    SoTicket,
    /// Fields `user` and `password`.
    Basic,
    /// Fields `client_id` and `client_secret`, exchanged for a token before the first call.
    ClientCredentials,
}

/// One way to sign in at a vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthScheme {
    pub id: &'static str,
    pub kind: SchemeKind,
    pub label: &'static str,
    pub fields: &'static [AuthField],
    /// What the admin should know before choosing it; empty when nothing.
    pub note: &'static str,
}

/// The field of an API key, for an adapter's schemes to fill the help of.
pub const API_KEY: AuthField = AuthField {
    name: "key",
    label: "API key",
    secret: true,
    help: "",
};

/// The field of an access token, for an adapter's schemes to fill the help of.
pub const TOKEN: AuthField = AuthField {
    name: "token",
    label: "Access token",
    secret: true,
    help: "",
};

/// How a connection signs in, once its fields are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// The credentials go with every call.
    Ready(Credentials),
    /// A token must be asked for first ([`crate::plan::token_request`]).
    TokenFirst {
        client_id: String,
        client_secret: Secret,
    },
}

/// The credentials made from a scheme's fields. A missing value is named, as [`PlanError`] names it
/// when planning, so the connection form and the call say the same thing.
pub fn sign_in(
    scheme: &AuthScheme,
    values: &BTreeMap<String, String>,
) -> Result<SignIn, PlanError> {
    for field in scheme.fields {
        if values.get(field.name).is_none_or(|v| v.trim().is_empty()) {
            return Err(PlanError::MissingCredential(field.label));
        }
    }
    let text = |name: &str| values.get(name).cloned().unwrap_or_default();
    let secret = |name: &str| Secret::new(text(name).trim());
    Ok(match scheme.kind {
        SchemeKind::ApiKey => SignIn::Ready(Credentials::ApiKey { key: secret("key") }),
        SchemeKind::Bearer => SignIn::Ready(Credentials::Bearer {
            token: secret("token"),
        }),
        SchemeKind::SoTicket => SignIn::Ready(Credentials::SoTicket {
            ticket: secret("ticket"),
            app_token: secret("app_token"),
        }),
        SchemeKind::Basic => SignIn::Ready(Credentials::Basic {
            user: text("user"),
            password: Secret::new(text("password")),
        }),
        SchemeKind::ClientCredentials => SignIn::TokenFirst {
            client_id: text("client_id").trim().to_string(),
            client_secret: secret("client_secret"),
        },
    })
}

/// A token a vendor issued for a client id and secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub access_token: Secret,
    /// `Bearer`, as the vendor says.
    pub token_type: String,
    /// Seconds the token is valid for, when the vendor says.
    pub expires_in: Option<u64>,
    pub refresh_token: Option<Secret>,
}

impl Token {
    /// The credentials a connection signs in with.
    pub fn credentials(&self) -> Credentials {
        Credentials::Bearer {
            token: self.access_token.clone(),
        }
    }
}

/// A token asked for with client credentials, and when to ask for a new one: before it expires,
/// not after a call has failed on it.
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

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_KIND: [SchemeKind; 5] = [
        SchemeKind::ApiKey,
        SchemeKind::Bearer,
        SchemeKind::SoTicket,
        SchemeKind::Basic,
        SchemeKind::ClientCredentials,
    ];

    fn scheme(kind: SchemeKind, fields: &'static [AuthField]) -> AuthScheme {
        AuthScheme {
            id: "s",
            kind,
            label: "S",
            fields,
            note: "",
        }
    }

    #[test]
    fn a_missing_field_is_named_and_every_kind_makes_its_credentials() {
        const FIELDS: &[AuthField] = &[API_KEY, TOKEN];
        for kind in EVERY_KIND {
            let err = sign_in(&scheme(kind, FIELDS), &BTreeMap::new()).unwrap_err();
            assert_eq!(err, PlanError::MissingCredential("API key"));
        }
        let values = BTreeMap::from([
            ("client_id".to_string(), " abc ".to_string()),
            ("client_secret".to_string(), "s3cret".to_string()),
        ]);
        assert!(matches!(
            sign_in(&scheme(SchemeKind::ClientCredentials, &[]), &values),
            Ok(SignIn::TokenFirst { client_id, .. }) if client_id == "abc"
        ));
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
}
