//! Fuzzy matching of titles: one matcher for the list screen and `folio list --search`.
//!
//! nucleo-matcher (the matcher behind the helix editor's pickers) scores and highlights.
//! [`Searcher`] remembers the last query's matches: typing one more character can only narrow
//! them, so each keystroke rescans the previous matches, not the whole library. Large scans are
//! split across threads.

use std::cell::RefCell;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
use rayon::prelude::*;

/// One title that matches. Which characters matched is asked for separately ([`positions`]),
/// only for the rows on screen: scoring every title is the hot loop, highlighting is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index into the titles given to [`Searcher::filter`].
    pub index: usize,
    pub score: u32,
}

/// Below this many candidates one thread is faster than splitting the work.
const PARALLEL_FROM: usize = 4096;

thread_local! {
    static MATCHER: RefCell<Matcher> = RefCell::new(Matcher::new(Config::DEFAULT));
}

/// A fuzzy filter over a fixed list of titles. The titles are prepared for the matcher once
/// (grapheme segmentation is most of the cost of a naive scan), and the last query's matches
/// are kept: typing on rescans only those.
#[derive(Debug, Default)]
pub struct Searcher {
    haystacks: Vec<Utf32String>,
    /// The last query and the indices of its matches.
    last: Option<(String, Vec<usize>)>,
}

impl Searcher {
    pub fn new(titles: &[&str]) -> Searcher {
        let haystacks = if titles.len() < PARALLEL_FROM {
            titles.iter().map(|t| Utf32String::from(*t)).collect()
        } else {
            titles.par_iter().map(|t| Utf32String::from(*t)).collect()
        };
        Searcher {
            haystacks,
            last: None,
        }
    }

    /// How many titles it searches.
    pub fn len(&self) -> usize {
        self.haystacks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.haystacks.is_empty()
    }

    /// The titles matching `query`, best first (ties keep the titles' order). An empty query
    /// matches everything in order. Smart case: a capital letter makes the query case-sensitive.
    pub fn filter(&mut self, query: &str) -> Vec<Match> {
        let trimmed = query.trim();
        if trimmed.is_empty() {
            self.last = None;
            return (0..self.haystacks.len())
                .map(|index| Match { index, score: 0 })
                .collect();
        }
        // Every atom must match, and appending to the query only adds or tightens atoms,
        // except under negation (`!ab` matches more than `!a`) or after an anchor or
        // escape (`a$` then `a$b` turns the anchor into a literal).
        let candidates: Vec<usize> = match &self.last {
            Some((previous, indices))
                if trimmed.starts_with(previous.as_str())
                    && !trimmed.contains(['!', '$', '\\']) =>
            {
                indices.clone()
            }
            _ => (0..self.haystacks.len()).collect(),
        };
        let mut matches = score_all(trimmed, &self.haystacks, &candidates);
        self.last = Some((
            trimmed.to_owned(),
            matches.iter().map(|m| m.index).collect(),
        ));
        matches.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        matches
    }
}

/// One-shot filtering, for `folio list --search`.
pub fn filter(query: &str, titles: &[&str]) -> Vec<Match> {
    Searcher::new(titles).filter(query)
}

/// Char (not byte) indices of the characters of `title` that `query` matched, ascending, to
/// highlight; empty when it does not match.
pub fn positions(query: &str, title: &str) -> Vec<u32> {
    use unicode_segmentation::UnicodeSegmentation;
    let pattern = Pattern::parse(query.trim(), CaseMatching::Smart, Normalization::Smart);
    // The matcher sees one char per grapheme cluster; remember where each starts.
    let mut starts = Vec::new();
    let mut firsts = Vec::new();
    if !title.is_ascii() {
        let mut chars = 0u32;
        for grapheme in title.graphemes(true) {
            starts.push(chars);
            firsts.extend(grapheme.chars().next());
            chars += grapheme.chars().count() as u32;
        }
    }
    let haystack = if title.is_ascii() {
        Utf32Str::Ascii(title.as_bytes())
    } else {
        Utf32Str::Unicode(&firsts)
    };
    let mut indices = Vec::new();
    MATCHER.with(|matcher| pattern.indices(haystack, &mut matcher.borrow_mut(), &mut indices));
    indices.sort_unstable();
    indices.dedup();
    if title.is_ascii() {
        return indices;
    }
    indices
        .into_iter()
        .filter_map(|g| starts.get(g as usize).copied())
        .collect()
}

fn score_all(query: &str, haystacks: &[Utf32String], candidates: &[usize]) -> Vec<Match> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let run = |chunk: &[usize]| -> Vec<Match> {
        MATCHER.with(|matcher| {
            let mut matcher = matcher.borrow_mut();
            chunk
                .iter()
                .filter_map(|&index| {
                    let haystack = haystacks.get(index)?.slice(..);
                    let score = pattern.score(haystack, &mut matcher)?;
                    Some(Match { index, score })
                })
                .collect()
        })
    };
    if candidates.len() < PARALLEL_FROM {
        run(candidates)
    } else {
        let chunk = candidates.len().div_ceil(rayon::current_num_threads() * 4);
        candidates
            .par_chunks(chunk.max(1))
            .flat_map_iter(run)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLES: [&str; 5] = [
        "Rust at Dropbox",
        "Discord read states",
        "Firecracker microVMs",
        "Why Discord moved to Rust",
        "日本語のタイトル",
    ];

    #[test]
    fn best_matches_come_first_and_positions_mark_the_matched_chars() {
        let found = filter("discord", &TITLES);
        let indices: Vec<usize> = found.iter().map(|m| m.index).collect();
        assert_eq!(indices.len(), 2);
        assert!(indices.contains(&1) && indices.contains(&3));
        let first = &found[0];
        let positions = positions("discord", TITLES[first.index]);
        assert_eq!(positions.len(), 7);
        let title: Vec<char> = TITLES[first.index].chars().collect();
        let picked: String = positions.iter().map(|&i| title[i as usize]).collect();
        assert_eq!(picked.to_lowercase(), "discord");
    }

    #[test]
    fn fuzzy_subsequences_match_and_empty_query_keeps_everything() {
        assert_eq!(filter("frcrkr", &TITLES)[0].index, 2);
        assert_eq!(filter("", &TITLES).len(), 5);
        assert!(filter("zzzz", &TITLES).is_empty());
        assert!(positions("zzzz", TITLES[0]).is_empty());
        assert_eq!(filter("タイトル", &TITLES)[0].index, 4);
        assert_eq!(positions("タイトル", TITLES[4]), [4, 5, 6, 7]);
        assert_eq!(positions("ex", "ae\u{301}x"), [1, 3]);
    }

    #[test]
    fn typing_more_narrows_the_same_way_a_fresh_search_does() {
        let titles: Vec<String> = (0..10_000).map(|i| format!("article {i} rust")).collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let mut searcher = Searcher::new(&titles);
        let mut query = String::new();
        for c in "article 12 r".chars() {
            query.push(c);
            assert_eq!(searcher.filter(&query), filter(&query, &titles), "{query}");
        }
        // Deleting, negating and replacing all fall back to a full scan.
        for q in ["article 1", "article !1", "rust", "rust$", "rust$1"] {
            assert_eq!(searcher.filter(q), filter(q, &titles), "{q}");
        }
    }
}
