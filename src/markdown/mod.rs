//! Markdown → a styled, laid-out document that knows nothing about ratatui.
//!
//! `parse` turns text into a [`Document`]; `layout` wraps it at a width into [`Layout`], which
//! both the reader and `folio print` draw from.

pub mod highlight;
pub mod layout;
pub mod model;
pub mod parse;

pub use layout::{Heading, Layout, Line, LinkTarget, Span, layout};
pub use model::{Document, Role, Style};

use crate::library::Meta;

/// Parses an article (header from `meta`, then `body`) and lays it out at `width` columns.
pub fn render(meta: &Meta, body: &str, width: usize) -> Layout {
    layout(&parse::parse_article(meta, body), width)
}
