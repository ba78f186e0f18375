//! An article as the list knows it: its path, its metadata after fallbacks, and its problems.

use std::fmt;
use std::path::PathBuf;

/// A calendar date (`YYYY-MM-DD`), the only precision the list shows and sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Metadata after front matter and fallbacks; every string already sanitized.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// The article's source link (front matter `source`, `url`, `link`, ...).
    pub source: Option<String>,
}

/// One Markdown file of the library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Where to read it from (absolute or as given on the command line).
    pub path: PathBuf,
    /// Relative to the library folder, `/`-separated, sanitized: what the list and `--json` show.
    pub rel_path: String,
    pub meta: Meta,
    /// Human-readable problems found while reading it; empty when none.
    pub problems: Vec<String>,
}
