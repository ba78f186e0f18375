//! The article library: which files in a folder are articles, and what each one is called.
//!
//! `scan` finds the files, `front_matter` splits and parses their metadata, `article` applies
//! the fallbacks. Nothing here touches a terminal; every string leaving this module is sanitized.

pub mod article;
pub(crate) mod front_matter;
pub(crate) mod prose;
pub(crate) mod scan;

pub use article::{Article, Date, Meta};
pub use scan::is_markdown_path;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The order of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Newest first, undated last, ties by title.
    #[default]
    Date,
    Title,
    Path,
}

/// A folder of articles (or a single file), sorted.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub root: PathBuf,
    pub articles: Vec<Article>,
}

/// Why a library could not be opened at all (a single bad article is a problem, not an error).
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
    #[error("{0}: not a Markdown file (expected .md or .markdown)")]
    NotMarkdown(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// An article's full text for reading: the Markdown after its front matter.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub markdown: String,
    /// Problems met while reading it (too large and cut, not UTF-8, ...).
    pub problems: Vec<String>,
    /// Its local images by target, as their files' headers describe them (filled in by the
    /// reader's job when images are on).
    pub pictures: Vec<(String, crate::markdown::model::Picture)>,
}

/// How much of a file the list reads: the front matter and the start of the body.
pub const HEAD_CAP: usize = 64 * 1024;
/// How much of an article's body the list counts words in, for its reading time.
const WORD_SAMPLE: usize = 2 * 1024;
/// How much of a file the reader reads; the rest is cut with a problem message.
pub const BODY_CAP: usize = 16 * 1024 * 1024;

/// Scans `root` (a folder, or one Markdown file) and reads every article's metadata, in parallel.
pub fn load(root: &Path, sort_key: SortKey) -> Result<Library, LibraryError> {
    load_counting(root, sort_key, &AtomicUsize::new(0))
}

/// [`load`], counting the articles read so far into `progress` (the reader shows it).
pub fn load_counting(
    root: &Path,
    sort_key: SortKey,
    progress: &AtomicUsize,
) -> Result<Library, LibraryError> {
    let shown = || crate::text::sanitize_line(&root.to_string_lossy());
    let metadata = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LibraryError::NotFound(shown()),
        _ => LibraryError::Io {
            path: shown(),
            source: e,
        },
    })?;
    if metadata.is_file() {
        if !scan::is_markdown_path(root) {
            return Err(LibraryError::NotMarkdown(shown()));
        }
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let found = scan::Found {
            path: root.to_path_buf(),
            rel_path: name,
        };
        let root = root.parent().map(Path::to_path_buf).unwrap_or_default();
        return Ok(Library {
            root,
            articles: vec![read_listed(&found)],
        });
    }
    if !metadata.is_dir() {
        return Err(LibraryError::NotMarkdown(shown()));
    }
    use rayon::prelude::*;
    // The walk is fast and sequential; reading and parsing heads is the work to share out.
    // (Reading while walking, through par_bridge, measured slower.)
    let mut articles: Vec<Article> = scan::find(root)
        .par_iter()
        .map(|found| {
            progress.fetch_add(1, Ordering::Relaxed);
            read_listed(found)
        })
        .collect();
    sort(&mut articles, sort_key);
    Ok(Library {
        root: root.to_path_buf(),
        articles,
    })
}

/// For each article, what tells it apart from others with the same title: its folder (`a/`,
/// `./` at the top) when no other of them shares it, else its path. `None` for a title no
/// other article has. Titles are compared as shown, so `Intro` and `intro` need no hint.
pub fn title_hints(articles: &[Article]) -> Vec<Option<String>> {
    // Titles counted first (a map of counts, with a fast hash), then only the articles whose
    // title is shared put in title order, so that each title's articles sit together: for
    // 100,000 titles, a map holding a list per title took 65-80 ms, this about 10.
    let title = |i: usize| articles[i].meta.title.as_str();
    let mut counts: std::collections::HashMap<&str, u32, foldhash::fast::RandomState> =
        std::collections::HashMap::with_capacity_and_hasher(articles.len(), Default::default());
    for article in articles {
        *counts.entry(&article.meta.title).or_default() += 1;
    }
    let mut order: Vec<usize> = (0..articles.len())
        .filter(|&i| counts.get(title(i)).is_some_and(|&n| n > 1))
        .collect();
    order.sort_unstable_by(|&a, &b| title(a).cmp(title(b)).then(a.cmp(&b)));
    let folder = |i: usize| {
        let rel: &str = &articles[i].rel_path;
        rel.rsplit_once('/').map_or("", |(folder, _)| folder)
    };
    let mut hints = vec![None; articles.len()];
    for same in order
        .chunk_by(|&a, &b| title(a) == title(b))
        .filter(|same| same.len() > 1)
    {
        for &i in same {
            let own = folder(i);
            let shared = same.iter().filter(|&&j| folder(j) == own).count() > 1;
            hints[i] = Some(match (shared, own) {
                (true, _) => articles[i].rel_path.clone(),
                (false, "") => "./".to_owned(),
                (false, folder) => format!("{folder}/"),
            });
        }
    }
    hints
}

/// Orders articles as the list shows them: newest first with undated last, or by title or path;
/// ties fall back to title, then path, so the order is always the same.
pub fn sort(articles: &mut [Article], key: SortKey) {
    use std::cmp::Reverse;
    let title = |a: &Article| crate::markdown::inline::plain(&a.meta.title).to_lowercase();
    match key {
        SortKey::Date => sort_by_key(articles, |a| {
            (a.meta.date.is_none(), Reverse(a.meta.date), title(a))
        }),
        SortKey::Title => sort_by_key(articles, title),
        SortKey::Path => articles.sort_by(|a, b| a.rel_path.cmp(&b.rel_path)),
    }
}

/// Sorts by `key`, then path. The keys (a title's plain, lower-case text: an allocation or
/// two each) are made once per article and in parallel, then the articles are moved into
/// place, as `sort_by_cached_key` would but on every core: for 100,000 articles it was a
/// fifth of a warm `folio list`.
fn sort_by_key<K: Ord + Send>(articles: &mut [Article], key: impl Fn(&Article) -> K + Sync) {
    use rayon::prelude::*;
    let mut keyed: Vec<(K, usize)> = articles
        .par_iter()
        .enumerate()
        .map(|(i, a)| (key(a), i))
        .collect();
    keyed.par_sort_unstable_by(|(a, i), (b, j)| {
        a.cmp(b)
            .then_with(|| articles[*i].rel_path.cmp(&articles[*j].rel_path))
            .then(i.cmp(j))
    });
    // `order[j]` is where the article that belongs at `j` is now; follow each cycle once.
    let mut order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            if from == usize::MAX {
                break;
            }
            order[at] = usize::MAX;
            if from == start {
                break;
            }
            articles.swap(at, from);
            at = from;
        }
    }
}

/// One file as the list needs it: only its head is read; a failure is the article's problem.
pub(crate) fn read_listed(found: &scan::Found) -> Article {
    read_head_text(&found.path, &found.rel_path).0
}

/// The first [`HEAD_CAP`] bytes of a file as text, the article they describe, and where its
/// body starts in the text. A failure to read is the article's problem.
fn read_head_text(path: &Path, rel_path: &str) -> (Article, String, usize) {
    let mut problems = Vec::new();
    let read = scan::open_regular(path)
        .and_then(|(file, len)| Ok((scan::read_capped(file, len, HEAD_CAP)?, len)));
    let (text, cut) = match read {
        Ok(((bytes, truncated), len)) => {
            if len > BODY_CAP as u64 {
                problems.push(format!(
                    "file is {}; the reader shows only its first {}",
                    human_size(len),
                    human_size(BODY_CAP as u64)
                ));
            }
            let cut = truncated.then_some(Cut {
                read: bytes.len() as u64,
                len,
            });
            (decode(bytes, truncated, &mut problems), cut)
        }
        Err(e) => {
            problems.push(format!("could not be read: {}", io_message(&e)));
            (String::new(), None)
        }
    };
    let (article, body_start) = build(path, rel_path, &text, cut.is_some(), cut, problems);
    (article, text, body_start)
}

/// The start of an article for a preview: what the list knows of it, and the beginning of its
/// body, from the same [`HEAD_CAP`] bytes the list reads (never the whole file).
pub fn read_head(path: &Path) -> Result<(Article, Body), LibraryError> {
    if path.is_dir() || !scan::is_markdown_path(path) {
        return Err(LibraryError::NotMarkdown(crate::text::sanitize_line(
            &path.to_string_lossy(),
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (article, text, body_start) = read_head_text(path, &name);
    let body = Body {
        markdown: text[body_start..].to_owned(),
        problems: article.problems.clone(),
        pictures: Vec::new(),
    };
    Ok((article, body))
}

/// Reads one article whole for the reader: its metadata (as the list shows it) and its body.
pub fn read_article(path: &Path) -> Result<(Article, Body), LibraryError> {
    let shown = || crate::text::sanitize_line(&path.to_string_lossy());
    let io_error = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => LibraryError::NotFound(shown()),
        _ => LibraryError::Io {
            path: shown(),
            source: e,
        },
    };
    if path.is_dir() || !scan::is_markdown_path(path) {
        return Err(LibraryError::NotMarkdown(shown()));
    }
    let (file, len) = scan::open_regular(path).map_err(io_error)?;
    let (bytes, truncated) = scan::read_capped(file, len, BODY_CAP).map_err(io_error)?;
    let cut = truncated.then_some(Cut {
        read: bytes.len() as u64,
        len,
    });
    let mut problems = Vec::new();
    if truncated {
        problems.push(format!(
            "file is larger than {}; only the start is shown",
            human_size(BODY_CAP as u64)
        ));
    }
    let mut text = decode(bytes, truncated, &mut problems);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A front matter cut at 16 MiB is reported as never closed, as it always was.
    let (article, body_start) = build(path, &name, &text, false, cut, problems);
    // The body in place of the text (a big article is not copied).
    text.drain(..body_start.min(text.len()));
    let body = Body {
        markdown: text,
        problems: article.problems.clone(),
        pictures: Vec::new(),
    };
    Ok((article, body))
}

/// Bytes → text: UTF-16 with a byte-order mark is decoded, a UTF-8 one dropped, invalid UTF-8
/// decoded lossily (a problem), line endings made `\n`. A cut in the middle of a character at
/// the end of a capped read is not a problem. Valid UTF-8 becomes the text in place.
fn decode(mut bytes: Vec<u8>, truncated: bool, problems: &mut Vec<String>) -> String {
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => {
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            if bytes.contains(&0) {
                problems.push("contains NUL bytes: looks like a binary file, not text".into());
            }
            match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    let error = e.utf8_error();
                    let bytes = e.into_bytes();
                    if truncated && error.error_len().is_none() {
                        String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned()
                    } else {
                        problems.push(format!(
                            "not valid UTF-8 (first bad byte at offset {}); shown with \u{FFFD} in its place",
                            error.valid_up_to()
                        ));
                        String::from_utf8_lossy(&bytes).into_owned()
                    }
                }
            }
        }
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| word([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

/// A read that stopped before the end of the file: `read` of its `len` bytes.
#[derive(Clone, Copy, Debug)]
struct Cut {
    read: u64,
    len: u64,
}

/// Front matter, fallbacks and problems → an article, plus where its body starts in `text`.
/// `head_truncated` says an unclosed front matter may be closed past the list's head; `cut`
/// is set when `text` is only the start of the file.
fn build(
    path: &Path,
    rel_path: &str,
    text: &str,
    head_truncated: bool,
    cut: Option<Cut>,
    mut problems: Vec<String>,
) -> (Article, usize) {
    let split = front_matter::split(text);
    let too_long = || {
        format!(
            "front matter is longer than {}; ignored",
            human_size(HEAD_CAP as u64)
        )
    };
    let fields = match split.format {
        // The same cap as the list's: both show the same title for the same file.
        Some(_) if split.raw.len() > HEAD_CAP => {
            problems.push(too_long());
            Default::default()
        }
        Some(format) => {
            let (fields, found) = front_matter::parse(format, split.raw, split.raw_line);
            problems.extend(found);
            fields
        }
        None if split.unterminated && head_truncated => {
            problems.push(too_long());
            Default::default()
        }
        None if split.unterminated => {
            problems.push("front matter opened on line 1 is never closed; ignored".into());
            Default::default()
        }
        None => Default::default(),
    };
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let title = fields
        .title
        .or_else(|| article::first_heading(split.body))
        .unwrap_or_else(|| article::readable_file_name(file_name));
    // Only an article without a description needs the fallback; the list pays for no more.
    let summary = match fields.description {
        Some(_) => None,
        None => prose::first_sentence(split.body),
    };
    // Reading time is an estimate: count the words of the body's first few KiB and scale by
    // its length. Counting whole bodies was 40 % of `folio list`'s instructions (callgrind,
    // lib10k); the sample keeps short articles exact and long ones within a minute or two.
    let sample = prose::prefix(split.body, WORD_SAMPLE);
    let words = prose::word_count(sample);
    let words = if sample.len() < split.body.len() {
        let scale = split.body.len() as f64 / sample.len().max(1) as f64;
        (words as f64 * scale).round() as u64
    } else {
        words
    };
    let words = match cut {
        Some(Cut { read, len }) => {
            let share = split.body.len() as f64 / text.len().max(1) as f64;
            prose::estimated_words(words, share, read, len)
        }
        None => words,
    };
    let meta = Meta {
        title,
        description: fields.description,
        date: fields.date.or_else(|| Date::from_file_path(path)),
        authors: fields.authors,
        tags: fields.tags,
        source: fields.source,
        summary,
        minutes: prose::minutes(words),
    };
    let body_start = text.len() - split.body.len();
    let article = Article {
        path: path.to_path_buf(),
        rel_path: crate::text::sanitize_line(rel_path),
        meta,
        problems: problems
            .iter()
            .map(|p| crate::text::sanitize_line(p))
            .collect(),
    };
    (article, body_start)
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no longer exists".into(),
        _ => e.to_string(),
    }
}

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titled(rel_path: &str, title: &str) -> Article {
        Article {
            path: PathBuf::from(rel_path),
            rel_path: rel_path.to_owned(),
            meta: Meta {
                title: title.to_owned(),
                ..Meta::default()
            },
            problems: Vec::new(),
        }
    }

    #[test]
    fn sorting_moves_every_article_to_its_place_as_a_plain_sort_would() {
        use std::cmp::Reverse;
        // Few titles and dates, so ties are many and the path decides them.
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let articles: Vec<Article> = (0..2000)
            .map(|i| {
                let mut a = titled(
                    &format!("{}/{i}.md", next(9)),
                    &format!("*Title* {}", next(40)),
                );
                a.meta.date = (next(3) > 0)
                    .then(|| Date::new(2020, 1, next(28) as u8 + 1))
                    .flatten();
                a
            })
            .collect();
        for key in [SortKey::Date, SortKey::Title, SortKey::Path] {
            let mut expected = articles.clone();
            let title = |a: &Article| crate::markdown::inline::plain(&a.meta.title).to_lowercase();
            match key {
                SortKey::Date => expected.sort_by_cached_key(|a| {
                    (
                        a.meta.date.is_none(),
                        Reverse(a.meta.date),
                        title(a),
                        a.rel_path.clone(),
                    )
                }),
                SortKey::Title => expected.sort_by_cached_key(|a| (title(a), a.rel_path.clone())),
                SortKey::Path => expected.sort_by(|a, b| a.rel_path.cmp(&b.rel_path)),
            }
            let mut sorted = articles.clone();
            sort(&mut sorted, key);
            assert!(sorted == expected, "{key:?}");
        }
    }

    #[test]
    fn articles_with_the_same_title_are_told_apart_by_folder_or_path() {
        let articles = [
            titled("a/index.md", "Intro"),
            titled("b/index.md", "Intro"),
            titled("intro.md", "Intro"),
            titled("c/one.md", "Notes"),
            titled("c/two.md", "Notes"),
            titled("d/x.md", "Notes"),
            titled("e/alone.md", "Alone"),
            titled("f/x.md", "intro"),
        ];
        let hints = title_hints(&articles);
        let hint = |i: usize| hints[i].as_deref();
        assert_eq!(hint(0), Some("a/"));
        assert_eq!(hint(1), Some("b/"));
        assert_eq!(hint(2), Some("./"));
        assert_eq!(hint(3), Some("c/one.md"));
        assert_eq!(hint(4), Some("c/two.md"));
        assert_eq!(hint(5), Some("d/"));
        assert_eq!(hint(6), None);
        assert_eq!(hint(7), None);
    }
}
