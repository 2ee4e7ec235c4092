//! What the admin asks of a vendor, as data: a [`Call`], the [`Step`]s a planned call takes, and
//! why a call could not be planned ([`PlanError`]).

use serde_json::Value;
use std::fmt;

use crate::Action;
use crate::http::HttpRequest;

/// What the admin asks a vendor to do.
#[derive(Clone, Copy, Debug)]
pub enum Call<'a> {
    /// One page of the vendor's list, counted from 1. A vendor whose list does not page answers
    /// everything on page 1; [`crate::listing::ListRead`] reads every page.
    List {
        page: u32,
    },
    Get {
        id: &'a str,
    },
    Create {
        draft: &'a Value,
    },
    Modify {
        id: &'a str,
        draft: &'a Value,
    },
    Pause {
        id: &'a str,
    },
    Resume {
        id: &'a str,
    },
    Delete {
        id: &'a str,
    },
    /// Resume a subscription whose pause was emulated by deleting it (Kajabi): create it again from
    /// the create draft kept when it was paused. Its action is [`Action::Resume`]; it is only
    /// accepted where resume is emulated, since elsewhere [`Call::Resume`] resumes in place.
    Recreate {
        draft: &'a Value,
    },
    /// Asks the vendor to send a test delivery for a webhook definition (SuperOffice pings it).
    Test {
        draft: &'a Value,
    },
    /// The vendor's sample payload for an event (Kajabi).
    Sample {
        event: &'a str,
    },
}

impl Call<'_> {
    pub fn action(&self) -> Action {
        match self {
            Call::List { .. } => Action::List,
            Call::Get { .. } => Action::Get,
            Call::Create { .. } => Action::Create,
            Call::Modify { .. } => Action::Modify,
            Call::Pause { .. } => Action::Pause,
            Call::Resume { .. } | Call::Recreate { .. } => Action::Resume,
            Call::Delete { .. } => Action::Delete,
            Call::Test { .. } => Action::Test,
            Call::Sample { .. } => Action::Sample,
        }
    }

    /// The id the call names, for the calls that name one.
    pub(crate) fn id(&self) -> Option<&str> {
        match self {
            Call::Get { id }
            | Call::Modify { id, .. }
            | Call::Pause { id }
            | Call::Resume { id }
            | Call::Delete { id } => Some(id),
            // An event name goes into the path like an id.
            Call::Sample { event } => Some(event),
            Call::List { .. } | Call::Create { .. } | Call::Recreate { .. } | Call::Test { .. } => {
                None
            }
        }
    }
}

/// Why no request could be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The vendor's API lacks the action; the sentence says so.
    Absent(&'static str),
    /// The action is emulated with other requests: plan it with [`plan_steps`], and confirm it
    /// first. The sentence says how it is done and what is lost.
    Emulated(&'static str),
    /// The connection has no usable base URL.
    BaseUrl(String),
    /// A credential the vendor needs is empty.
    MissingCredential(&'static str),
    /// The connection's credentials are of a scheme this vendor does not take.
    WrongScheme(&'static str),
    /// The draft cannot be made into a body (not an object, say).
    Draft(String),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Absent(sentence) | PlanError::Emulated(sentence) => f.write_str(sentence),
            PlanError::BaseUrl(why) => write!(f, "The connection's base URL is not usable: {why}"),
            PlanError::MissingCredential(what) => {
                write!(f, "Enter the {what} in the connection first.")
            }
            PlanError::WrongScheme(expected) => write!(f, "This vendor signs in with {expected}."),
            PlanError::Draft(why) => f.write_str(why),
        }
    }
}

/// One request of a planned action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The native action this request performs: pass it to [`crate::decode`] with the answer.
    /// For an emulated action it differs from the call's (Kajabi's pause is a [`Action::Delete`]).
    pub action: Action,
    pub request: HttpRequest,
}
