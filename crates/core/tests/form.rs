//! The form a schema draws (`hookpanel_core::form`), for every vendor: a new draft starts with what
//! the schema allows only one way, and with required defaults.

use hookpanel_core::form::skeleton;
use hookpanel_core::{Operation, VendorId};
use serde_json::json;

#[test]
fn a_new_draft_has_the_fixed_values_and_the_required_maps() {
    assert_eq!(
        skeleton(VendorId::Kajabi, Operation::Create),
        json!({"data": {"type": "hooks", "relationships": {"site": {"data": {"type": "sites"}}}}})
    );
    assert_eq!(
        skeleton(VendorId::Saleshandy, Operation::Create),
        json!({"headers": {}})
    );
    assert_eq!(skeleton(VendorId::Collect, Operation::Create), json!({}));
    assert_eq!(
        skeleton(VendorId::SuperOffice, Operation::Create),
        json!({"WebhookId": 0, "Type": "webhook"}),
        "a required field's default (State is not required: it stays out), and the const id"
    );
}
