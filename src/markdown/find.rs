//! Finding text in a laid-out article: the match is made against the article's text, then
//! marked where the layout put it — across wrapped lines, in table cells, code and notes.
//!
//! The rows are read as one stream of text: decoration (quote gutters, table borders, the
//! continuation mark of a wrapped code line, rules, link numbers) is left out, and a row
//! break or any run of spaces counts as one space, so a phrase that wraps is found at any
//! width. Case and accents follow [`crate::fold`].

use super::Role;
use super::layout::Layout;
use crate::fold;

/// One place the text occurs: the piece on each row it covers, as (row, first column, end
/// column), in reading order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hit {
    pub parts: Vec<(usize, usize, usize)>,
}

impl Hit {
    /// The row the place starts on.
    pub fn row(&self) -> usize {
        self.parts.first().map_or(0, |p| p.0)
    }
}

/// Roles drawn around text, not part of it.
fn is_decoration(role: Role) -> bool {
    matches!(
        role,
        Role::QuoteGutter
            | Role::Continuation
            | Role::TableBorder
            | Role::HeadingRule
            | Role::Rule
            | Role::LinkNumber
    )
}

/// Every place `query` occurs in `layout`, in reading order; none for a blank query.
pub(crate) fn find(layout: &Layout, query: &str) -> Vec<Hit> {
    let query = fold::query(query);
    if query.chars.is_empty() {
        return Vec::new();
    }
    // The folded text, and for each folded char the cell it came from (None for the space
    // standing for a row break or a run of blanks).
    let mut text: Vec<char> = Vec::new();
    let mut cells: Vec<Option<(usize, usize, usize)>> = Vec::new();
    let mut folded = Vec::new();
    for (row, line) in layout.lines.iter().enumerate() {
        let mut col = 0;
        for span in line.spans() {
            for c in span.text.chars() {
                let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                let cell = (row, col, col + width);
                col += width;
                if is_decoration(span.style.role) {
                    continue;
                }
                if c.is_whitespace() {
                    if text.last().is_some_and(|&last| last != ' ') {
                        text.push(' ');
                        cells.push(None);
                    }
                    continue;
                }
                folded.clear();
                fold::fold_char(c, query.keep_accents, &mut folded);
                for &f in &folded {
                    text.push(f);
                    cells.push(Some(cell));
                }
            }
        }
        if text.last().is_some_and(|&last| last != ' ') {
            text.push(' ');
            cells.push(None);
        }
    }
    let needle = &query.chars;
    let mut hits = Vec::new();
    let mut at = 0;
    while at + needle.len() <= text.len() {
        if text[at] == needle[0] && text[at..at + needle.len()] == needle[..] {
            hits.push(hit(&cells[at..at + needle.len()]));
            at += needle.len();
        } else {
            at += 1;
        }
    }
    hits
}

/// Every place any of `terms` occurs, in reading order; where two overlap, the first.
pub(crate) fn find_any(layout: &Layout, terms: &[String]) -> Vec<Hit> {
    let mut hits: Vec<Hit> = terms.iter().flat_map(|t| find(layout, t)).collect();
    let start = |hit: &Hit| hit.parts.first().map(|p| (p.0, p.1));
    let end = |hit: &Hit| hit.parts.last().map(|p| (p.0, p.2));
    hits.sort_by_key(|h| (start(h), std::cmp::Reverse(end(h))));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        if kept.last().is_some_and(|last| start(&hit) < end(last)) {
            continue;
        }
        kept.push(hit);
    }
    kept
}

/// The cells of one match, merged into one piece per row.
fn hit(cells: &[Option<(usize, usize, usize)>]) -> Hit {
    let mut parts: Vec<(usize, usize, usize)> = Vec::new();
    for &(row, start, end) in cells.iter().flatten() {
        match parts.last_mut() {
            Some(last) if last.0 == row => {
                last.1 = last.1.min(start);
                last.2 = last.2.max(end);
            }
            _ => parts.push((row, start, end)),
        }
    }
    Hit { parts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{layout, parse};

    fn laid(markdown: &str, width: usize) -> Layout {
        layout(&parse::parse_markdown(markdown), width)
    }

    #[test]
    fn a_phrase_that_wraps_is_found_at_every_width() {
        let text = "Readers stop because the wrapping moved the words they remembered onto \
                    another line, which is why find reads the text and not the rows.";
        for width in [20, 30, 45, 100, 200] {
            let layout = laid(text, width);
            let hits = find(&layout, "because the");
            assert_eq!(hits.len(), 1, "at {width}");
            let hits = find(&layout, "another line, which");
            assert_eq!(hits.len(), 1, "at {width}");
        }
    }

    #[test]
    fn a_wrapped_match_is_marked_on_both_rows() {
        let layout = laid("aaaa bbbb cccc dddd eeee", 10);
        let hits = find(&layout, "bbbb cccc");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].parts.len(), 2, "{hits:?}");
        let rows = layout.plain_lines();
        let (row, start, end) = hits[0].parts[0];
        assert_eq!(&rows[row][start..end], "bbbb");
    }

    #[test]
    fn text_in_table_cells_code_and_quotes_is_found() {
        let md = "| Name | Role |\n|---|---|\n| Léo | keeps the index |\n\n\
                  > quoted words here\n\n```\nlet answer = 42;\n```\n";
        let layout = laid(md, 60);
        assert_eq!(find(&layout, "keeps the index").len(), 1);
        assert_eq!(find(&layout, "quoted words").len(), 1);
        assert_eq!(find(&layout, "answer = 42").len(), 1);
    }

    #[test]
    fn one_case_rule_for_accents_and_case() {
        let layout = laid("Léo and Tomás met Tomas.", 80);
        assert_eq!(find(&layout, "LÉO").len(), 1);
        assert_eq!(find(&layout, "léo").len(), 1);
        assert_eq!(find(&layout, "leo").len(), 1);
        assert_eq!(find(&layout, "tomas").len(), 2);
        assert_eq!(find(&layout, "TOMÁS").len(), 1);
        assert_eq!(find(&layout, "tomás").len(), 1);
    }

    #[test]
    fn find_reports_rows_and_columns_case_insensitively() {
        let l = laid("Alpha beta\n\n日本 BETA", 40);
        let places: Vec<_> = find(&l, "beta").into_iter().flat_map(|h| h.parts).collect();
        assert_eq!(places, vec![(0, 6, 10), (2, 5, 9)]);
        assert!(find(&l, "").is_empty());
        assert!(find(&l, "   ").is_empty());
    }

    #[test]
    fn any_of_several_terms_is_found_in_reading_order() {
        let layout = laid("beta alpha\n\nalphabet beta", 80);
        let terms = ["alpha".to_owned(), "beta".to_owned(), "alphabet".to_owned()];
        let places: Vec<_> = find_any(&layout, &terms)
            .into_iter()
            .flat_map(|h| h.parts)
            .collect();
        assert_eq!(places, vec![(0, 0, 4), (0, 5, 10), (2, 0, 8), (2, 9, 13)]);
    }

    #[test]
    fn link_numbers_do_not_split_a_phrase() {
        let layout = laid("See [the docs](https://a.org) and more.", 80);
        assert_eq!(find(&layout, "the docs and more").len(), 1);
    }
}
