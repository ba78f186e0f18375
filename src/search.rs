//! Fuzzy matching of titles: one matcher for the list screen and `folio list --search`.
//!
//! nucleo-matcher (the matcher behind the helix editor's pickers) scores and highlights.
//! [`Searcher`] remembers the last query's matches: typing one more character can only narrow
//! them, so each keystroke rescans the previous matches, not the whole library. Large scans are
//! split across threads.

use std::cell::RefCell;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

/// One title that matches, with the char indices to highlight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index into the titles given to [`Searcher::filter`].
    pub index: usize,
    pub score: u32,
    /// Char (not byte) indices of the matched characters, ascending.
    pub positions: Vec<u32>,
}

/// Below this many candidates one thread is faster than splitting the work.
const PARALLEL_FROM: usize = 4096;

thread_local! {
    static MATCHER: RefCell<Matcher> = RefCell::new(Matcher::new(Config::DEFAULT));
}

/// A fuzzy filter that reuses its previous result when the query grows.
#[derive(Debug, Default)]
pub struct Searcher {
    /// The last query and the indices of its matches.
    last: Option<(String, Vec<usize>)>,
    /// How many titles the last query ran over (a different list invalidates `last`).
    titles_len: usize,
}

impl Searcher {
    pub fn new() -> Searcher {
        Searcher::default()
    }

    /// The titles matching `query`, best first (ties keep the titles' order). An empty query
    /// matches everything in order. Smart case: a capital letter makes the query case-sensitive.
    pub fn filter(&mut self, query: &str, titles: &[&str]) -> Vec<Match> {
        let trimmed = query.trim();
        if trimmed.is_empty() {
            self.last = None;
            return (0..titles.len())
                .map(|index| Match {
                    index,
                    score: 0,
                    positions: Vec::new(),
                })
                .collect();
        }
        let narrowing = match &self.last {
            // Every atom must match, and appending to the query only adds or tightens atoms,
            // except under negation (`!ab` matches more than `!a`) or after an anchor or
            // escape (`a$` then `a$b` turns the anchor into a literal).
            Some((previous, _)) => {
                self.titles_len == titles.len()
                    && trimmed.starts_with(previous.as_str())
                    && !trimmed.contains(['!', '$', '\\'])
            }
            None => false,
        };
        let candidates: Vec<usize> = match (&self.last, narrowing) {
            (Some((_, indices)), true) => indices.clone(),
            _ => (0..titles.len()).collect(),
        };
        let matches = score_all(trimmed, titles, &candidates);
        self.last = Some((
            trimmed.to_owned(),
            matches.iter().map(|m| m.index).collect(),
        ));
        self.titles_len = titles.len();
        let mut matches = matches;
        matches.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        matches
    }
}

/// One-shot filtering, for `folio list --search`.
pub fn filter(query: &str, titles: &[&str]) -> Vec<Match> {
    Searcher::new().filter(query, titles)
}

fn score_all(query: &str, titles: &[&str], candidates: &[usize]) -> Vec<Match> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let run = |chunk: &[usize]| -> Vec<Match> {
        MATCHER.with(|matcher| {
            let mut matcher = matcher.borrow_mut();
            let mut buf = Vec::new();
            let mut out = Vec::new();
            for &index in chunk {
                let Some(title) = titles.get(index) else {
                    continue;
                };
                let haystack = Utf32Str::new(title, &mut buf);
                if let Some(score) = pattern.score(haystack, &mut matcher) {
                    out.push(Match {
                        index,
                        score,
                        positions: Vec::new(),
                    });
                }
            }
            // Highlights only for what matched: scoring alone is the hot loop.
            for m in &mut out {
                let haystack = Utf32Str::new(titles[m.index], &mut buf);
                pattern.indices(haystack, &mut matcher, &mut m.positions);
                m.positions.sort_unstable();
                m.positions.dedup();
            }
            out
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
    fn best_matches_come_first_with_positions() {
        let found = filter("discord", &TITLES);
        let indices: Vec<usize> = found.iter().map(|m| m.index).collect();
        assert_eq!(indices.len(), 2);
        assert!(indices.contains(&1) && indices.contains(&3));
        let first = &found[0];
        assert_eq!(first.positions.len(), 7);
        let title: Vec<char> = TITLES[first.index].chars().collect();
        let picked: String = first.positions.iter().map(|&i| title[i as usize]).collect();
        assert_eq!(picked.to_lowercase(), "discord");
    }

    #[test]
    fn fuzzy_subsequences_match_and_empty_query_keeps_everything() {
        assert_eq!(filter("frcrkr", &TITLES)[0].index, 2);
        assert_eq!(filter("", &TITLES).len(), 5);
        assert!(filter("zzzz", &TITLES).is_empty());
        assert_eq!(filter("タイトル", &TITLES)[0].index, 4);
    }

    #[test]
    fn typing_more_narrows_the_same_way_a_fresh_search_does() {
        let mut searcher = Searcher::new();
        let titles: Vec<String> = (0..10_000).map(|i| format!("article {i} rust")).collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let mut query = String::new();
        for c in "article 12 r".chars() {
            query.push(c);
            assert_eq!(
                searcher.filter(&query, &titles),
                filter(&query, &titles),
                "{query}"
            );
        }
        // Deleting, negating and replacing all fall back to a full scan.
        for q in ["article 1", "article !1", "rust", "rust$", "rust$1"] {
            assert_eq!(searcher.filter(q, &titles), filter(q, &titles), "{q}");
        }
    }
}
