//! One place where untrusted text is made safe for a terminal, and one way to measure it.
//!
//! Every string that comes from an article (front matter, body, file name, URL) passes through
//! [`sanitize`] or [`sanitize_line`] before it can reach a screen, stdout or stderr.

use unicode_truncate::UnicodeTruncateStr;
use unicode_width::UnicodeWidthStr;

/// Display width in terminal columns (CJK and most emoji are two, combining marks zero).
///
/// The same measure ratatui uses, so our layout and its drawing agree.
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `width` columns, ending with `…` when something was cut.
///
/// Every screen and `folio list` cut with this one. The cut falls between grapheme clusters
/// (unicode-truncate), so an accent, a flag or a ZWJ emoji is kept whole or dropped whole, never
/// left as a dangling mark or joiner before the `…`.
pub fn truncate(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_owned();
    }
    let Some(room) = width.checked_sub(1) else {
        return String::new();
    };
    let (kept, _) = s.unicode_truncate(room);
    format!("{kept}…")
}

/// An untrusted string made fit for a one-line message: [`sanitize_line`], then cut to `width`
/// columns.
pub fn shown(s: &str, width: usize) -> String {
    truncate(&sanitize_line(s), width)
}

/// Bidirectional formatting characters that can make text display differently from its order
/// (the "Trojan Source" family).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible characters that hide what a title or URL really says. ZWJ is kept in body text
/// because emoji sequences need it; single-line fields drop it too.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// Removes everything a terminal could interpret: C0 and C1 controls (keeping `\n` and `\t`),
/// whole ESC sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte escapes), DEL and bidi
/// overrides. Carriage returns become newlines (`\r\n` one newline). Text stays otherwise intact.
pub fn sanitize(s: &str) -> String {
    clean(s, false)
}

/// [`sanitize`] for one-line fields (titles, tags, authors, file names, URLs): every run of
/// whitespace and line breaks becomes one space, zero-width characters are dropped, and the
/// result is trimmed.
pub fn sanitize_line(s: &str) -> String {
    clean(s, true)
}

fn clean(s: &str, one_line: bool) -> String {
    // Fast path: most text has nothing to remove.
    let needs_work = s.chars().any(|c| {
        c.is_control()
            || is_bidi_control(c)
            || (one_line && (is_zero_width(c) || c.is_whitespace() && c != ' '))
            || c == '\u{2028}'
            || c == '\u{2029}'
    }) || (one_line
        && (s.starts_with(' ') || s.ends_with(' ') || s.contains("  ")));
    if !needs_work {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut pending_space = false;
    let push = |out: &mut String, c: char, pending_space: &mut bool| {
        if *pending_space && !out.is_empty() {
            out.push(' ');
        }
        *pending_space = false;
        out.push(c);
    };
    while let Some(c) = chars.next() {
        match c {
            '\u{1B}' => skip_escape(&mut chars),
            // 8-bit C1 introducers that open a string (DCS, SOS, OSC, PM, APC) swallow it to ST.
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => skip_string(&mut chars),
            '\u{9B}' => skip_csi(&mut chars),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if one_line {
                    pending_space = true;
                } else {
                    out.push('\n');
                }
            }
            '\n' | '\t' | '\u{2028}' | '\u{2029}' => {
                if one_line {
                    pending_space = true;
                } else if c == '\t' {
                    out.push('\t');
                } else {
                    out.push('\n');
                }
            }
            c if c.is_control() || is_bidi_control(c) => {}
            c if one_line && is_zero_width(c) => {}
            c if one_line && c.is_whitespace() => pending_space = true,
            c => push(&mut out, c, &mut pending_space),
        }
    }
    out
}

/// Skips the rest of an escape sequence whose ESC was just read.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // nF escapes: intermediates then one final byte.
        Some(' '..='/') => {
            while let Some(&c) = chars.peek() {
                chars.next();
                if !(' '..='/').contains(&c) {
                    break;
                }
            }
        }
        // Two-character escapes (ESC 7, ESC c, ...) or a lone ESC at the end.
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in `@`..=`~`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{30}'..='\u{3F}').contains(&c) || (' '..='/').contains(&c) {
            chars.next();
        } else {
            if ('@'..='~').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// OSC/DCS/SOS/PM/APC payloads end at BEL, ST (`ESC \`) or the 8-bit ST (U+009C).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9C}' => return,
            '\u{1B}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_through_unchanged() {
        assert_eq!(sanitize("Hello, 世界 👩‍💻\n\tcode"), "Hello, 世界 👩‍💻\n\tcode");
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(sanitize("t\x1b]0;evil title\x07x"), "tx");
        assert_eq!(sanitize("c\x1b]52;c;aGVsbG8=\x1b\\d"), "cd");
        assert_eq!(
            sanitize("l\x1b]8;;http://evil\x1b\\text\x1b]8;;\x1b\\"),
            "ltext"
        );
        assert_eq!(sanitize("p\x1bP1$r\x1b\\q"), "pq");
        assert_eq!(sanitize("reset\x1bc"), "reset");
        assert_eq!(sanitize("trailing\x1b"), "trailing");
    }

    #[test]
    fn c1_controls_and_del_are_removed() {
        assert_eq!(sanitize("a\u{9b}31mb"), "ab");
        assert_eq!(sanitize("a\u{9d}0;t\u{9c}b"), "ab");
        assert_eq!(sanitize("a\u{85}b\u{7f}c\u{0}d\u{7}e\u{8}f"), "abcdef");
    }

    #[test]
    fn carriage_returns_become_newlines() {
        assert_eq!(sanitize("a\r\nb\rc"), "a\nb\nc");
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(sanitize("admin\u{202E}gnp.exe"), "admingnp.exe");
        assert_eq!(sanitize("x\u{2066}y\u{2069}"), "xy");
    }

    #[test]
    fn one_line_fields_collapse_whitespace_and_drop_zero_width() {
        assert_eq!(
            sanitize_line("  A\ttitle\r\nwith\u{200B} breaks  "),
            "A title with breaks"
        );
        assert_eq!(sanitize_line("exa\u{200D}mple.com"), "example.com");
        assert_eq!(sanitize_line("plain"), "plain");
    }

    #[test]
    fn truncation_counts_columns_and_marks_the_cut() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    #[test]
    fn truncation_keeps_grapheme_clusters_whole() {
        // Regression: cutting char by char left `e` without its accent, and a ZWJ emoji as
        // `👩` + a dangling joiner glued to the `…`.
        assert_eq!(truncate("cafe\u{301}s!", 5), "cafe\u{301}…");
        assert_eq!(truncate("ab👩\u{200d}💻cd", 5), "ab👩\u{200d}💻…");
        assert_eq!(truncate("ab👩\u{200d}💻cd", 4), "ab…");
        assert_eq!(truncate("🇩🇪🇫🇷", 3), "🇩🇪…");
        assert_eq!(truncate("日本語", 3), "日…");
    }

    #[test]
    fn shown_cleans_then_cuts_to_columns() {
        assert_eq!(shown("a\x1b[31m\nb", 10), "a b");
        assert_eq!(shown("日本語の文", 5), "日本…");
        assert_eq!(shown("abcdef", 4), "abc…");
    }

    #[test]
    fn widths_count_columns() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
    }
}
