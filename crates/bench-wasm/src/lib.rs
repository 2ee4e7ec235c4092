//! Core's validation as the app calls it, exposed to JavaScript for the browser bench of
//! `cargo xtask bench` (see `bench/page/bench.js`). Built for wasm32 in release with the app's
//! profile and bound with the `wasm-bindgen` CLI (`--target web`); never shipped.
//!
//! Vendors are named as in the schema folders (`collect`, `saleshandy`, `superoffice`, `kajabi`);
//! every function works on the vendor's create schema, and an unknown vendor is a JavaScript error.

use hookpanel_core::{Operation, VendorId, schema};
use wasm_bindgen::prelude::*;

fn vendor(name: &str) -> Result<VendorId, JsError> {
    VendorId::parse(name).ok_or_else(|| JsError::new(&format!("no vendor named {name:?}")))
}

/// The vendor's number, for the calls timed per keystroke: the app holds its vendor in Rust, so
/// its keystroke passes one string into wasm, the text, and so do they.
#[wasm_bindgen]
pub fn vendor_number(vendor_name: &str) -> Result<u32, JsError> {
    let vendor = vendor(vendor_name)?;
    Ok(VendorId::ALL
        .iter()
        .position(|v| *v == vendor)
        .unwrap_or_default() as u32)
}

fn numbered(number: u32) -> Result<VendorId, JsError> {
    VendorId::ALL
        .get(number as usize)
        .copied()
        .ok_or_else(|| JsError::new(&format!("no vendor numbered {number}")))
}

/// Reads the embedded schema files (what the first use of any schema costs, once per page).
#[wasm_bindgen]
pub fn init() {
    let _ = schema::operations(VendorId::Collect);
}

/// Makes the vendor's create schema ready (its file parsed, its DFA searches loaded), as the app
/// does before the admin types. The validator itself is compiled code: nothing is built.
#[wasm_bindgen]
pub fn warm_up(vendor_name: &str) -> Result<(), JsError> {
    schema::warm_up_one(vendor(vendor_name)?, Operation::Create);
    Ok(())
}

/// The app's keystroke path: the draft's text to its problems (parse, schema, lint). Returns how
/// many problems there are, errors and warnings.
#[wasm_bindgen]
pub fn validate_text(vendor: u32, text: &str) -> Result<u32, JsError> {
    let problems = hookpanel_core::validate_text(numbered(vendor)?, Operation::Create, text);
    Ok(u32::try_from(problems.len()).unwrap_or(u32::MAX))
}

/// [`validate_text`] with the draft built fresh, as for a text unlike the last draft (in the app,
/// a different draft pasted whole; its keystrokes parse into the last draft).
#[wasm_bindgen]
pub fn validate_text_fresh(vendor: u32, text: &str) -> Result<u32, JsError> {
    let mut draft = serde_json::Value::Null;
    let problems =
        hookpanel_core::validate_text_into(numbered(vendor)?, Operation::Create, text, &mut draft);
    Ok(u32::try_from(problems.len()).unwrap_or(u32::MAX))
}

/// How many of the draft's problems are errors (to check a payload is the kind it claims).
#[wasm_bindgen]
pub fn error_count(vendor_name: &str, text: &str) -> Result<u32, JsError> {
    let problems = hookpanel_core::validate_text(vendor(vendor_name)?, Operation::Create, text);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    Ok(u32::try_from(errors).unwrap_or(u32::MAX))
}

thread_local! {
    static PREPARED: std::cell::RefCell<serde_json::Value> =
        const { std::cell::RefCell::new(serde_json::Value::Null) };
    /// What [`parse_only`] and [`keystroke`] parse into, as the app's raw view parses each text
    /// into its last draft.
    static LAST: std::cell::RefCell<serde_json::Value> =
        const { std::cell::RefCell::new(serde_json::Value::Null) };
}

fn top_level_fields(draft: &serde_json::Value) -> u32 {
    draft
        .as_object()
        .map_or(0, |o| u32::try_from(o.len()).unwrap_or(u32::MAX))
}

/// Parses the draft's text into the last one parsed here: the parse share of [`validate_text`].
/// Returns the number of top-level fields.
#[wasm_bindgen]
pub fn parse_only(text: &str) -> Result<u32, JsError> {
    LAST.with_borrow_mut(|draft| {
        hookpanel_core::draft::parse_into(text, draft).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(top_level_fields(draft))
    })
}

/// Parses the draft's text into a new value and drops it: the parse share of
/// [`validate_text_fresh`].
#[wasm_bindgen]
pub fn parse_fresh(text: &str) -> Result<u32, JsError> {
    let draft = hookpanel_core::draft::parse(text).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(top_level_fields(&draft))
}

/// Parses the draft's text and keeps it for [`validate_prepared`].
#[wasm_bindgen]
pub fn prepare(text: &str) -> Result<(), JsError> {
    let draft = serde_json::from_str(text).map_err(|e| JsError::new(&e.to_string()))?;
    PREPARED.with(|p| *p.borrow_mut() = draft);
    Ok(())
}

/// Schema and lint on the prepared draft: the share of [`validate_text`] after parsing.
#[wasm_bindgen]
pub fn validate_prepared(vendor: u32) -> Result<u32, JsError> {
    let vendor = numbered(vendor)?;
    let problems =
        PREPARED.with(|p| hookpanel_core::validate(vendor, Operation::Create, &p.borrow()));
    Ok(u32::try_from(problems.len()).unwrap_or(u32::MAX))
}

/// A form keystroke, `n` times: schema and lint on the prepared draft, inside wasm, as the app's
/// form calls it (Rust to Rust, the draft parsed already). Returns the problems counted over all
/// runs, so no run can be left out.
#[wasm_bindgen]
pub fn form_keystrokes(vendor_name: &str, n: u32) -> Result<u32, JsError> {
    let vendor = vendor(vendor_name)?;
    PREPARED.with(|p| {
        let draft = p.borrow();
        let mut total = 0u32;
        for _ in 0..n {
            let problems = hookpanel_core::validate(vendor, Operation::Create, &draft);
            total = total.wrapping_add(u32::try_from(problems.len()).unwrap_or(u32::MAX));
        }
        Ok(total)
    })
}

/// A keystroke in the raw view on a large draft, as the page makes it: the text parsed once, into
/// the last draft, its problems, then the lines of the problems the view lists (the first 100,
/// placed in one walk of the parsed draft). Returns how many problems there are.
#[wasm_bindgen]
pub fn keystroke(vendor_name: &str, text: &str) -> Result<u32, JsError> {
    let vendor = vendor(vendor_name)?;
    if text.len() > hookpanel_core::MAX_DRAFT_BYTES {
        return Ok(1);
    }
    LAST.with_borrow_mut(|draft| {
        hookpanel_core::draft::parse_into(text, draft).map_err(|e| JsError::new(&e.to_string()))?;
        let problems = hookpanel_core::validate(vendor, Operation::Create, draft);
        let listed: Vec<&str> = problems
            .iter()
            .take(100)
            .map(|p| p.pointer.as_ref())
            .collect();
        let placed = hookpanel_core::draft::lines_in(draft, &listed);
        // The lines are used, so the call cannot be left out.
        let placed = placed.iter().flatten().count();
        Ok(u32::try_from(problems.len().max(placed)).unwrap_or(u32::MAX))
    })
}
