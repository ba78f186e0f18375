//! Markdown → a styled, laid-out document that knows nothing about ratatui.
//!
//! `parse` turns text into a [`Document`]; `layout` wraps it at a width into [`Layout`], which
//! both the reader and `folio print` draw from.
//!
//! ```text
//! let doc = parse::parse_article(&article.meta, &body.markdown); // once per article
//! let layout = layout(&doc, width);                             // once per width, cached
//! let greedy = layout_with(&doc, width, Wrap::Greedy);          // `wrap = "greedy"`
//! // draw layout.lines.range(top..top + height); links[n - 1].places and headings[i].row are rows
//! // of those same rows, so focus, jumps and search need no re-wrapping.
//! ```
//!
//! Highlighting only marks code tokens (`Style::token`); it never changes text or layout, so a
//! document parsed with `parse::Options { highlight: false }` lays out to the very same rows,
//! and [`highlight::highlight_document`] can colour it later, off the UI thread.

pub(crate) mod find;
pub mod highlight;
pub mod inline;
pub mod layout;
pub mod model;
pub mod parse;
pub mod plain;
pub mod rows;
mod shortcode;
pub(crate) mod split;

pub use layout::{Heading, Layout, Line, LinkTarget, Span, Wrap, layout, layout_with};
pub use model::{Document, Role, Style, Token};
pub use rows::{Row, Rows, SpanRef};

use crate::library::Meta;

/// Parses an article (header from `meta`, then `body`) and lays it out at `width` columns.
pub fn render(meta: &Meta, body: &str, width: usize) -> Layout {
    layout(&parse::parse_article(meta, body), width)
}
