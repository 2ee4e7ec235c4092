//! The editor for a create or modify draft: a form generated from the schema, the same draft as
//! raw JSON, its problems, what changes, the requests it makes, and the call.

mod form;
mod preview;
mod raw;
mod screen;
mod state;

pub use form::SchemaForm;
pub use preview::RequestPreview;
pub use raw::RawJson;
pub use screen::{EditMode, Editor};
pub use state::DraftState;
