//! jsonschema, the reference implementation of JSON Schema, as the oracle for Hookpanel's own
//! validator (`src/keywords.rs`): both must find the same failures, as (pointer, keyword) pairs,
//! in any draft. Used by the fixture table (every fixture) and the property tests (arbitrary and
//! mutated drafts).

use std::collections::HashMap;
use std::sync::OnceLock;

use hookpanel_core::problem::child_pointer;
use hookpanel_core::{Operation, VendorId, schema};
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// What jsonschema finds wrong with a draft, sorted.
pub fn failures_by_reference(
    vendor: VendorId,
    op: Operation,
    draft: &Value,
) -> Vec<(String, String)> {
    static VALIDATORS: OnceLock<HashMap<(VendorId, Operation), jsonschema::Validator>> =
        OnceLock::new();
    let validators = VALIDATORS.get_or_init(|| {
        let mut map = HashMap::new();
        for vendor in VendorId::ALL {
            for op in schema::operations(vendor) {
                let Some(source) = schema::schema(vendor, op) else {
                    continue;
                };
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(source)
                    .expect("every schema is valid JSON Schema");
                map.insert((vendor, op), validator);
            }
        }
        map
    });
    let mut out = Vec::new();
    let Some(validator) = validators.get(&(vendor, op)) else {
        return out;
    };
    for error in validator.iter_errors(draft) {
        let at = error.instance_path().as_str().to_string();
        match error.kind() {
            ValidationErrorKind::Required { property } => out.push((
                child_pointer(&at, property.as_str().unwrap_or_default()),
                "required".to_string(),
            )),
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    out.push((child_pointer(&at, name), "additionalProperties".to_string()));
                }
            }
            kind => out.push((at, kind.keyword().to_string())),
        }
    }
    out.sort();
    out
}

/// What Hookpanel's schema check finds wrong with a draft, sorted.
pub fn failures_by_hookpanel(
    vendor: VendorId,
    op: Operation,
    draft: &Value,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = schema::check(vendor, op, draft)
        .into_iter()
        .map(|p| (p.pointer, p.keyword))
        .collect();
    out.sort();
    out
}
