//! Inline Markdown in one-line fields (titles, descriptions): `` `async fn` ``, `*emphasis*`,
//! `**strong**`, `~~struck~~`, links (their text) and entities, read by pulldown-cmark as the
//! inline content of a paragraph. Nothing in such a field is a block: `1. Intro`, `# Tags` and
//! `- draft` stay as written.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::text::sanitize_line;

/// A stretch of a field's text with one look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub code: bool,
    pub emphasis: bool,
    pub strong: bool,
    pub struck: bool,
}

/// Characters that may start inline markup; a field without any is one plain run.
fn may_have_markup(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b'`' | b'*' | b'_' | b'~' | b'[' | b'<' | b'&' | b'\\'))
}

/// The field as runs of text, each with its look. Control characters are gone (as
/// `sanitize_line` leaves text), line breaks are spaces.
pub fn runs(field: &str) -> Vec<Run> {
    let line = sanitize_line(field);
    if !may_have_markup(&line) {
        return plain_run(line);
    }
    let source = literal_start(&line);
    let mut out: Vec<Run> = Vec::new();
    let mut look = Run::default();
    let push = |out: &mut Vec<Run>, look: &Run, text: &str| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last)
                if (last.code, last.emphasis, last.strong, last.struck)
                    == (look.code, look.emphasis, look.strong, look.struck) =>
            {
                last.text.push_str(text)
            }
            _ => out.push(Run {
                text: text.to_owned(),
                ..look.clone()
            }),
        }
    };
    for event in Parser::new_ext(&source, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(text) => push(&mut out, &look, &text),
            Event::Code(code) => {
                let code_look = Run {
                    code: true,
                    ..look.clone()
                };
                push(&mut out, &code_look, &code);
            }
            // `Vec<T>` is a title, not a tag to hide.
            Event::Html(html) | Event::InlineHtml(html) => push(&mut out, &look, &html),
            Event::SoftBreak | Event::HardBreak => push(&mut out, &look, " "),
            Event::Start(Tag::Emphasis) => look.emphasis = true,
            Event::End(TagEnd::Emphasis) => look.emphasis = false,
            Event::Start(Tag::Strong) => look.strong = true,
            Event::End(TagEnd::Strong) => look.strong = false,
            Event::Start(Tag::Strikethrough) => look.struck = true,
            Event::End(TagEnd::Strikethrough) => look.struck = false,
            Event::FootnoteReference(label) => push(&mut out, &look, &format!("[^{label}]")),
            _ => {}
        }
    }
    if out.is_empty() {
        // Markup with no text at all (`**`, `<br>` …): show what was written.
        return plain_run(line);
    }
    // Entities may have decoded to anything: clean each run, keeping the spaces between them.
    for run in &mut out {
        run.text = clean_run(&run.text);
    }
    if let Some(first) = out.first_mut() {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = out.last_mut() {
        last.text = last.text.trim_end().to_owned();
    }
    out.retain(|r| !r.text.is_empty());
    out
}

/// One run as a clean line, with a space kept where it began or ended with one.
fn clean_run(text: &str) -> String {
    let lead = text.starts_with(char::is_whitespace);
    let trail = text.ends_with(char::is_whitespace);
    let core = sanitize_line(text);
    if core.is_empty() {
        return if lead || trail {
            " ".to_owned()
        } else {
            String::new()
        };
    }
    let mut out = String::with_capacity(core.len() + 2);
    if lead {
        out.push(' ');
    }
    out.push_str(&core);
    if trail {
        out.push(' ');
    }
    out
}

fn plain_run(text: String) -> Vec<Run> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![Run {
        text,
        ..Run::default()
    }]
}

/// The field's text without its markup: what is shown, searched and sorted by.
pub fn plain(field: &str) -> String {
    let line = sanitize_line(field);
    if !may_have_markup(&line) {
        return line;
    }
    runs(&line).into_iter().map(|r| r.text).collect()
}

/// `line` with a backslash before what would make it a block (a heading's `#`, a list's `-`
/// or `1.`, a quote's `>`, a rule, an HTML block), so only its inline markup is read.
fn literal_start(line: &str) -> String {
    let trimmed = line.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let mut out = String::with_capacity(line.len() + 1);
    if digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) {
        out.push_str(&trimmed[..digits]);
        out.push('\\');
        out.push_str(&trimmed[digits..]);
    } else if starts_a_block(trimmed) {
        out.push('\\');
        out.push_str(trimmed);
    } else {
        out.push_str(trimmed);
    }
    out
}

/// Whether a line's first character would open a block. `*` or `_` right before a word opens
/// emphasis instead, and stays as it is.
fn starts_a_block(line: &str) -> bool {
    let mut chars = line.chars();
    let first = chars.next();
    let emphasis =
        matches!(first, Some('*' | '_')) && chars.next().is_some_and(|c| !c.is_whitespace());
    matches!(
        first,
        Some('#' | '>' | '-' | '+' | '*' | '=' | '<' | '|' | '_')
    ) && !emphasis
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looks(field: &str) -> Vec<(String, &'static str)> {
        runs(field)
            .into_iter()
            .map(|r| {
                let look = match (r.code, r.emphasis, r.strong, r.struck) {
                    (true, ..) => "code",
                    (_, true, true, _) => "strong emphasis",
                    (_, true, _, _) => "emphasis",
                    (_, _, true, _) => "strong",
                    (_, _, _, true) => "struck",
                    _ => "plain",
                };
                (r.text, look)
            })
            .collect()
    }

    #[test]
    fn code_and_emphasis_are_runs_without_their_marks() {
        assert_eq!(
            looks("Why `async fn` in *traits* took **years**"),
            vec![
                ("Why ".to_owned(), "plain"),
                ("async fn".to_owned(), "code"),
                (" in ".to_owned(), "plain"),
                ("traits".to_owned(), "emphasis"),
                (" took ".to_owned(), "plain"),
                ("years".to_owned(), "strong"),
            ]
        );
        assert_eq!(
            plain("Why `async fn` in *traits* took **years**"),
            "Why async fn in traits took years"
        );
    }

    #[test]
    fn nothing_in_a_title_is_a_block() {
        for title in [
            "1. Introduction",
            "2) Second",
            "# Not a heading",
            "- not a list",
            "+ plus",
            "> not a quote",
            "---",
            "***",
            "=== equals",
            "| a | b |",
            "    four spaces",
        ] {
            assert_eq!(plain(title), title.trim_start(), "{title:?}");
        }
    }

    #[test]
    fn what_only_looks_like_markup_is_kept() {
        assert_eq!(
            plain("Vec<T> and Box<dyn Error>"),
            "Vec<T> and Box<dyn Error>"
        );
        assert_eq!(plain("<details> explained"), "<details> explained");
        assert_eq!(plain("snake_case_names"), "snake_case_names");
        assert_eq!(plain("2 * 3 * 4"), "2 * 3 * 4");
        assert_eq!(plain("a lone ` backtick"), "a lone ` backtick");
        assert_eq!(plain("**"), "**");
        assert_eq!(plain("C++ & Rust"), "C++ & Rust");
        assert_eq!(plain("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(plain("[a link](https://example.org) here"), "a link here");
        assert_eq!(plain("*emphasis at the start*"), "emphasis at the start");
        assert_eq!(plain("**strong at the start**"), "strong at the start");
    }

    #[test]
    fn control_characters_never_survive() {
        let title = "A `\u{1b}[31mred` title\u{7}";
        for run in runs(title) {
            assert!(!run.text.chars().any(char::is_control), "{run:?}");
        }
    }
}
