//! Laid-out rows kept compact: every row's text in one buffer, spans as ranges of it.
//!
//! A 2 MB article lays out to about 31,000 rows and 122,000 styled spans. Kept as a `String`
//! per span and a `Vec` per row, that was 122,000 small allocations held for as long as the
//! article is open, and the allocator's share of them was larger than the text. Here the
//! text is one `String`, a span is its end offset, style and link number (16 bytes), and a
//! row is the end of its spans: three allocations per layout, whatever its size.
//!
//! Rows are built from owned [`Line`]s (what layout and tests produce) and read back as
//! [`Row`] views whose [`SpanRef`]s borrow the buffer.

use std::ops::Range;

use super::layout::{Line, Span};
use super::model::Style;
use crate::text::display_width;

/// A span as stored: where its text ends in the buffer (it starts where the one before it
/// ends), its style and its link number (0 for none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed {
    end: u32,
    style: Style,
    link: u32,
}

/// Laid-out rows in one buffer. Offsets are 32-bit: rows past 4 GiB of text (which no
/// article of the reader's 16 MiB cap reaches short of a hostile width) are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    text: String,
    spans: Vec<Packed>,
    /// Row `i` is `spans[ends[i - 1]..ends[i]]` (from 0 for the first row).
    ends: Vec<u32>,
}

/// One row of [`Rows`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    rows: &'a Rows,
    /// Index into `rows.spans` of its first span, and the end.
    spans: (usize, usize),
}

/// A span of a [`Row`]: text in one style; `link` is the 1-based link number it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanRef<'a> {
    pub text: &'a str,
    pub style: Style,
    pub link: Option<usize>,
}

impl Rows {
    pub fn new() -> Self {
        Rows::default()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Row<'_>> {
        (index < self.len()).then(|| self.row(index))
    }

    /// Row `index`, which exists.
    fn row(&self, index: usize) -> Row<'_> {
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.ends[before] as usize);
        Row {
            rows: self,
            spans: (start, self.ends[index] as usize),
        }
    }

    /// Every row, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Row<'_>> + ExactSizeIterator + '_ {
        self.range(0..self.len())
    }

    /// The rows of `range` that exist, in order.
    pub fn range(
        &self,
        range: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = Row<'_>> + ExactSizeIterator + '_ {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        (start..end).map(|i| self.row(i))
    }

    /// Adds a row of spans (kept as they are: no merging, no trimming).
    pub fn push<'s>(&mut self, spans: impl IntoIterator<Item = SpanRef<'s>>) {
        let (text, spans_before) = (self.text.len(), self.spans.len());
        for span in spans {
            self.text.push_str(span.text);
            let Ok(end) = u32::try_from(self.text.len()) else {
                self.text.truncate(text);
                self.spans.truncate(spans_before);
                return;
            };
            let link = span.link.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
            self.spans.push(Packed {
                end,
                style: span.style,
                link,
            });
        }
        let Ok(end) = u32::try_from(self.spans.len()) else {
            self.text.truncate(text);
            self.spans.truncate(spans_before);
            return;
        };
        self.ends.push(end);
    }

    /// Adds an owned line.
    pub fn push_line(&mut self, line: &Line) {
        self.push(line.spans.iter().map(Span::as_ref));
    }

    /// Moves `other`'s rows after these (all of them, or none past the 32-bit offsets).
    pub fn append(&mut self, other: Rows) {
        let fits = |a: usize, b: usize| a.checked_add(b).is_some_and(|n| u32::try_from(n).is_ok());
        if !fits(self.text.len(), other.text.len()) || !fits(self.spans.len(), other.spans.len()) {
            return;
        }
        // Both fit in 32 bits (checked above).
        let text = self.text.len() as u32;
        let spans = self.spans.len() as u32;
        self.text.push_str(&other.text);
        self.spans
            .extend(other.spans.into_iter().map(|packed| Packed {
                end: text + packed.end,
                ..packed
            }));
        self.ends
            .extend(other.ends.into_iter().map(|end| spans + end));
    }

    /// Keeps the first `len` rows.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        self.ends.truncate(len);
        let spans = self.ends.last().map_or(0, |&end| end as usize);
        self.spans.truncate(spans);
        let text = self.spans.last().map_or(0, |span| span.end as usize);
        self.text.truncate(text);
    }

    /// Gives back the room the buffers grew into (rows are kept while the article is open).
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Rows with room for `text` bytes, `spans` spans and `rows` rows.
    pub fn with_capacity(text: usize, spans: usize, rows: usize) -> Self {
        Rows {
            text: String::with_capacity(text),
            spans: Vec::with_capacity(spans),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Every row as an owned line (for tests).
    pub fn to_lines(&self) -> Vec<Line> {
        self.iter().map(|row| row.to_line()).collect()
    }

    /// The text of span `index`.
    fn span_text(&self, index: usize) -> &str {
        let start = match index.checked_sub(1) {
            Some(before) => self.spans[before].end as usize,
            None => 0,
        };
        self.text
            .get(start..self.spans[index].end as usize)
            .unwrap_or_default()
    }
}

impl FromIterator<Line> for Rows {
    fn from_iter<T: IntoIterator<Item = Line>>(lines: T) -> Self {
        let mut rows = Rows::new();
        for line in lines {
            rows.push_line(&line);
        }
        rows
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = Row<'a>;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = Row<'a>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<'a> Row<'a> {
    /// The row's spans, in order.
    pub fn spans(
        self,
    ) -> impl DoubleEndedIterator<Item = SpanRef<'a>> + ExactSizeIterator + Clone + 'a {
        let rows = self.rows;
        (self.spans.0..self.spans.1).map(move |i| {
            let packed = rows.spans[i];
            SpanRef {
                text: rows.span_text(i),
                style: packed.style,
                link: (packed.link > 0).then_some(packed.link as usize),
            }
        })
    }

    /// The row's text without styles.
    pub fn text(self) -> String {
        self.spans().map(|s| s.text).collect()
    }

    /// The row's display width in columns.
    pub fn width(self) -> usize {
        self.spans().map(|s| display_width(s.text)).sum()
    }

    /// The row as an owned line.
    pub fn to_line(self) -> Line {
        Line {
            spans: self
                .spans()
                .map(|s| Span {
                    text: s.text.to_owned(),
                    style: s.style,
                    link: s.link,
                })
                .collect(),
        }
    }
}

impl PartialEq for Row<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.spans().eq(other.spans())
    }
}

impl Eq for Row<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::model::Role;

    fn line(spans: &[(&str, Role, Option<usize>)]) -> Line {
        Line {
            spans: spans
                .iter()
                .map(|&(text, role, link)| Span {
                    text: text.to_owned(),
                    style: Style::role(role),
                    link,
                })
                .collect(),
        }
    }

    #[test]
    fn rows_give_back_the_lines_they_were_built_from() {
        let lines = vec![
            line(&[("Title", Role::Title, None)]),
            line(&[]),
            line(&[("see ", Role::Body, None), ("here", Role::Link, Some(3))]),
            line(&[("", Role::Body, None), ("x", Role::Body, None)]),
        ];
        let rows: Rows = lines.iter().cloned().collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows.to_lines(), lines);
        assert_eq!(rows.get(2).map(|r| r.text()).as_deref(), Some("see here"));
        assert_eq!(rows.get(2).map(|r| r.spans().nth(1)).unwrap_or_default(), {
            Some(SpanRef {
                text: "here",
                style: Style::role(Role::Link),
                link: Some(3),
            })
        });
        assert!(rows.get(4).is_none());
        assert_eq!(rows.range(1..10).count(), 3);
    }

    #[test]
    fn appended_and_truncated_rows_are_the_rows_pushed_one_by_one() {
        let a = [line(&[("one", Role::Body, None)]), line(&[])];
        let b = [
            line(&[("two", Role::Heading(2), None), (" ", Role::Body, None)]),
            line(&[("three", Role::Link, Some(1))]),
        ];
        let mut joined: Rows = a.iter().cloned().collect();
        joined.append(b.iter().cloned().collect());
        let whole: Rows = a.iter().chain(&b).cloned().collect();
        assert_eq!(joined, whole);
        joined.truncate(2);
        assert_eq!(joined, a.iter().cloned().collect());
        joined.truncate(0);
        assert_eq!(joined, Rows::new());
    }
}
