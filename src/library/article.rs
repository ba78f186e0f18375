//! An article as the list knows it: its path, its metadata after fallbacks, and its problems.

use std::fmt;
use std::path::{Path, PathBuf};

/// A calendar date (`YYYY-MM-DD`), the only precision the list shows and sorts by.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// The article's source link (front matter `source`, `url`, `link`, ...).
    pub source: Option<String>,
    /// For an article without a description, the first sentence of its body as plain text
    /// (at most [`super::prose::SUMMARY_MAX`] characters): a second line for the list. Kept
    /// apart from `description`, which stays what the front matter says.
    pub summary: Option<String>,
    /// Reading time in minutes, at least 1 for an article that was read (0 in a `Meta` built
    /// by hand); estimated from the file's size when only its start was read.
    pub minutes: u32,
}

impl Meta {
    /// What to show under the title: the description, else the body's first sentence.
    pub fn blurb(&self) -> Option<&str> {
        self.description.as_deref().or(self.summary.as_deref())
    }
}

/// One Markdown file of the library.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Where to read it from (absolute or as given on the command line).
    pub path: PathBuf,
    /// Relative to the library folder, `/`-separated, sanitized: what the list and `--json` show.
    pub rel_path: String,
    pub meta: Meta,
    /// Human-readable problems found while reading it; empty when none.
    pub problems: Vec<String>,
}

impl Date {
    /// A date if it exists on the calendar (years 1..=9999).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Reads the date at the start of an ISO-8601 date or date-time (`2024-03-09`,
    /// `2024-03-09T10:00:00Z`, `2024-03-09 10:00 +0100`). Anything else is `None`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let date = Date::leading(s)?;
        match s.as_bytes().get(10) {
            None | Some(b'T' | b't' | b' ' | b'_') => Some(date),
            _ => None,
        }
    }

    /// The Jekyll convention: a file name starting `YYYY-MM-DD-`.
    pub fn from_file_name(name: &str) -> Option<Date> {
        let date = Date::leading(name)?;
        matches!(name.as_bytes().get(10), Some(b'-' | b'_' | b'.')).then_some(date)
    }

    /// The first `YYYY/MM/DD` or `YYYY-MM-DD` date that exists on the calendar inside an
    /// address or slug (`2019/10/15/Rustup-1.20.0`, `/blog/2019-10-15-title/`). The date must
    /// stand apart from other digits and letters before it, so `v12019-10-15` holds none.
    pub fn find_in(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        (0..b.len().saturating_sub(9)).find_map(|i| {
            let apart_before = i == 0 || !b[i - 1].is_ascii_alphanumeric();
            let apart_after = b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
            if !(apart_before && apart_after) {
                return None;
            }
            [b'-', b'/']
                .into_iter()
                .find_map(|separator| Date::at(&b[i..], separator))
        })
    }

    /// Where the file lies, for an article whose front matter has no date: a `YYYY-MM-DD-`
    /// prefix of its name (Jekyll's `_posts`), of its folder's name (a Hugo page bundle,
    /// `2019-10-15-title/index.md`), or `YYYY/MM/DD/` folders right above it or above its
    /// bundle. Folders further up are not read: they are the reader's own filing, not the
    /// article's, and a file is given the same date whether it is listed or opened alone.
    pub fn from_file_path(path: &Path) -> Option<Date> {
        let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(date) = name(path).and_then(|n| Date::from_file_name(&n)) {
            return Some(date);
        }
        let folders: Vec<String> = path.ancestors().skip(1).take(4).map_while(name).collect();
        if let Some(date) = folders.first().and_then(|folder| {
            let date = Date::leading(folder)?;
            matches!(folder.as_bytes().get(10), None | Some(b'-' | b'_' | b'.')).then_some(date)
        }) {
            return Some(date);
        }
        folders.windows(3).take(2).find_map(|w| {
            let [day, month, year] = w else { return None };
            let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
            if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
                return None;
            }
            Date::leading(&format!("{year}-{month}-{day}"))
        })
    }

    fn leading(s: &str) -> Option<Date> {
        Date::at(s.as_bytes(), b'-')
    }

    /// The date in the first ten bytes, `YYYY?MM?DD` with `separator` for `?`.
    fn at(b: &[u8], separator: u8) -> Option<Date> {
        if b.len() < 10 || b[4] != separator || b[7] != separator {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| b[r].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        let year = i32::try_from(num(0..4)?).ok()?;
        let month = u8::try_from(num(5..7)?).ok()?;
        let day = u8::try_from(num(8..10)?).ok()?;
        Date::new(year, month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_datetimes_give_their_day() {
        let d = Date::new(2024, 3, 9);
        assert!(d.is_some());
        assert_eq!(Date::parse_iso("2024-03-09"), d);
        assert_eq!(Date::parse_iso(" 2024-03-09T10:00:00Z "), d);
        assert_eq!(Date::parse_iso("2024-03-09 10:00:00 +0100"), d);
        assert_eq!(Date::parse_iso("2024-3-9"), None);
        assert_eq!(Date::parse_iso("2024-02-30"), None);
        assert_eq!(Date::parse_iso("2024-03-091"), None);
        assert_eq!(Date::parse_iso("yesterday"), None);
        assert_eq!(Date::parse_iso("２０２４-03-09"), None);
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2023, 13, 1).is_none());
        assert!(Date::new(0, 1, 1).is_none());
    }

    #[test]
    fn jekyll_file_names_carry_a_date() {
        assert_eq!(
            Date::from_file_name("2021-11-05-hello-world.md"),
            Date::new(2021, 11, 5)
        );
        assert_eq!(
            Date::from_file_name("2021-11-05.md"),
            Date::new(2021, 11, 5)
        );
        assert_eq!(Date::from_file_name("2021-11-05hello.md"), None);
        assert_eq!(Date::from_file_name("notes.md"), None);
        assert_eq!(Date::from_file_name("2021-1-05-x.md"), None);
    }

    #[test]
    fn addresses_and_slugs_carry_a_date() {
        let d = Date::new(2019, 10, 15);
        assert_eq!(Date::find_in("2019/10/15/Rustup-1.20.0"), d);
        assert_eq!(Date::find_in("/blog/2019-10-15-title/"), d);
        assert_eq!(Date::find_in("https://e.com/2019/10/15/x.html"), d);
        assert_eq!(Date::find_in("2019-10-15"), d);
        assert_eq!(Date::find_in("x_2019/10/15"), d);
    }

    #[test]
    fn impossible_or_run_together_dates_are_not_dates() {
        assert_eq!(Date::find_in("2019/13/40/title"), None);
        assert_eq!(Date::find_in("2019/02/30"), None);
        assert_eq!(Date::find_in("2019/10-15"), None);
        assert_eq!(Date::find_in("v12019-10-15"), None);
        assert_eq!(Date::find_in("2019-10-151"), None);
        assert_eq!(Date::find_in("2019/1/5/x"), None);
        assert_eq!(Date::find_in("/commands/hugo_build/"), None);
        assert_eq!(Date::find_in("2019/10/1"), None);
        assert_eq!(Date::find_in("été 2019-10-15"), Date::new(2019, 10, 15));
    }

    #[test]
    fn a_later_valid_date_is_found_after_an_invalid_one() {
        assert_eq!(
            Date::find_in("2019/13/40/2020/01/02"),
            Date::new(2020, 1, 2)
        );
    }

    #[test]
    fn file_paths_carry_a_date_in_names_or_folders() {
        let d = Date::new(2019, 10, 15);
        let date = |p: &str| Date::from_file_path(Path::new(p));
        assert_eq!(date("blog/_posts/2019-10-15-title.md"), d);
        assert_eq!(date("content/post/2019-10-15-title/index.md"), d);
        assert_eq!(date("content/post/2019-10-15/index.md"), d);
        assert_eq!(date("blog/2019/10/15/title.md"), d);
        assert_eq!(date("blog/2019/10/15/title/index.md"), d);
        assert_eq!(date("2019/10/15/title.md"), d);
        // The file's own name comes first.
        assert_eq!(date("2019/10/15/2020-01-02-x.md"), Date::new(2020, 1, 2));
    }

    #[test]
    fn file_paths_without_a_valid_nearby_date_have_none() {
        let date = |p: &str| Date::from_file_path(Path::new(p));
        assert_eq!(date("blog/2019/13/40/title.md"), None);
        assert_eq!(date("blog/2019/10/title.md"), None);
        assert_eq!(date("2019/10/15/a/b/title.md"), None);
        assert_eq!(date("2019-10-15x/index.md"), None);
        assert_eq!(date("notes/title.md"), None);
        assert_eq!(date("title.md"), None);
        assert_eq!(date(""), None);
        assert_eq!(date("/"), None);
    }

    #[test]
    fn dates_display_as_iso() {
        assert_eq!(
            Date::new(987, 1, 2).map(|d| d.to_string()),
            Some("0987-01-02".to_owned())
        );
    }
}

/// The text of the body's first level-1 heading (ATX `# Title` or setext `Title\n===`), outside
/// code blocks, with its inline markup reduced to text.
pub fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<(u8, usize)> = None;
    let mut previous: Option<&str> = None;
    for line in body.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim_start_matches(' ');
        if indent <= 3 {
            let ticks = trimmed.bytes().take_while(|&b| b == b'`').count();
            let tildes = trimmed.bytes().take_while(|&b| b == b'~').count();
            let run = match (ticks, tildes) {
                (n, _) if n >= 3 => Some((b'`', n)),
                (_, n) if n >= 3 => Some((b'~', n)),
                _ => None,
            };
            match (fence, run) {
                (None, Some(open)) => {
                    fence = Some(open);
                    previous = None;
                    continue;
                }
                (Some((c, n)), Some((c2, n2))) if c == c2 && n2 >= n => {
                    fence = None;
                    continue;
                }
                _ => {}
            }
        }
        if fence.is_some() {
            continue;
        }
        if indent <= 3 {
            if let Some(rest) = trimmed.strip_prefix('#') {
                if rest.is_empty() || rest.starts_with([' ', '\t']) {
                    let text = rest.trim().trim_end_matches('#').trim_end();
                    if let Some(title) = inline_text(text) {
                        return Some(title);
                    }
                }
            }
            let is_underline = !trimmed.is_empty() && trimmed.trim_end().bytes().all(|b| b == b'=');
            if is_underline {
                if let Some(title) = previous.and_then(inline_text) {
                    return Some(title);
                }
            }
        }
        previous = (indent <= 3
            && !trimmed.trim().is_empty()
            && !trimmed.starts_with(['#', '>', '-', '*', '+', '|', '<']))
        .then_some(line);
    }
    None
}

/// Markdown inline text → plain text, sanitized to one line; `None` when nothing is left.
fn inline_text(markdown: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(markdown.trim()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    let out = crate::text::sanitize_line(&out);
    (!out.is_empty()).then_some(out)
}

/// `2021-03-04-my_first-post.md` → `My first post`.
pub fn readable_file_name(name: &str) -> String {
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_owned();
    let undated = match Date::from_file_name(name) {
        Some(_) => stem.get(11..).unwrap_or(""),
        None => &stem,
    };
    let words = crate::text::sanitize_line(&undated.replace(['-', '_'], " "));
    let words = if words.is_empty() {
        crate::text::sanitize_line(&stem)
    } else {
        words
    };
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_owned(),
    }
}

#[cfg(test)]
mod fallback_tests {
    use super::*;

    #[test]
    fn first_heading_skips_code_and_reads_setext() {
        assert_eq!(
            first_heading("intro\n\n# The *real* `title` #\n").as_deref(),
            Some("The real title")
        );
        assert_eq!(
            first_heading("```\n# not this\n```\n## Two\n# One\n").as_deref(),
            Some("One")
        );
        assert_eq!(
            first_heading("Setext title\n=====\n").as_deref(),
            Some("Setext title")
        );
        assert_eq!(first_heading("#hashtag\n    # code\n"), None);
        assert_eq!(first_heading("~~~~\n# in code\n~~~\n# still code\n"), None);
    }

    #[test]
    fn file_names_become_readable_titles() {
        assert_eq!(
            readable_file_name("2021-03-04-my_first-post.md"),
            "My first post"
        );
        assert_eq!(readable_file_name("notes.markdown"), "Notes");
        assert_eq!(readable_file_name("2021-03-04.md"), "2021-03-04");
        assert_eq!(readable_file_name(".md"), "Untitled");
        assert_eq!(readable_file_name("\u{1b}[31mred.md"), "Red");
    }
}
