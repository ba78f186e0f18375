//! The non-interactive commands: `folio list`, `folio print` and `folio mark`.

pub(crate) mod list;
pub(crate) mod mark;
pub(crate) mod print;
