//! Laying out a long document in parallel runs gives exactly the rows of a single pass.

use folio::library::{self, Meta};
use folio::markdown::layout::{Wrap, layout_in_chunks_with};
use folio::markdown::parse::parse_article;

/// Every construct, nested and top-level, many times over: runs start at many places.
fn long_document() -> String {
    let piece = "# Heading {#h}\n\nA paragraph with a [link](https://example.org) and `code`.\n\n\
                 > A quote\n> > nested, with a [^n] note.\n\n- item one\n  - nested item\n\n    \
                 more text in the item\n- [ ] task\n\n1. first\n2. second\n\n\
                 | a | b |\n|---|--:|\n| 1 | [x](https://x.org) |\n\n```rust\nfn main() {}\n```\n\n\
                 <!-- comment -->\n\n---\n\n> [!NOTE]\n> An alert.\n\n";
    let mut text = piece.repeat(300);
    text.push_str("\n[^n]: The note.\n");
    text
}

fn same_layout(markdown: &str, name: &str) {
    // With a header, and without one (runs may then be first on the page).
    for title in [name, ""] {
        let meta = Meta {
            title: title.to_owned(),
            ..Meta::default()
        };
        same_layout_of(&parse_article(&meta, markdown), name);
    }
    let empty_start = format!("<!-- a -->\n\n{}", "<!-- b -->\n\n".repeat(50));
    let meta = Meta::default();
    same_layout_of(
        &parse_article(&meta, &format!("{empty_start}{markdown}")),
        name,
    );
}

fn same_layout_of(doc: &folio::markdown::Document, name: &str) {
    let doc = doc.clone();
    for (width, wrap) in [1, 7, 40, 100]
        .into_iter()
        .flat_map(|w| [(w, Wrap::Optimal), (w, Wrap::Greedy)])
    {
        let single = layout_in_chunks_with(&doc, width, wrap, 1);
        for chunks in [2, 3, 8, 64] {
            let parallel = layout_in_chunks_with(&doc, width, wrap, chunks);
            if parallel != single {
                let row = parallel
                    .lines
                    .iter()
                    .zip(&single.lines)
                    .position(|(a, b)| a != b);
                panic!(
                    "{name}: {chunks} runs at width {width} ({wrap:?}) differ from one pass: rows {} vs {}, \
                     first differing row {row:?}: {:?} vs {:?}; headings equal {}, links equal {}",
                    parallel.lines.len(),
                    single.lines.len(),
                    row.and_then(|r| parallel.lines.get(r)).map(|r| r.to_line()),
                    row.and_then(|r| single.lines.get(r)).map(|r| r.to_line()),
                    parallel.headings == single.headings,
                    parallel.links == single.links,
                );
            }
        }
    }
}

#[test]
fn parallel_runs_join_into_the_single_pass_layout() {
    same_layout(&long_document(), "generated");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/articles");
    for entry in std::fs::read_dir(dir).expect("articles folder") {
        let path = entry.expect("entry").path();
        // The folder also holds the articles' images.
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let (_, body) = library::read_article(&path).expect("readable");
        same_layout(&body.markdown, &path.display().to_string());
    }
}
