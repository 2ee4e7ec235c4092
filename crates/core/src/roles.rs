//! Where each vendor's schemas put the fields Hookpanel reads by their role, not their name
//! (`"x-role"` in the schema: `target`, `events`, `secret`, `state`), found once: the lint rules
//! look them up on every keystroke.

use std::sync::OnceLock;

use crate::catalogue::PerOperation;
use crate::{Operation, VendorId};

/// A role a schema may give a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Target,
    Events,
    Secret,
    State,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Target, Role::Events, Role::Secret, Role::State];

    /// The role's name, as `"x-role"` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Target => "target",
            Role::Events => "events",
            Role::Secret => "secret",
            Role::State => "state",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }
}

/// The pointer of the field with `role` (its name) in a vendor's schema for an operation, if it
/// has one.
pub fn role_of(vendor: VendorId, operation: Operation, role: &str) -> Option<&'static str> {
    pointer(vendor, operation, Role::parse(role)?)
}

/// The pointer of the field with `role` in a vendor's schema for an operation, if it has one.
/// Looked up by position, not searched: the lint rules ask twice a keystroke, and a search
/// comparing names was up to a tenth of a form keystroke (Kajabi's, the last vendor searched).
pub fn pointer(vendor: VendorId, operation: Operation, role: Role) -> Option<&'static str> {
    /// For each vendor's operation, the pointer of every role in `Role::ALL` order.
    static FOUND: OnceLock<PerOperation<[Option<String>; 4]>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            PerOperation::new(|vendor, operation| {
                let schema = crate::schema::schema(vendor, operation);
                Role::ALL.map(|role| {
                    schema.and_then(|schema| crate::schema::role_pointer(schema, role.as_str()))
                })
            })
        })
        .get(vendor, operation)[role as usize]
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_is_found_where_the_schema_puts_it() {
        for vendor in VendorId::ALL {
            for operation in Operation::ALL {
                for role in Role::ALL {
                    let by_search = crate::schema::schema(vendor, operation)
                        .and_then(|schema| crate::schema::role_pointer(schema, role.as_str()));
                    assert_eq!(
                        pointer(vendor, operation, role),
                        by_search.as_deref(),
                        "{vendor:?} {operation:?} {role:?}"
                    );
                    assert_eq!(
                        role_of(vendor, operation, role.as_str()),
                        by_search.as_deref()
                    );
                }
            }
        }
        assert_eq!(role_of(VendorId::ALL[0], Operation::Create, "owner"), None);
    }
}
