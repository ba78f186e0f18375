//! One case rule for every finder: case ignored with full Unicode folding, accents ignored
//! unless the query has them (`tomas` finds "Tomás"; `tomás` does not find "Tomas").
//!
//! The in-article find folds both sides with this; the title search tells nucleo the same
//! rule (case ignored, normalization only for a query without accents).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A query folded for matching, and whether accents in the text must match it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Query {
    pub chars: Vec<char>,
    pub keep_accents: bool,
}

/// Whether `text` has a letter with an accent (a character whose canonical decomposition
/// carries a combining mark, or a combining mark itself).
pub(crate) fn has_accents(text: &str) -> bool {
    text.chars().any(|c| {
        if is_combining_mark(c) {
            return true;
        }
        let mut marked = false;
        decompose_canonical(c, |d| marked |= is_combining_mark(d));
        marked
    })
}

/// Folds one character of text into `out`: lower case (fully: `ẞ` → `ß`, `İ` → `i̇`), and
/// without its accents when `keep_accents` is false.
pub(crate) fn fold_char(c: char, keep_accents: bool, out: &mut Vec<char>) {
    for lower in c.to_lowercase() {
        if keep_accents || lower.is_ascii() {
            out.push(lower);
        } else {
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
}

/// Folds a query; runs of whitespace become one space (a phrase matches across line breaks).
pub(crate) fn query(text: &str) -> Query {
    let keep_accents = has_accents(text);
    let mut chars = Vec::new();
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            chars.push(' ');
            space = false;
        }
        fold_char(c, keep_accents, &mut chars);
    }
    Query {
        chars,
        keep_accents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str, keep: bool) -> String {
        let mut out = Vec::new();
        for c in text.chars() {
            fold_char(c, keep, &mut out);
        }
        out.into_iter().collect()
    }

    #[test]
    fn case_is_ignored_with_full_unicode_folding() {
        assert_eq!(query("LÉO").chars, "léo".chars().collect::<Vec<_>>());
        assert_eq!(folded("Léo", true), "léo");
        assert_eq!(folded("ΣΊΣΥΦΟΣ", true), "σίσυφοσ");
    }

    #[test]
    fn accents_are_ignored_unless_the_query_has_them() {
        let plain = query("tomas");
        assert!(!plain.keep_accents);
        assert_eq!(folded("Tomás", plain.keep_accents), "tomas");
        let accented = query("tomás");
        assert!(accented.keep_accents);
        assert_eq!(folded("Tomas", accented.keep_accents), "tomas");
        assert_ne!(
            accented.chars,
            folded("Tomas", accented.keep_accents)
                .chars()
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn whitespace_in_a_query_is_one_space() {
        assert_eq!(
            query("  because \n  the ").chars,
            "because the".chars().collect::<Vec<_>>()
        );
    }
}
