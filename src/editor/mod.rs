//! The editor for a create or modify draft: a form generated from the schema, the same draft as
//! raw JSON, its problems, the request it makes, and the call.

mod create;
mod form;
mod preview;
mod raw;
mod state;

pub use create::CreateScreen;
pub use form::SchemaForm;
pub use preview::RequestPreview;
pub use raw::RawJson;
pub use state::DraftState;
