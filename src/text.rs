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
pub(crate) fn shown(s: &str, width: usize) -> String {
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
/// whole ESC sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte escapes, read as a terminal
/// reads them: `tests/sanitize_fuzz.rs` checks this against vte), DEL and bidi overrides.
/// Carriage returns become newlines (`\r\n` one newline). Text stays otherwise intact.
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
            '\u{1B}' => skip_sequence(&mut chars, Sequence::Escape),
            // C1 introducers in UTF-8 open what their ESC forms open; a terminal that reads
            // them also reads the 8-bit ST (U+009C) as the end of a string.
            '\u{9B}' => skip_sequence(&mut chars, Sequence::Csi),
            '\u{9D}' => skip_sequence(&mut chars, Sequence::Osc { st8: true }),
            '\u{90}' | '\u{98}' | '\u{9E}' | '\u{9F}' => {
                skip_sequence(&mut chars, Sequence::String { st8: true });
            }
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

/// Where [`skip_sequence`] is inside an escape sequence: the states of the DEC parser that
/// terminals (xterm, vte) are built on, less what only matters for carrying one out.
#[derive(Clone, Copy, Debug)]
enum Sequence {
    /// After ESC: `[`, `]`, `P`, `X`, `^` or `_` open a longer sequence, anything else from
    /// `0` to `~` ends a two-character escape.
    Escape,
    /// After ESC and an intermediate (` ` to `/`): more of them, then one final `0` to `~`.
    EscapeIntermediate,
    /// CSI: parameters and intermediates up to one final byte `@` to `~`.
    Csi,
    /// OSC: up to BEL or ST.
    Osc { st8: bool },
    /// DCS, SOS, PM and APC: up to ST.
    String { st8: bool },
}

/// Skips the rest of an escape sequence opened in state `state`, the way a terminal reads it,
/// so that nothing of it is left to show as text or to form a sequence again.
///
/// Anywhere inside, CAN and SUB abandon the sequence and ESC starts a new one (ST is ESC `\`,
/// and an OSC ended by `ESC [` has opened a CSI); other controls and non-ASCII characters do not
/// end it: a terminal carries out the control and goes on with the sequence. `st8` says
/// whether U+009C ends the string too: it does when a C1 control opened it; after ESC, vte
/// reads on past it (but for a DCS already in its data), so folio does too.
fn skip_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, mut state: Sequence) {
    for c in chars.by_ref() {
        state = match (state, c) {
            (_, '\u{18}' | '\u{1A}') => return,
            (_, '\u{1B}') => Sequence::Escape,
            (Sequence::Escape, '[') => Sequence::Csi,
            (Sequence::Escape, ']') => Sequence::Osc { st8: false },
            (Sequence::Escape, 'P' | 'X' | '^' | '_') => Sequence::String { st8: false },
            (Sequence::Escape | Sequence::EscapeIntermediate, ' '..='/') => {
                Sequence::EscapeIntermediate
            }
            (Sequence::Escape | Sequence::EscapeIntermediate, '0'..='~') => return,
            (Sequence::Csi, '@'..='~') => return,
            (Sequence::Osc { .. }, '\u{07}') => return,
            (Sequence::Osc { st8: true } | Sequence::String { st8: true }, '\u{9C}') => return,
            (state, _) => state,
        };
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
    fn an_escape_inside_a_sequence_starts_a_new_one() {
        // Regressions found against vte: the ESC that ends an OSC may open a CSI or an SOS,
        // whose bytes were left on screen (`[`, `XA`).
        assert_eq!(sanitize("\u{1b}]a\u{1b}[\u{7}"), "");
        assert_eq!(sanitize("\u{1b}]A\u{1b}XA"), "");
        assert_eq!(sanitize("t\x1b]0;x\x1b[31mred"), "tred");
        assert_eq!(sanitize("\x1b\x1b[31mx"), "x");
    }

    #[test]
    fn controls_and_other_characters_inside_a_sequence_do_not_end_it() {
        assert_eq!(sanitize("a\x1b[3\n1mb"), "ab");
        assert_eq!(sanitize("a\x1b[3é1mb"), "ab");
        assert_eq!(sanitize("a\x1b\x07cb"), "ab");
    }

    #[test]
    fn can_and_sub_abandon_a_sequence() {
        assert_eq!(sanitize("a\x1b]0;t\x18b"), "ab");
        assert_eq!(sanitize("a\x1b[3\x1ab"), "ab");
    }

    #[test]
    fn strings_other_than_osc_end_only_at_st() {
        assert_eq!(sanitize("a\x1b_payload\x07b\x1b\\c"), "ac");
        assert_eq!(sanitize("a\x1bPq\x07b\x1b\\c"), "ac");
    }

    #[test]
    fn the_8bit_st_ends_only_strings_a_c1_control_opened() {
        assert_eq!(sanitize("a\u{9d}0;t\u{9c}b"), "ab");
        assert_eq!(sanitize("a\x1b]0;t\u{9c}b\x07c"), "ac");
        // Regression found against vte: `ESC P` then U+009C went on showing text.
        assert_eq!(sanitize("\u{1b}P 0\u{90}\u{9c}0"), "");
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
