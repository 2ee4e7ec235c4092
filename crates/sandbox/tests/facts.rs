//! The facts the sandbox holds of its own (it is written from the vendors' docs, not from core)
//! agree with core's: the demo credentials the app's built-in connections sign in with, and the
//! events each vendor's schema allows. A change to one without the other fails here.

use hookpanel_core::vendors::spec;
use hookpanel_core::{Operation, VendorId, roles::role_of, schema, validate};
use serde_json::{Value, json};

#[test]
fn the_sandbox_takes_the_demo_credentials_core_signs_in_with() {
    let expected = |vendor: VendorId| -> &'static str {
        let (_, values) = spec(vendor).sandbox_sign_in;
        values.first().map(|(_, v)| *v).unwrap_or_default()
    };
    for vendor in VendorId::ALL {
        let served = hookpanel_sandbox::served(vendor.as_str())
            .unwrap_or_else(|| panic!("the sandbox does not serve {vendor:?}"));
        assert_eq!(expected(vendor), served.credential, "{vendor:?}");
        assert_eq!(spec(vendor).sandbox_path, served.base, "{vendor:?}");
    }
}

/// The events a vendor's create schema allows, from its `x-role: events` field: the `enum` of its
/// items (or of itself, for a vendor that takes one event).
fn schema_events(vendor: VendorId) -> Option<Vec<String>> {
    let schema = schema::schema(vendor, Operation::Create)?;
    let node = schema::subschema_at(schema, role_of(vendor, Operation::Create, "events")?)?;
    let options = node
        .get("items")
        .and_then(|i| i.get("enum"))
        .or_else(|| node.get("enum"))?;
    Some(
        options
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn the_sandbox_accepts_the_events_the_schemas_allow() {
    for vendor in VendorId::ALL {
        let sandbox = hookpanel_sandbox::events(vendor.as_str())
            .unwrap_or_else(|| panic!("the sandbox lists no events for {vendor:?}"));
        match schema_events(vendor) {
            // A schema with a list: the very same list.
            Some(listed) => {
                let mut listed = listed;
                let mut served: Vec<String> = sandbox.iter().map(|e| e.to_string()).collect();
                listed.sort();
                served.sort();
                assert_eq!(served, listed, "{vendor:?}");
            }
            // A schema that checks the form of a name (SuperOffice): every name the sandbox
            // knows has it.
            None => {
                let pointer = role_of(vendor, Operation::Create, "events").expect("events");
                for event in sandbox {
                    let mut draft = json!({});
                    hookpanel_core::draft::set(&mut draft, pointer, Some(json!([event])));
                    let at = format!("{pointer}/0");
                    let refused: Vec<_> = validate(vendor, Operation::Create, &draft)
                        .into_iter()
                        .filter(|p| p.pointer == at && p.is_error())
                        .collect();
                    assert!(refused.is_empty(), "{vendor:?} {event}: {refused:?}");
                }
            }
        }
    }
}
