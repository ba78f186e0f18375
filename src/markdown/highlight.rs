//! Syntax highlighting of code blocks, loaded lazily.
//!
//! The syntax and theme sets are loaded on first use (tens of milliseconds), so start-up and
//! articles without code never pay for them. Highlighting only sets colours: the text of a
//! highlighted block is exactly the text of the plain one, so layout does not depend on it.

use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::SyntaxSet;

use rayon::prelude::*;

use super::model::{BlockKind, Document, Rgb, Role, Run, Style};

/// Bytes of code coloured per document, in reading order; the rest stays plain. syntect's
/// regex engine manages a few hundred KB/s, so this keeps a code-heavy 2 MB document from
/// costing a visible pause, while any ordinary article is coloured whole.
pub const DOCUMENT_BUDGET: usize = 16 * 1024;

/// Colours the document's code blocks with a known language, in reading order, until `budget`
/// bytes have been coloured; blocks are highlighted in parallel. Text is never changed.
pub fn apply(doc: &mut Document, budget: usize) {
    let mut left = budget;
    let mut jobs: Vec<(&str, &mut Vec<Vec<Run>>)> = Vec::new();
    for block in &mut doc.blocks {
        if let BlockKind::Code {
            lang: Some(lang),
            lines,
        } = &mut block.kind
        {
            let size: usize = lines
                .iter()
                .map(|l| l.iter().map(|r| r.text.len()).sum::<usize>() + 1)
                .sum();
            if size > left || size > MAX_BLOCK_BYTES {
                continue;
            }
            left -= size;
            jobs.push((lang.as_str(), lines));
        }
    }
    let colour = |(lang, lines): &mut (&str, &mut Vec<Vec<Run>>)| {
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|r| r.text.as_str()).collect())
            .collect();
        if let Some(coloured) = highlight(lang, &texts) {
            **lines = coloured;
        }
    };
    if jobs.len() > 1 {
        jobs.par_iter_mut().for_each(colour);
    } else {
        jobs.iter_mut().for_each(colour);
    }
}

/// Blocks larger than this stay plain: syntect's regex engine runs at a few MB/s, and a huge
/// block is data, not code anyone reads colour by colour.
pub const MAX_BLOCK_BYTES: usize = 64 * 1024;
/// Lines longer than this stay plain (minified code makes the regexes crawl).
pub const MAX_LINE_BYTES: usize = 2_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let mut set = ThemeSet::load_defaults();
        set.themes
            .remove("base16-ocean.dark")
            .or_else(|| set.themes.into_values().next())
            .unwrap_or_default()
    })
}

/// Loads the syntax and theme sets and compiles the grammars of `langs`, so the first article
/// with code in them opens without the pause (tens of milliseconds per grammar). Meant for a
/// background thread at start-up: `std::thread::spawn(|| highlight::warm_up(&["rust"]))`.
pub fn warm_up(langs: &[&str]) {
    for lang in langs {
        let _ = highlight(lang, &["x".to_owned()]);
    }
    let _ = theme();
}

/// Colours `lines` as `lang`; `None` when the language is unknown or the block too big.
/// Each returned line's runs concatenate to exactly the input line.
pub fn highlight(lang: &str, lines: &[String]) -> Option<Vec<Vec<Run>>> {
    let size: usize = lines.iter().map(|l| l.len() + 1).sum();
    if size > MAX_BLOCK_BYTES {
        return None;
    }
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))?;
    let mut highlighter = HighlightLines::new(syntax, theme());
    let mut out = Vec::with_capacity(lines.len());
    let mut line_nl = String::new();
    for line in lines {
        if line.is_empty() {
            out.push(Vec::new());
            continue;
        }
        let plain = Run {
            text: line.clone(),
            style: Style::role(Role::CodeBlock),
            link: None,
        };
        if line.len() > MAX_LINE_BYTES {
            out.push(vec![plain]);
            continue;
        }
        line_nl.clear();
        line_nl.push_str(line);
        line_nl.push('\n');
        let Ok(ranges) = highlighter.highlight_line(&line_nl, set) else {
            out.push(vec![plain]);
            continue;
        };
        let mut runs: Vec<Run> = Vec::with_capacity(ranges.len());
        for (style, piece) in ranges {
            let piece = piece.strip_suffix('\n').unwrap_or(piece);
            if piece.is_empty() {
                continue;
            }
            let fg = style.foreground;
            let style = Style {
                fg: Some(Rgb(fg.r, fg.g, fg.b)),
                ..Style::role(Role::CodeBlock)
            };
            match runs.last_mut() {
                Some(last) if last.style == style => last.text.push_str(piece),
                _ => runs.push(Run {
                    text: piece.to_owned(),
                    style,
                    link: None,
                }),
            }
        }
        // Never lose text to the highlighter.
        let joined: usize = runs.iter().map(|r| r.text.len()).sum();
        if joined == line.len() {
            out.push(runs);
        } else {
            out.push(vec![plain]);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_colours_and_keep_their_text() {
        let lines = vec!["fn main() {}".to_owned(), String::new()];
        let out = highlight("rust", &lines).unwrap_or_default();
        assert_eq!(out.len(), 2);
        let text: String = out[0].iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "fn main() {}");
        assert!(out[0].iter().any(|r| r.style.fg.is_some()));
    }

    #[test]
    fn unknown_languages_stay_plain() {
        assert!(highlight("no-such-language", &["x".to_owned()]).is_none());
    }
}
