//! What an article's body says about itself when its front matter is silent: the first
//! sentence (a second line for the list) and how long it takes to read.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::text::sanitize_line;

/// Words a minute of an adult reading on a screen: the usual figure for reading time.
pub(crate) const WORDS_PER_MINUTE: u64 = 230;
/// Characters in a summary; the list shows one line of it, so more would never be seen.
pub(crate) const SUMMARY_MAX: usize = 200;
/// How much of the body is searched for the first sentence. The first paragraph is nearly
/// always near the top; this keeps the list's work per file small when it is not.
const SUMMARY_SCAN: usize = 16 * 1024;
/// Bytes a word takes, spaces and markup included, in typical English Markdown: used only when
/// the part of a file that was read holds no body to measure.
const BYTES_PER_WORD: u64 = 6;

/// Shortcodes whose content is code or markup rather than prose: dropped with their content.
const VERBATIM: [&str; 7] = [
    "highlight",
    "code",
    "code-toggle",
    "raw",
    "comment",
    "html",
    "codeblock",
];

/// The first sentence of the body's first paragraph of prose (headings, code, quotes, lists,
/// tables, HTML and template tags skipped), as plain sanitized text of at most
/// [`SUMMARY_MAX`] characters.
pub(crate) fn first_sentence(body: &str) -> Option<String> {
    // The first paragraph is nearly always in the first few lines: look there first, ending
    // at a paragraph break so no paragraph is cut, and parse more only when nothing was found.
    let mut searched = 0;
    for limit in [2 * 1024, SUMMARY_SCAN] {
        let mut end = body.len().min(limit);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        if end < body.len() && limit < SUMMARY_SCAN {
            end = body[..end].rfind("\n\n").unwrap_or(0);
        }
        if end <= searched {
            continue;
        }
        searched = end;
        if let Some(found) = first_sentence_in(&body[..end]) {
            return Some(found);
        }
        if end == body.len() {
            break;
        }
    }
    None
}

fn first_sentence_in(body: &str) -> Option<String> {
    let text = strip_templates(body);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    // Containers and leaves whose text is not the author's opening prose.
    let mut skipped = 0usize;
    let mut paragraph: Option<String> = None;
    for event in Parser::new_ext(&text, options) {
        match event {
            Event::Start(Tag::Paragraph) if skipped == 0 => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) if skipped == 0 => {
                let found = paragraph.take().map(|p| sanitize_line(&p));
                if let Some(found) = found.filter(|p| p.chars().any(char::is_alphanumeric)) {
                    return Some(cap(sentence(&found)));
                }
            }
            Event::Start(
                Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock
                | Tag::CodeBlock(_)
                | Tag::Heading { .. }
                | Tag::Image { .. }
                | Tag::MetadataBlock(_),
            ) => skipped += 1,
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock
                | TagEnd::CodeBlock
                | TagEnd::Heading(_)
                | TagEnd::Image
                | TagEnd::MetadataBlock(_),
            ) => skipped = skipped.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if skipped == 0 => {
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if skipped == 0 => {
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
    }
    None
}

/// The text up to the end of its first sentence: a `.`, `!` or `?` (and any closing quotes or
/// brackets) before a space and a word that does not start in lower case, unless the word it
/// ends is an initial or a common abbreviation; or a full-width `。！？`.
fn sentence(text: &str) -> &str {
    const ABBREVIATIONS: [&str; 11] = [
        "e.g", "i.e", "vs", "mr", "mrs", "ms", "dr", "st", "prof", "cf", "fig",
    ];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '。' | '！' | '？') {
            return &text[..i + c.len_utf8()];
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, q)) = chars.peek() {
            if !matches!(q, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                break;
            }
            end = j + q.len_utf8();
            chars.next();
        }
        let rest = &text[end..];
        let Some(next) = rest.strip_prefix(' ') else {
            continue;
        };
        if next.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let word = text[..i]
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .trim_start_matches(['(', '"', '\'', '“', '‘']);
        let is_abbreviation = c == '.'
            && (word.chars().count() == 1 || ABBREVIATIONS.contains(&word.to_lowercase().as_str()));
        if !is_abbreviation {
            return &text[..end];
        }
    }
    text
}

/// At most [`SUMMARY_MAX`] characters, cut after a whole word with `…` when it is longer.
fn cap(text: &str) -> String {
    let Some((cut, _)) = text.char_indices().nth(SUMMARY_MAX) else {
        return text.to_owned();
    };
    let head = &text[..cut];
    // A word boundary in the last half; a text without spaces (CJK) is cut where it is.
    let head = match head.rfind(' ') {
        Some(space) if space > cut / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([' ', ',', ';', ':']))
}

/// Hugo shortcodes (`{{< x >}}`, `{{% x %}}`) and Jekyll, Zola or Liquid tags (`{% x %}`,
/// `{{ x }}`) removed: they are instructions to a site generator, never prose. The content of
/// the ones in [`VERBATIM`] goes with them; a tag that is never closed (`{{<` without `>}}`)
/// is kept as text.
fn strip_templates(text: &str) -> String {
    const TAGS: [(&str, &str); 4] = [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")];
    if !text.contains("{{") && !text.contains("{%") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open_at) = rest.find('{') {
        let after = &rest[open_at..];
        let Some(&(open, close)) = TAGS.iter().find(|(open, _)| after.starts_with(open)) else {
            out.push_str(&rest[..open_at + 1]);
            rest = &rest[open_at + 1..];
            continue;
        };
        let Some(close_at) = after[open.len()..].find(close) else {
            break;
        };
        let inner = &after[open.len()..open.len() + close_at];
        let mut end = open_at + open.len() + close_at + close.len();
        let name = inner
            .trim_start_matches(['-', '*', ' ', '\t', '\n'])
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        if VERBATIM.contains(&name) {
            // Hugo closes with `{{< /name >}}`, Liquid with `{% endname %}`.
            let closing = if open == "{%" {
                format!("end{name}")
            } else {
                format!("/{name}")
            };
            // Without its closing tag in sight (an unclosed one, or one past the part of the
            // body searched) all that follows is taken as its content, never as prose.
            let closed = rest[end..].find(&closing).and_then(|at| {
                let from = end + at + closing.len();
                rest[from..]
                    .find(close)
                    .map(|tail| from + tail + close.len())
            });
            end = closed.unwrap_or(rest.len());
        }
        out.push_str(&rest[..open_at]);
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Words in `text`: runs between spaces holding a letter or digit (so `#`, `---` and `|` are
/// not words), with each Chinese or Japanese character counted as a word, since those scripts
/// put no spaces between words and are read at about that many characters a minute.
/// The first `max` bytes of `text`, cut back to a character boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub(crate) fn word_count(text: &str) -> u64 {
    // A word starts at a letter or digit after whitespace; punctuation neither starts nor ends
    // one (`two-three` is one). Runs of ASCII (most text) go through a branch-free loop over a
    // class table; only other characters are decoded.
    let (mut words, mut counted) = (0u64, false);
    let mut rest = text;
    loop {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        for &b in &rest.as_bytes()[..ascii] {
            let class = ASCII_CLASS[usize::from(b)];
            let alnum = class == ALNUM;
            words += u64::from(alnum & !counted);
            counted = (counted | alnum) & (class != SPACE);
        }
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            return words;
        };
        if c.is_whitespace() {
            counted = false;
        } else if is_ideographic(c) {
            words += 1;
        } else if c.is_alphanumeric() && !counted {
            words += 1;
            counted = true;
        }
        rest = &rest[c.len_utf8()..];
    }
}

const SPACE: u8 = 0;
const ALNUM: u8 = 1;
const OTHER: u8 = 2;

/// Each byte's class for [`word_count`].
static ASCII_CLASS: [u8; 256] = {
    // Only the ASCII half is looked up.
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_whitespace() {
            SPACE
        } else if byte.is_ascii_alphanumeric() {
            ALNUM
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

fn is_ideographic(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Reading time in whole minutes, at least 1.
pub(crate) fn minutes(words: u64) -> u32 {
    let minutes = (words + WORDS_PER_MINUTE / 2) / WORDS_PER_MINUTE;
    u32::try_from(minutes).unwrap_or(u32::MAX).max(1)
}

/// The words of a file of which only the start was read: the body words counted in what was
/// read, scaled by how much of the file's body that was. `head_body_share` is the fraction of
/// the text read that is body (the rest is front matter); `read` and `len` are in bytes.
pub(crate) fn estimated_words(head_words: u64, head_body_share: f64, read: u64, len: u64) -> u64 {
    let unread = len.saturating_sub(read);
    let body_read = (read as f64 * head_body_share.clamp(0.0, 1.0)) as u64;
    if body_read == 0 || head_words == 0 {
        return head_words + unread / BYTES_PER_WORD;
    }
    let per_byte = head_words as f64 / body_read as f64;
    head_words + (unread as f64 * per_byte).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sentence_of_the_first_paragraph_is_the_summary() {
        let body =
            "# Title\n\nFolio reads *Markdown* in a [terminal](https://x.org). It is fast.\n";
        assert_eq!(
            first_sentence(body).as_deref(),
            Some("Folio reads Markdown in a terminal.")
        );
    }

    #[test]
    fn code_quotes_lists_tables_and_html_are_not_the_summary() {
        let body = "```\nfn main() {}\n```\n\n> A quote.\n\n- a list\n\n| a | b |\n|---|---|\n| c | d |\n\n<div>html</div>\n\n![alt](x.png)\n\nAt `last` <b>prose</b>!\n";
        assert_eq!(first_sentence(body).as_deref(), Some("At last prose!"));
    }

    #[test]
    fn shortcodes_and_template_tags_are_removed() {
        let body = "{{< toc >}}\n\n{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n\n\
                    {% raw %}{{ not.this }}{% endraw %}\n\n\
                    Hugo {{% param \"name\" %}}builds {{< ref \"x\" >}}sites {{ page.title }}fast.\n";
        assert_eq!(
            first_sentence(body).as_deref(),
            Some("Hugo builds sites fast.")
        );
        assert_eq!(
            first_sentence("{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\nRuby.\n")
                .as_deref(),
            Some("Ruby.")
        );
        assert_eq!(
            first_sentence("Text {{< unclosed\n").as_deref(),
            Some("Text {{< unclosed")
        );
        let code = "x = 1\n\n".repeat(400);
        let body = format!("{{{{< highlight py >}}}}\n{code}{{{{< /highlight >}}}}\n\nProse.\n");
        assert_eq!(first_sentence(&body).as_deref(), Some("Prose."));
        assert_eq!(first_sentence("{{< code >}}\nnever closed\n"), None);
    }

    #[test]
    fn abbreviations_initials_and_numbers_do_not_end_a_sentence() {
        assert_eq!(
            sentence("Tools, e.g. rustup, v1.20.0 and J. R. R. Tolkien agree. Yes."),
            "Tools, e.g. rustup, v1.20.0 and J. R. R. Tolkien agree."
        );
        assert_eq!(
            sentence("It ends. lower case goes on."),
            "It ends. lower case goes on."
        );
        assert_eq!(
            sentence("He said \"Stop.\" Then left."),
            "He said \"Stop.\""
        );
        assert_eq!(sentence("Really?! Yes."), "Really?!");
        assert_eq!(sentence("日本語の文。次の文。"), "日本語の文。");
        assert_eq!(sentence("No end at all"), "No end at all");
    }

    #[test]
    fn a_long_summary_is_cut_after_a_word() {
        let body = format!("{} end.", "word ".repeat(100));
        let summary = first_sentence(&body).unwrap_or_default();
        assert!(summary.ends_with("word…"), "{summary}");
        assert!(summary.chars().count() <= SUMMARY_MAX + 1);
        let cjk = "字".repeat(300);
        assert_eq!(
            first_sentence(&cjk).map(|s| s.chars().count()),
            Some(SUMMARY_MAX + 1)
        );
    }

    #[test]
    fn the_summary_is_sanitized() {
        let body = "Red \u{1b}[31mtext\u{202e} here.\u{7}\n";
        assert_eq!(first_sentence(body).as_deref(), Some("Red text here."));
    }

    #[test]
    fn a_first_paragraph_after_long_code_is_found() {
        let code = "let x = 1;\n".repeat(1000);
        let body = format!("```\n{code}```\n\nAfter the code. More.\n");
        assert_eq!(first_sentence(&body).as_deref(), Some("After the code."));
        let long = format!("{} then the end. Next.\n", "word ".repeat(1000));
        assert!(first_sentence(&long).is_some_and(|s| s.ends_with('…')));
    }

    #[test]
    fn a_body_without_prose_has_no_summary() {
        assert_eq!(first_sentence(""), None);
        assert_eq!(first_sentence("# Only a heading\n\n```\ncode\n```\n"), None);
        assert_eq!(
            first_sentence("---\n\n***\n\n{{< figure src=\"x\" >}}\n"),
            None
        );
    }

    #[test]
    fn markup_is_not_counted_as_words() {
        assert_eq!(word_count("# Title\n\n--- | * one two-three 4"), 4);
        assert_eq!(word_count("日本語 text"), 4);
        assert_eq!(word_count("日本語text x\u{a0}y\u{3000}z"), 7);
        assert_eq!(word_count("café naïve"), 2);
    }

    #[test]
    fn reading_time_rounds_and_is_at_least_a_minute() {
        assert_eq!(minutes(0), 1);
        assert_eq!(minutes(344), 1);
        assert_eq!(minutes(345), 2);
        assert_eq!(minutes(230 * 7), 7);
        assert_eq!(minutes(u64::MAX / 2), u32::MAX);
    }

    #[test]
    fn words_of_an_unread_tail_are_estimated_from_the_head() {
        // 1000 words in 5000 body bytes of a 10000-byte head of a 100000-byte file.
        assert_eq!(estimated_words(1000, 0.5, 10_000, 100_000), 19_000);
        assert_eq!(estimated_words(0, 0.0, 10_000, 70_000), 10_000);
        assert_eq!(estimated_words(10, 1.0, 10, 5), 10);
    }
}
