//! Fuzzy matching of titles: one matcher for the list screen and `folio list --search`.
//!
//! TEMPORARY stand-in on the tui branch (case-insensitive subsequence) with the agreed API;
//! replaced by the lead's nucleo-based module on merge.

/// One title that matched: its index in the input, its score and the char indices matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub index: usize,
    pub score: u32,
    pub positions: Vec<u32>,
}

/// A reusable matcher.
#[derive(Debug, Default)]
pub struct Searcher;

impl Searcher {
    pub fn new() -> Self {
        Searcher
    }

    /// Titles matching `query`, best first.
    pub fn filter(&mut self, query: &str, titles: &[&str]) -> Vec<Match> {
        filter(query, titles)
    }
}

/// Titles matching `query`, best first.
pub fn filter(query: &str, titles: &[&str]) -> Vec<Match> {
    let needle: Vec<char> = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = Vec::new();
    for (index, title) in titles.iter().enumerate() {
        let mut positions = Vec::new();
        let mut want = needle.iter().peekable();
        for (i, c) in title.chars().enumerate() {
            let Some(&&w) = want.peek() else { break };
            if c.to_lowercase().eq(std::iter::once(w)) {
                positions.push(i as u32);
                want.next();
            }
        }
        if want.peek().is_none() {
            let spread =
                positions.last().copied().unwrap_or(0) - positions.first().copied().unwrap_or(0);
            out.push(Match {
                index,
                score: 1000u32.saturating_sub(spread),
                positions,
            });
        }
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    out
}
