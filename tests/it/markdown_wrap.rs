//! The two ways of filling prose: optimal fit (the default) and first fit (`wrap = "greedy"`).
//!
//! Paragraph rows are found from the layout's own record of which rows each block took, never
//! by guessing from the text.

use folio::library;
use folio::markdown::layout::{Wrap, layout_with};
use folio::markdown::model::BlockKind;
use folio::markdown::parse::{Options, parse_article_with, parse_markdown};

const WIDTH: usize = 80;

/// Sum over every paragraph of the bundled articles of (width − row width)² for each of its
/// rows but the last, with the number of such rows.
fn prose_slack(wrap: Wrap) -> (u64, usize) {
    let mut sum = 0u64;
    let mut rows = 0;
    for path in crate::support::bundled_articles() {
        let (article, body) = library::read_article(&path).expect("readable article");
        let doc = parse_article_with(&article.meta, &body.markdown, Options { highlight: false });
        let layout = layout_with(&doc, WIDTH, wrap);
        for placed in &layout.blocks {
            if !matches!(doc.blocks[placed.block].kind, BlockKind::Paragraph(_)) {
                continue;
            }
            let last = placed.rows.end.saturating_sub(1);
            for row in placed.rows.start..last {
                let slack = WIDTH - layout.lines.get(row).map_or(0, |r| r.width());
                sum += (slack * slack) as u64;
                rows += 1;
            }
        }
    }
    (sum, rows)
}

#[test]
fn optimal_fit_leaves_prose_at_least_five_percent_less_ragged_than_greedy() {
    let (optimal, optimal_rows) = prose_slack(Wrap::Optimal);
    let (greedy, greedy_rows) = prose_slack(Wrap::Greedy);
    eprintln!(
        "squared slack of prose rows at {WIDTH} columns: optimal {optimal} over {optimal_rows} \
         rows, greedy {greedy} over {greedy_rows} rows ({:.1} % less)",
        100.0 - 100.0 * optimal as f64 / greedy as f64
    );
    assert!(
        greedy_rows > 200,
        "too few prose rows to judge: {greedy_rows}"
    );
    assert!(
        optimal * 100 <= greedy * 95,
        "optimal {optimal} is not 5 % below greedy {greedy}"
    );
}

#[test]
fn block_rows_point_at_the_rows_each_block_took() {
    let doc = parse_markdown("# Title\n\nOne paragraph.\n\n> A quote\n\n- item\n- item");
    let layout = layout_with(&doc, 40, Wrap::Optimal);
    let shown: Vec<(usize, Vec<String>)> = layout
        .blocks
        .iter()
        .map(|b| (b.block, layout.plain_lines()[b.rows.clone()].to_vec()))
        .collect();
    assert_eq!(
        shown,
        [
            (0, vec!["Title".to_owned(), "━━━━━".to_owned()]),
            (1, vec!["One paragraph.".to_owned()]),
            (2, vec!["│ A quote".to_owned()]),
            (3, vec!["• item".to_owned()]),
            (4, vec!["• item".to_owned()]),
        ]
    );
}

#[test]
fn both_modes_keep_quote_gutters_list_indents_and_link_places() {
    let text = "A sentence that runs on for a while so that it needs [several rows of \
                link text](https://example.org) to show, and then some words after it.";
    let markdown = format!("> {text}\n\n- {text}\n\n1. {text}");
    let doc = parse_markdown(&markdown);
    for wrap in [Wrap::Optimal, Wrap::Greedy] {
        let layout = layout_with(&doc, 30, wrap);
        let lines = layout.plain_lines();
        let quote_end = lines
            .iter()
            .position(String::is_empty)
            .expect("a blank line");
        assert!(quote_end > 2, "{wrap:?}: the quote should wrap: {lines:#?}");
        for line in &lines[..quote_end] {
            assert!(line.starts_with("│ "), "{wrap:?}: {line:?} lost its gutter");
        }
        let item: Vec<&String> = lines[quote_end + 1..]
            .iter()
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(item[0].starts_with("• "));
        for line in &item[1..] {
            assert!(line.starts_with("  "), "{wrap:?}: {line:?} lost its indent");
        }
        for link in &layout.links {
            let shown: Vec<String> = link
                .places
                .iter()
                .map(|&(row, start, end)| {
                    let chars: Vec<char> = lines[row].chars().collect();
                    chars[start..end].iter().collect()
                })
                .collect();
            // The link's number, `[1]`, belongs to it.
            assert_eq!(
                shown.join(" "),
                format!("several rows of link text[{}]", link.number),
                "{wrap:?}: link places {:?}",
                link.places
            );
        }
    }
}

#[test]
fn greedy_and_optimal_show_the_same_words() {
    for path in crate::support::bundled_articles() {
        let (article, body) = library::read_article(&path).expect("readable article");
        let doc = parse_article_with(&article.meta, &body.markdown, Options { highlight: false });
        // Sorted, since table cells interleave their rows' words differently.
        let words = |wrap| {
            let mut words: Vec<String> = layout_with(&doc, WIDTH, wrap)
                .plain_lines()
                .join(" ")
                .split_whitespace()
                .filter(|w| !matches!(*w, "│" | "↪"))
                .map(str::to_owned)
                .collect();
            words.sort_unstable();
            words
        };
        assert_eq!(
            words(Wrap::Optimal),
            words(Wrap::Greedy),
            "{}",
            path.display()
        );
    }
}
