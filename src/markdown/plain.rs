//! An article's text as the reader shows it, without markup or decoration: what the full-text
//! index holds. Link numbers and footnote marks are drawn around the text, not part of it.

use super::model::{BlockKind, Document, Role, Run};

/// Bump when what [`body_text`] returns changes: every indexed article is read again.
pub const EXTRACTOR_VERSION: i64 = 1;

/// The body's text, one block a line (a code line, a table row a line of its own).
pub fn body_text(doc: &Document) -> String {
    let mut out = String::new();
    let line = |runs: &[Run], out: &mut String| {
        for run in runs {
            if !matches!(run.style.role, Role::LinkNumber | Role::FootnoteRef) {
                out.push_str(&run.text);
            }
        }
        out.push('\n');
    };
    for block in &doc.blocks {
        match &block.kind {
            BlockKind::Paragraph(runs) | BlockKind::Heading { runs, .. } => line(runs, &mut out),
            BlockKind::Code { lines, .. } => {
                for runs in lines {
                    line(runs, &mut out);
                }
            }
            BlockKind::Table(table) => {
                for row in std::iter::once(&table.head).chain(&table.rows) {
                    for cell in row {
                        line(cell, &mut out);
                    }
                }
            }
            // Template tags are the site's markup, not the article's words.
            BlockKind::Shortcode { .. }
            | BlockKind::Rule
            | BlockKind::AlertLabel(_)
            | BlockKind::NotesTitle => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    #[test]
    fn markup_and_link_numbers_are_left_out() {
        let doc = parse::parse_markdown(
            "# Head\n\nSome **bold** and [a link](https://a.org) here.[^1]\n\n\
             | a | b |\n|---|---|\n| cell | two |\n\n```rust\nlet x = 1;\n```\n\n[^1]: The note.\n",
        );
        let text = body_text(&doc);
        assert!(text.contains("Some bold and a link here."), "{text}");
        assert!(text.contains("Head\n"), "{text}");
        assert!(text.contains("cell\ntwo\n"), "{text}");
        assert!(text.contains("let x = 1;"), "{text}");
        assert!(text.contains("The note."), "{text}");
        assert!(!text.contains("**") && !text.contains("[1]") && !text.contains("https"));
    }
}
