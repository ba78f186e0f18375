//! layout(&Document, width) → lines of styled spans plus where every link and heading sits.

use super::model::Style;

/// A run of text on one line, in one style; `link` is the 1-based link number it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub link: Option<usize>,
}

/// One screen row; its display width never exceeds the layout width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

/// A numbered link (or image target) and every place its text was laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTarget {
    /// 1-based, in reading order; what `text[3]` shows.
    pub number: usize,
    pub url: String,
    /// The link's visible text (or image alt text), sanitized.
    pub text: String,
    /// (row, first column, end column exclusive) for each piece of the link on screen.
    pub places: Vec<(usize, usize, usize)>,
}

/// Where a heading starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub row: usize,
    pub level: u8,
    pub text: String,
    /// GitHub-style slug, for `file.md#anchor` links.
    pub anchor: String,
}

/// A document wrapped at one width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub lines: Vec<Line>,
    pub links: Vec<LinkTarget>,
    pub headings: Vec<Heading>,
}

/// Wraps a document at `width` columns (at least 1).
pub fn layout(doc: &super::model::Document, width: usize) -> Layout {
    let _ = (doc, width);
    unimplemented!("markdown helper")
}
