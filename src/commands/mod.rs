//! The non-interactive commands: `folio list` and `folio print`.

pub mod list;
pub mod print;
