//! The vendor catalogue: which vendors there are, which schema operations each has, and what each
//! vendor's API lets an admin do (natively, emulated, or not at all, with the sentence the UI shows).

use serde::{Deserialize, Serialize};

/// The vendors, one line each: the variant and the id used in files, URLs and the CLI (also its
/// folder under `schemas/`). Everything else about a vendor is its adapter's
/// ([`crate::vendors`]). Adding a vendor: README, "Adding a vendor".
macro_rules! vendors {
    ($($variant:ident => $id:literal),+ $(,)?) => {
        /// A vendor Hookpanel speaks to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum VendorId {
            $(#[serde(rename = $id)] $variant,)+
        }

        impl VendorId {
            pub const ALL: [VendorId; [$($id),+].len()] = [$(VendorId::$variant),+];

            /// The id used in files, URLs and the CLI.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(VendorId::$variant => $id,)+
                }
            }
        }
    };
}

vendors! {
    Collect => "collect",
    Saleshandy => "saleshandy",
    SuperOffice => "superoffice",
    Kajabi => "kajabi",
}

impl VendorId {
    /// The name people know the vendor by.
    pub fn display_name(self) -> &'static str {
        crate::vendors::spec(self).name
    }

    pub fn parse(s: &str) -> Option<VendorId> {
        VendorId::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A shape of document that has a schema: a request body, or a delivered event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Create,
    Modify,
    Event,
}

impl Operation {
    pub const ALL: [Operation; 3] = [Operation::Create, Operation::Modify, Operation::Event];

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Modify => "modify",
            Operation::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// One value for each vendor and operation, found by position rather than searched: the
/// keystroke path asks for the schema's entry, its roles and its read-only fields every time.
pub(crate) struct PerOperation<T>(Vec<T>);

impl<T> PerOperation<T> {
    /// `value` of every vendor and operation.
    pub(crate) fn new(mut value: impl FnMut(VendorId, Operation) -> T) -> PerOperation<T> {
        PerOperation(
            VendorId::ALL
                .into_iter()
                .flat_map(|vendor| Operation::ALL.map(|operation| (vendor, operation)))
                .map(|(vendor, operation)| value(vendor, operation))
                .collect(),
        )
    }

    pub(crate) fn get(&self, vendor: VendorId, operation: Operation) -> &T {
        // Every (vendor, operation) has its place: `new` made one for each.
        &self.0[vendor as usize * Operation::ALL.len() + operation as usize]
    }
}

/// Something an admin can ask of a vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    List,
    Get,
    Create,
    Modify,
    Pause,
    Resume,
    Delete,
    Test,
    /// Read the vendor's sample payload for an event (Kajabi's `GET /hooks/{event}_sample`).
    Sample,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::List,
        Action::Get,
        Action::Create,
        Action::Modify,
        Action::Pause,
        Action::Resume,
        Action::Delete,
        Action::Test,
        Action::Sample,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::List => "list",
            Action::Get => "get",
            Action::Create => "create",
            Action::Modify => "modify",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Delete => "delete",
            Action::Test => "test",
            Action::Sample => "sample",
        }
    }
}

/// Whether a vendor's API offers an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "note", rename_all = "lowercase")]
pub enum Capability {
    /// The API has it.
    Native,
    /// Hookpanel does it with other calls; the note says how and what is lost.
    Emulated(&'static str),
    /// The API lacks it; the note is the one sentence the UI shows.
    Absent(&'static str),
}

impl Capability {
    pub fn is_available(self) -> bool {
        !matches!(self, Capability::Absent(_))
    }

    /// The sentence that goes with an emulated or absent action; empty for a native one.
    pub fn note(self) -> &'static str {
        match self {
            Capability::Native => "",
            Capability::Emulated(note) | Capability::Absent(note) => note,
        }
    }
}

/// What a vendor's API offers, action by action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    pub list: Capability,
    pub get: Capability,
    pub create: Capability,
    pub modify: Capability,
    pub pause: Capability,
    pub resume: Capability,
    pub delete: Capability,
    /// A test delivery of a webhook definition.
    pub test: Capability,
    /// Sample payloads of the vendor's events.
    pub sample: Capability,
}

impl Capabilities {
    /// The capability for one action.
    pub fn of(&self, action: Action) -> Capability {
        match action {
            Action::List => self.list,
            Action::Get => self.get,
            Action::Create => self.create,
            Action::Modify => self.modify,
            Action::Pause => self.pause,
            Action::Resume => self.resume,
            Action::Delete => self.delete,
            Action::Test => self.test,
            Action::Sample => self.sample,
        }
    }
}
