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
    /// The titles folded (lower case, no accents), to rank exact and prefix matches first.
    folded: Vec<String>,
    /// Their lengths in characters: the shorter of two equal matches comes first.
    lengths: Vec<u32>,
    /// The queries typed so far, each extending the one before, with their matches (best
    /// first): typing on narrows the last, Backspace returns to an earlier one at no cost.
    trail: Vec<(String, Vec<Match>)>,
    tricks: Tricks,
}

/// The speed-ups a [`Searcher`] uses: all of them, unless a benchmark turns one off to show
/// what it is worth (bench/RESULTS.md).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tricks {
    /// Keep earlier queries' matches: typing on rescans them, Backspace returns to them.
    pub trail: bool,
}

impl Default for Tricks {
    fn default() -> Tricks {
        Tricks { trail: true }
    }
}

/// How many earlier queries Backspace can return to without searching again.
const TRAIL_MAX: usize = 32;

impl Searcher {
    pub fn new(titles: &[&str]) -> Searcher {
        Searcher::with_tricks(titles, Tricks::default())
    }

    /// [`Searcher::new`] with only the speed-ups `tricks` names.
    #[doc(hidden)]
    pub fn with_tricks(titles: &[&str], tricks: Tricks) -> Searcher {
        let haystacks = if titles.len() < PARALLEL_FROM {
            titles.iter().map(|t| Utf32String::from(*t)).collect()
        } else {
            titles.par_iter().map(|t| Utf32String::from(*t)).collect()
        };
        let folded: Vec<String> = if titles.len() < PARALLEL_FROM {
            titles.iter().map(|t| fold_plain(t)).collect()
        } else {
            titles.par_iter().map(|t| fold_plain(t)).collect()
        };
        Searcher {
            haystacks,
            lengths: lengths(&folded),
            folded,
            trail: Vec::new(),
            tricks,
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
    /// matches everything in order. Case is ignored, and accents unless the query has them
    /// (the one rule of [`crate::fold`]).
    pub fn filter(&mut self, query: &str) -> Vec<Match> {
        let trimmed = query.trim();
        if trimmed.is_empty() {
            self.trail.clear();
            return (0..self.haystacks.len())
                .map(|index| Match { index, score: 0 })
                .collect();
        }
        // Back to a query typed before (Backspace): its matches are kept.
        if let Some(at) = self.trail.iter().position(|(q, _)| q == trimmed) {
            self.trail.truncate(at + 1);
            return self.trail[at].1.clone();
        }
        // Every atom must match, and appending to the query only adds or tightens atoms,
        // except under negation (`!ab` matches more than `!a`) or after an anchor or
        // escape (`a$` then `a$b` turns the anchor into a literal).
        let narrows =
            |previous: &str| trimmed.starts_with(previous) && !trimmed.contains(['!', '$', '\\']);
        while self.trail.last().is_some_and(|(q, _)| !narrows(q)) {
            self.trail.pop();
        }
        let candidates: Vec<usize> = match self.trail.last() {
            Some((_, matches)) => {
                // In title order, not score order: walking memory in order is 2x faster.
                let mut indices: Vec<usize> = matches.iter().map(|m| m.index).collect();
                indices.sort_unstable();
                indices
            }
            None => (0..self.haystacks.len()).collect(),
        };
        let mut matches = score_all(trimmed, &self.haystacks, &candidates);
        rank(trimmed, &self.folded, &self.lengths, &mut matches);
        if !self.tricks.trail {
            return matches;
        }
        if self.trail.len() == TRAIL_MAX {
            self.trail.remove(0);
        }
        self.trail.push((trimmed.to_owned(), matches.clone()));
        matches
    }
}

/// Lower case without accents: how titles are compared for ranking.
/// A tag as `#tag` terms, `folio list --tag` and the tags panel compare it: case and accents
/// folded away, so `Rust`, `rust` and `RUST` are one tag.
pub fn tag_key(tag: &str) -> String {
    fold_plain(tag)
}

fn fold_plain(text: &str) -> String {
    // Most titles are ASCII: nothing to take off but case.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        crate::fold::fold_char(c, false, &mut out);
    }
    out.into_iter().collect()
}

/// How plainly a title matches: the exact title, then titles starting with the query, then
/// those where it starts a word, then the rest by fuzzy score.
fn tier(query: &str, title: &str) -> u8 {
    if title == query {
        return 0;
    }
    if title.starts_with(query) {
        return 1;
    }
    let (Some(&first), bytes) = (query.as_bytes().first(), title.as_bytes()) else {
        return 3;
    };
    // Only where the query's first byte occurs (a char boundary: a string never starts with a
    // continuation byte), after something that is not a letter or digit, is it compared.
    let word_start = (1..bytes.len()).any(|at| {
        bytes[at] == first
            && title
                .get(..at)
                .and_then(|before| before.chars().next_back())
                .is_some_and(|c| !c.is_alphanumeric())
            && bytes[at..].starts_with(query.as_bytes())
    });
    if word_start { 2 } else { 3 }
}

/// Puts the plain matches first (see [`tier`]); within a tier the better score, then the
/// shorter title, then the title order.
fn rank(query: &str, folded: &[String], lengths: &[u32], matches: &mut [Match]) {
    let query = fold_plain(query);
    // One integer per match, sorted as a number: tier, score (worse is larger), the title's
    // length, its position — several times faster to sort than the tuple of them.
    let key = |m: &Match| -> u128 {
        let title = folded.get(m.index).map_or("", String::as_str);
        let tier = tier(&query, title);
        // Exact, prefix and word-start matches are all "the obvious one": shorter first.
        let score = if tier < 3 { 0 } else { u32::MAX - m.score };
        let length = lengths.get(m.index).copied().unwrap_or(u32::MAX);
        (u128::from(tier) << 120)
            | (u128::from(score) << 88)
            | (u128::from(length) << 56)
            | m.index as u128
    };
    if matches.iter().any(|m| m.index >= 1 << 56) {
        // Beyond any real library; keep the order, ranked by score alone.
        matches.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        return;
    }
    let mut keyed: Vec<(u128, u32)> = if matches.len() < PARALLEL_FROM {
        matches.iter().map(|m| (key(m), m.score)).collect()
    } else {
        matches.par_iter().map(|m| (key(m), m.score)).collect()
    };
    if keyed.len() < PARALLEL_FROM {
        keyed.sort_unstable_by_key(|(k, _)| *k);
    } else {
        keyed.par_sort_unstable_by_key(|(k, _)| *k);
    }
    for (slot, (key, score)) in matches.iter_mut().zip(keyed) {
        *slot = Match {
            index: (key & ((1 << 56) - 1)) as usize,
            score,
        };
    }
}

/// Each folded title's length in characters, for [`rank`]'s ties.
fn lengths(folded: &[String]) -> Vec<u32> {
    folded
        .iter()
        .map(|t| u32::try_from(t.chars().count()).unwrap_or(u32::MAX))
        .collect()
}

/// A title query split into its parts: `#tag` and `@author` terms filter, the rest is matched
/// against titles (`#security async`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    pub text: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
}

impl Terms {
    pub fn parse(query: &str) -> Terms {
        let mut terms = Terms::default();
        let mut text = Vec::new();
        for word in query.split_whitespace() {
            match (word.strip_prefix('#'), word.strip_prefix('@')) {
                (Some(tag), _) if !tag.is_empty() => terms.tags.push(fold_plain(tag)),
                (_, Some(author)) if !author.is_empty() => terms.authors.push(fold_plain(author)),
                _ => text.push(word),
            }
        }
        terms.text = text.join(" ");
        terms
    }

    /// Whether an article with these tags and authors passes the `#` and `@` terms: every tag
    /// named (as a whole tag), every author named (a part of a name).
    pub fn admits(&self, tags: &[String], authors: &[String]) -> bool {
        self.tags
            .iter()
            .all(|want| tags.iter().any(|t| fold_plain(t) == *want))
            && self.authors.iter().all(|want| {
                authors
                    .iter()
                    .any(|a| fold_plain(a).contains(want.as_str()))
            })
    }

    pub fn has_facets(&self) -> bool {
        !self.tags.is_empty() || !self.authors.is_empty()
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
    let pattern = Pattern::parse(query.trim(), CaseMatching::Ignore, Normalization::Smart);
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

/// The matches among `candidates`, in no set order ([`rank`] orders them). (A greedy first
/// pass with the best re-scored exactly no longer paid for itself once ranking by tier came
/// in: within ±9 % either way on 100,000 titles, bench/RESULTS.md. It is gone.)
fn score_all(query: &str, haystacks: &[Utf32String], candidates: &[usize]) -> Vec<Match> {
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
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

    #[test]
    fn tiers_tell_exact_prefix_and_word_start_matches_apart() {
        assert_eq!(tier("weight", "weight"), 0);
        assert_eq!(tier("weight", "weight of words"), 1);
        assert_eq!(tier("weight", "taxonomic weight"), 2);
        assert_eq!(tier("weight", "a (weight) in brackets"), 2);
        assert_eq!(tier("eight", "weight"), 3);
        assert_eq!(tier("eight", "weightless eight"), 2);
        // Word starts after a non-ASCII letter are not word starts; after a dash they are.
        assert_eq!(tier("sumé", "résumé"), 3);
        assert_eq!(tier("résumé", "café résumé"), 2);
        assert_eq!(tier("ré", "café-résumé"), 2);
        assert_eq!(tier("日本", "これは日本"), 3);
        assert_eq!(tier("", "anything"), 1);
    }

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
    fn large_searches_find_the_same_titles_and_rank_the_top_exactly() {
        let titles: Vec<String> = (0..20_000)
            .map(|i| {
                format!(
                    "{} render {i} wrap {}",
                    ["the", "a", "reader"][i % 3],
                    i * 7
                )
            })
            .collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        for query in ["re", "ren", "r w 1", "rdr !9", "^a", "'wrap 1"] {
            let found = filter(query, &titles);
            let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut exact: Vec<Match> = titles
                .iter()
                .enumerate()
                .filter_map(|(index, t)| {
                    let mut buf = Vec::new();
                    let score = pattern.score(Utf32Str::new(t, &mut buf), &mut matcher)?;
                    Some(Match { index, score })
                })
                .collect();
            exact.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
            // Ranked as the searcher ranks: exact, prefix and word-start matches first.
            let folded: Vec<String> = titles.iter().map(|t| fold_plain(t)).collect();
            rank(query, &folded, &lengths(&folded), &mut exact);
            let mut got: Vec<usize> = found.iter().map(|m| m.index).collect();
            let mut want: Vec<usize> = exact.iter().map(|m| m.index).collect();
            assert_eq!(found.first(), exact.first(), "{query}: the best match");
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{query}: the same titles match");
        }
    }

    /// The same titles match, and the best one is the same.
    fn assert_same_matches(got: &[Match], want: &[Match], query: &str) {
        assert_eq!(got.first(), want.first(), "{query}: the best match");
        let set = |m: &[Match]| {
            let mut v: Vec<usize> = m.iter().map(|m| m.index).collect();
            v.sort_unstable();
            v
        };
        assert!(set(got) == set(want), "{query}: the same titles match");
    }

    #[test]
    fn typing_more_narrows_the_same_way_a_fresh_search_does() {
        let titles: Vec<String> = (0..10_000).map(|i| format!("article {i} rust")).collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let mut searcher = Searcher::new(&titles);
        let mut query = String::new();
        for c in "article 12 r".chars() {
            query.push(c);
            assert_same_matches(&searcher.filter(&query), &filter(&query, &titles), &query);
        }
        // Backspace returns to earlier results; negating and replacing scan afresh.
        for q in [
            "article 1",
            "article",
            "article 12",
            "art",
            "article !1",
            "rust",
            "rust$",
            "rust$1",
        ] {
            assert_same_matches(&searcher.filter(q), &filter(q, &titles), q);
        }
    }
}

#[cfg(test)]
mod case_rule {
    use super::*;

    fn found(query: &str, titles: &[&str]) -> Vec<usize> {
        let mut indexes: Vec<usize> = filter(query, titles).iter().map(|m| m.index).collect();
        indexes.sort_unstable();
        indexes
    }

    #[test]
    fn titles_follow_the_one_case_rule() {
        let titles = ["Léo's notes", "Tomás and Tomas", "Tomas only", "LÉON"];
        assert_eq!(found("LÉO", &titles), vec![0, 3]);
        assert_eq!(found("léo", &titles), vec![0, 3]);
        assert_eq!(found("leo", &titles), vec![0, 3]);
        assert_eq!(found("tomas", &titles), vec![1, 2]);
        assert_eq!(found("tomás", &titles), vec![1]);
        assert_eq!(found("TOMÁS", &titles), vec![1]);
        assert!(!positions("LÉO", "Léo's notes").is_empty());
    }
}

#[cfg(test)]
mod ranking {
    use super::*;

    fn order(query: &str, titles: &[&str]) -> Vec<String> {
        filter(query, titles)
            .iter()
            .map(|m| titles[m.index].to_owned())
            .collect()
    }

    #[test]
    fn the_exact_title_comes_first_then_prefixes_then_word_starts() {
        let titles = [
            "Announcing Rust 1.70.0",
            "Announcing Rust 1.71.0",
            "Announcing Rust 1.7",
            "Rust 1.7 announcing nothing",
            "Announcing Rustup 1.7",
        ];
        assert_eq!(
            order("Announcing Rust 1.7", &titles)[0],
            "Announcing Rust 1.7"
        );
        let titles = [
            "The taxonomic weight of names",
            "Weight",
            "Weightless",
            "Lightweight",
        ];
        let ranked = order("weight", &titles);
        assert_eq!(
            ranked[..3],
            ["Weight", "Weightless", "The taxonomic weight of names"]
        );
        assert_eq!(ranked[3], "Lightweight");
    }

    #[test]
    fn ties_go_to_the_shorter_title() {
        let titles = ["Rust in production at scale", "Rust in production"];
        assert_eq!(order("rust in", &titles)[0], "Rust in production");
    }

    #[test]
    fn tag_and_author_terms_filter() {
        let terms = Terms::parse("#Security async @okafor");
        assert_eq!(terms.text, "async");
        assert_eq!(terms.tags, ["security"]);
        assert_eq!(terms.authors, ["okafor"]);
        let tags = vec!["security".to_owned(), "rust".to_owned()];
        let authors = vec!["Tomás Okafor".to_owned()];
        assert!(terms.admits(&tags, &authors));
        assert!(!terms.admits(&tags, &["Ada".to_owned()]));
        assert!(!terms.admits(&["securityx".to_owned()], &authors));
    }
}
