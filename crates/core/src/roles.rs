//! Where each vendor's schemas put the fields Hookpanel reads by their role, not their name
//! (`"x-role"` in the schema: `target`, `events`, `secret`, `state`), found once: the lint rules
//! look them up on every keystroke.

use std::sync::OnceLock;

use crate::{Operation, VendorId};

/// The roles a schema may give a field.
const ROLES: [&str; 4] = ["target", "events", "secret", "state"];

type Found = Vec<((VendorId, Operation, &'static str), String)>;

/// The pointer of the field with `role` in a vendor's schema for an operation, if it has one.
pub fn role_of(vendor: VendorId, operation: Operation, role: &str) -> Option<&'static str> {
    static FOUND: OnceLock<Found> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let mut found = Vec::new();
            for vendor in VendorId::ALL {
                for operation in crate::schema::operations(vendor) {
                    let Some(schema) = crate::schema::schema(vendor, operation) else {
                        continue;
                    };
                    for role in ROLES {
                        if let Some(pointer) = crate::schema::role_pointer(schema, role) {
                            found.push(((vendor, operation, role), pointer));
                        }
                    }
                }
            }
            found
        })
        .iter()
        .find(|(key, _)| *key == (vendor, operation, role))
        .map(|(_, pointer)| pointer.as_str())
}
