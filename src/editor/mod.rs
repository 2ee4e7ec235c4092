//! The editor for a create or modify draft: a form generated from the schema, the same draft as
//! raw JSON, its problems, what changes, the requests it makes, and the call.

mod form;
mod hook;
mod preview;
mod raw;
mod screen;
mod send;
mod state;

pub use form::SchemaForm;
pub use hook::{EditMode, UseEditor, use_editor};
pub use preview::RequestPreview;
pub use raw::RawJson;
pub use screen::Editor;
pub use send::Ended;
pub use state::DraftState;
