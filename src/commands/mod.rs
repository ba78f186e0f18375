//! The non-interactive commands: `folio list`, `folio print` and `folio mark`.

pub mod list;
pub mod mark;
pub mod print;
