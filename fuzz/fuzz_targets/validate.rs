//! Validation of raw text, as the raw JSON editor does on every keystroke, for every vendor and
//! operation: never a panic, and every problem at a JSON Pointer the editor can place.

#![no_main]

use hookpanel_core::{VendorId, schema, validate_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for vendor in VendorId::ALL {
        for operation in schema::operations(vendor) {
            for problem in validate_text(vendor, operation, &text) {
                let p = problem.pointer.as_bytes();
                assert!(
                    p.is_empty() || p[0] == b'/',
                    "bad pointer {:?}",
                    problem.pointer
                );
                for (i, b) in p.iter().enumerate() {
                    assert!(
                        *b != b'~' || matches!(p.get(i + 1), Some(b'0' | b'1')),
                        "bad escape in {:?}",
                        problem.pointer
                    );
                }
            }
        }
    }
});
