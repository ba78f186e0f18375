//! The non-interactive commands: `folio list`, `folio print`, `folio search` and `folio mark`.

pub(crate) mod list;
pub(crate) mod mark;
pub(crate) mod print;
pub(crate) mod print_pictures;
pub(crate) mod search;
