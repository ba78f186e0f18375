//! Parsing a body in pieces cut between top-level blocks gives exactly the single parse, and a
//! first part is a prefix of the whole (what the reader shows while the rest is read).

use folio::library::{self, Meta};
use folio::markdown::layout::layout;
use folio::markdown::parse::{self, Options, parse_markdown_in_pieces};
use proptest::prelude::*;

/// Constructs that run past blank lines, references and notes defined far from their use.
fn long_document() -> String {
    let piece = "# Heading\n\nA paragraph with a [link][far] and a [shortcut] and a note[^n].\n\n\
                 > A quote\n>\n> > nested [Far][] again.\n\n- item one\n\n  loose text\n\n- item two\n\n\
                 1. first\n\n2. second\n\n10. tenth\n\n```rust\nfn main() {}\n\nstill code\n```\n\n\
                 ~~~\n```\n\nnot a fence end\n~~~\n\n<!--\n\nhidden\n\n-->\n\n<pre>\n\nkept\n\n</pre>\n\n\
                 | a | b |\n|---|--:|\n| 1 | [x](https://x.org) |\n\n    indented code\n\n    more\n\n\
                 [^local]: A note defined here, used later.\n\nUse of local[^local] note.\n\n\
                 > [!NOTE]\n> An alert with [in quote][q].\n\n> [q]: https://q.example\n\n---\n\n";
    let mut text = String::from("Intro paragraph with [far] link.\n\n");
    text.push_str(&piece.repeat(60));
    text.push_str("\n[far]: https://far.example/x \"Far\"\n[shortcut]: <https://s.example>\n\n[^n]: The note.\n");
    text
}

fn check_pieces(markdown: &str, name: &str) {
    let whole = parse_markdown_in_pieces(markdown, usize::MAX);
    for size in [1, 100, 2048, 16 * 1024] {
        let pieces = parse_markdown_in_pieces(markdown, size);
        if pieces != whole {
            let block = pieces
                .blocks
                .iter()
                .zip(&whole.blocks)
                .position(|(a, b)| a != b);
            panic!(
                "{name}: pieces of {size} differ from one parse: blocks {} vs {}, first differing {block:?}: {:?} vs {:?}; links equal {}",
                pieces.blocks.len(),
                whole.blocks.len(),
                block.map(|b| &pieces.blocks[b]),
                block.map(|b| &whole.blocks[b]),
                pieces.links == whole.links,
            );
        }
    }
}

#[test]
fn pieces_add_up_to_the_single_parse() {
    let text = long_document();
    check_pieces(&text, "generated");
    // The far references really resolve (not only equally unresolved).
    let doc = parse_markdown_in_pieces(&text, 100);
    assert!(doc.links.iter().any(|l| l.url == "https://far.example/x"));
    assert!(doc.links.iter().any(|l| l.url == "https://s.example"));
    assert!(doc.links.iter().any(|l| l.url == "https://q.example"));
    for path in crate::support::bundled_articles() {
        let (_, body) = library::read_article(&path).expect("readable");
        check_pieces(&body.markdown, &path.display().to_string());
    }
}

#[test]
fn a_first_part_lays_out_as_the_top_of_the_whole() {
    let text = long_document().repeat(3);
    let meta = Meta {
        title: "Big".to_owned(),
        ..Meta::default()
    };
    let options = Options { highlight: false };
    let whole = parse::parse_article_with(&meta, &text, options);
    let (part, complete) = parse::parse_article_part(&meta, &text, options, 20_000);
    assert!(!complete);
    assert!(part.blocks.len() < whole.blocks.len());
    assert_eq!(part.blocks[..], whole.blocks[..part.blocks.len()]);
    assert_eq!(part.links[..], whole.links[..part.links.len()]);
    let (part_rows, whole_rows) = (layout(&part, 80), layout(&whole, 80));
    assert_eq!(
        part_rows.lines.to_lines()[..],
        whole_rows.lines.to_lines()[..part_rows.lines.len()]
    );
    let (all, complete) = parse::parse_article_part(&meta, &text, options, usize::MAX);
    assert!(complete);
    assert_eq!(all, whole);
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("para [r] and [^a]\n".to_owned()),
        Just("- a\n".to_owned()),
        Just("  indented\n".to_owned()),
        Just("1. b\n".to_owned()),
        Just("> q\n".to_owned()),
        Just("```\n".to_owned()),
        Just("~~~\n".to_owned()),
        Just("<!--\n".to_owned()),
        Just("-->\n".to_owned()),
        Just("<pre>\n".to_owned()),
        Just("</pre>\n".to_owned()),
        Just("<div>\n".to_owned()),
        Just("| a |\n|---|\n".to_owned()),
        Just("[r]: /r\n".to_owned()),
        Just("[^a]: note\n".to_owned()),
        Just("    code\n".to_owned()),
        Just("---\n".to_owned()),
        Just("===\n".to_owned()),
        Just("# h\n".to_owned()),
        Just("text\n".to_owned()),
        Just("\n".to_owned()),
        Just("\n".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_line_soup_parses_the_same_in_pieces(lines in proptest::collection::vec(block(), 0..60)) {
        let text: String = lines.concat();
        let whole = parse_markdown_in_pieces(&text, usize::MAX);
        let pieces = parse_markdown_in_pieces(&text, 1);
        prop_assert_eq!(pieces, whole, "{:?}", text);
    }
}
