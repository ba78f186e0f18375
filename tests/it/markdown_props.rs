//! Properties of layout over generated Markdown: nothing wider than the width, no control
//! characters, and no word of the input lost.
//!
//! Words are lower-case letters only, so "a word" is well defined and letters added by folio
//! (list numbers are digits; labels like "Notes" only add letters) never hide a lost one.

use std::collections::HashMap;

use folio::markdown::parse::parse_markdown;
use folio::markdown::{Wrap, layout, layout_with};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    "[a-z]{1,10}"
}

/// Words with inline markup, separated by spaces.
fn inline() -> impl Strategy<Value = String> {
    prop::collection::vec((word(), 0..9u8), 1..14).prop_map(|words| {
        words
            .into_iter()
            .map(|(w, kind)| match kind {
                0 => format!("*{w}*"),
                1 => format!("**{w}**"),
                2 => format!("~~{w}~~"),
                3 => format!("`{w}`"),
                4 => format!("[{w}](https://example.com/{w})"),
                5 => format!("***{w}***"),
                _ => w,
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => inline(),
        1 => (1..=6usize, inline()).prop_map(|(level, text)| format!("{} {text}", "#".repeat(level))),
        1 => (prop::collection::vec(prop::collection::vec(word(), 1..12), 1..6), "(rust|python|)")
            .prop_map(|(lines, lang)| {
                let body: Vec<String> = lines.iter().map(|l| l.join(" ")).collect();
                format!("```{lang}\n{}\n```", body.join("\n"))
            }),
        1 => (1..=3usize, prop::collection::vec(prop::collection::vec(word(), 3), 1..4))
            .prop_map(|(columns, rows)| {
                let row = |cells: &[String]| format!("| {} |", cells[..columns].join(" | "));
                let mut out = vec![row(&rows[0]), format!("|{}", "---|".repeat(columns))];
                out.extend(rows[1..].iter().map(|r| row(r)));
                if rows.len() == 1 {
                    out.push(row(&rows[0]));
                }
                out.join("\n")
            }),
        1 => Just("---".to_owned()),
    ]
}

fn indent(text: &str, first: &str, rest: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{first}{line}")
            } else if line.is_empty() {
                String::new()
            } else {
                format!("{rest}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn block() -> impl Strategy<Value = String> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|blocks| {
                blocks
                    .iter()
                    .map(|b| {
                        b.lines()
                            .map(|l| {
                                if l.is_empty() {
                                    ">".to_owned()
                                } else {
                                    format!("> {l}")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .collect::<Vec<_>>()
                    .join("\n>\n")
            }),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|items| {
                items
                    .iter()
                    .map(|b| indent(b, "- ", "  "))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
            prop::collection::vec(inner, 1..4).prop_map(|items| {
                items
                    .iter()
                    .map(|b| indent(b, "1. ", "   "))
                    .collect::<Vec<_>>()
                    .join("\n\n")
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(block(), 1..6),
        prop::collection::vec(inline(), 0..3),
    )
        .prop_map(|(blocks, notes)| {
            let mut out = blocks.join("\n\n");
            if !notes.is_empty() {
                out.push_str("\n\nNotes follow");
                for i in 0..notes.len() {
                    out.push_str(&format!("[^n{i}]"));
                }
                for (i, note) in notes.iter().enumerate() {
                    out.push_str(&format!("\n\n[^n{i}]: {note}"));
                }
            }
            out
        })
}

fn letters(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars().filter(char::is_ascii_lowercase) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

/// The letters of the input's words (markup and URLs left out).
fn input_letters(markdown: &str) -> HashMap<char, usize> {
    let without_urls: String = markdown
        .split("](")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once(')').map_or("", |(_, rest)| rest)
            }
        })
        .collect::<Vec<_>>()
        .join("]");
    let mut text = String::new();
    for line in without_urls.lines() {
        // Fence info strings and footnote labels are not text.
        let line = line.trim_start_matches(['>', ' ', '-']);
        if line.starts_with("```") {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    let text = text.replace("[^n", "[^");
    let text = text.replace("Notes follow", "");
    letters(&text)
}

/// 256 cases unless `PROPTEST_CASES` asks for more.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn layout_fits_is_clean_and_keeps_every_word(markdown in document(), width in 1usize..=120) {
        let doc = parse_markdown(&markdown);
        let l = layout(&doc, width);
        let mut output = String::new();
        for (row, line) in l.lines.iter().enumerate() {
            let text = line.text();
            prop_assert!(line.width() <= width, "row {} is {} wide at {}: {:?}", row, line.width(), width, text);
            prop_assert!(!text.chars().any(char::is_control), "control character in {:?}", text);
            output.push_str(&text);
            output.push('\n');
        }
        prop_assert!(!output.contains("\n\n\n") && !output.starts_with('\n'), "a run of blank lines:\n{}", output);
        let have = letters(&output);
        for (c, n) in input_letters(&markdown) {
            let got = have.get(&c).copied().unwrap_or(0);
            prop_assert!(got >= n, "letter {:?}: {} in input, {} in output\n{}\n---\n{}", c, n, got, markdown, output);
        }
        // Wide enough that no word needs breaking: every word shows whole.
        let wide = layout(&doc, 120);
        // A code line's continuation (`↪ `) joins the row it continues.
        let mut rows: Vec<String> = Vec::new();
        for line in wide.plain_lines() {
            match (line.split_once("↪ "), rows.last_mut()) {
                (Some((_, rest)), Some(last)) => last.push_str(rest),
                _ => rows.push(line),
            }
        }
        let tokens: std::collections::HashSet<String> = rows
            .iter()
            .flat_map(|l| l.split(|c: char| !c.is_ascii_lowercase()).map(str::to_owned).collect::<Vec<_>>())
            .collect();
        let words_text = markdown.replace("https://example.com/", " ");
        for word in words_text.split(|c: char| !c.is_ascii_lowercase()).filter(|w| !w.is_empty()) {
            if matches!(word, "rust" | "python" | "n") {
                continue;
            }
            prop_assert!(tokens.contains(word), "word {:?} missing\n{}\n---\n{}", word, markdown, wide.plain_lines().join("\n"));
        }
    }
}

/// Pieces of hostile or exotic text: Markdown syntax, wide and zero-width characters,
/// controls and escape sequences.
fn exotic() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_owned()),
        Just("> ".to_owned()),
        Just("- ".to_owned()),
        Just("1. ".to_owned()),
        Just("```".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("[x](y)".to_owned()),
        Just("![i](j)".to_owned()),
        Just("[^1]".to_owned()),
        Just("<b>".to_owned()),
        Just("<br>".to_owned()),
        Just("<!--".to_owned()),
        Just("<a href=\"".to_owned()),
        Just("\">".to_owned()),
        Just("</a>".to_owned()),
        Just("<img alt=x src=".to_owned()),
        Just("{{< ".to_owned()),
        Just(" >}}".to_owned()),
        Just("{{% ".to_owned()),
        Just("{% ".to_owned()),
        Just(" %}".to_owned()),
        Just("{{</* x */>}}".to_owned()),
        Just("{{< highlight go >}}\n".to_owned()),
        Just("{{< /highlight >}}".to_owned()),
        Just("*".to_owned()),
        Just("_".to_owned()),
        Just("`".to_owned()),
        Just("~~".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\t".to_owned()),
        Just("\r".to_owned()),
        Just("\x1b[31m".to_owned()),
        Just("\x1b]8;;u\x07".to_owned()),
        Just("\u{7}\u{0}\u{9b}".to_owned()),
        Just("日本語".to_owned()),
        Just("👩‍💻".to_owned()),
        Just("❤️".to_owned()),
        Just("🇯🇵".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("\u{200b}\u{202e}".to_owned()),
        "[a-z ]{1,12}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_lays_out_within_the_width_without_control_characters(
        markdown in exotic(),
        width in 1usize..=120,
    ) {
        let l = layout(&parse_markdown(&markdown), width);
        for line in &l.lines {
            let text = line.text();
            prop_assert!(line.width() <= width, "{} wide at {}: {:?}", line.width(), width, text);
            prop_assert!(!text.chars().any(|c| c.is_control()), "control character in {:?}", text);
        }
        for link in &l.links {
            prop_assert!(!link.url.chars().any(|c| c.is_control()));
            for &(row, start, end) in &link.places {
                prop_assert!(row < l.lines.len() && start < end && end <= width);
            }
        }
    }
}

/// A paragraph of words from one letter to longer than most columns, some wide, some styled.
fn prose() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        6 => "[a-z]{1,12}",
        1 => "[a-z]{13,90}",
        1 => "[日本語のテキスト]{1,6}",
        1 => "[a-z]{1,8}".prop_map(|w| format!("**{w}**")),
        1 => "[a-z]{1,8}".prop_map(|w| format!("[{w}](https://example.com/{w})")),
    ];
    prop::collection::vec(word, 1..200).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn optimal_fit_never_exceeds_the_width_and_keeps_the_words(
        paragraph in prose(),
        width in 1usize..=100,
    ) {
        let doc = parse_markdown(&paragraph);
        let mut shown = Vec::new();
        for wrap in [Wrap::Optimal, Wrap::Greedy] {
            let l = layout_with(&doc, width, wrap);
            for line in &l.lines {
                prop_assert!(line.width() <= width, "{:?}: {} wide at {}: {:?}", wrap, line.width(), width, line.text());
            }
            // The same text, whichever way it was filled (breaks aside).
            shown.push(l.plain_lines().concat().replace(' ', ""));
        }
        prop_assert_eq!(&shown[0], &shown[1]);
    }
}
