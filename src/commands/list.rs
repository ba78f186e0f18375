//! `folio list`: the library as aligned columns or JSON, in the reader's order.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use serde::Serialize;

use crate::error::UsageError;
use crate::library::SortKey;
use crate::library::{self, Article, LibraryError};
use crate::store::{ArticleState, ContentHash, Store, key_paths};
use crate::text::{display_width, sanitize_line, truncate};

/// `folio list`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The folder of articles (default: ./articles).
    pub dir: Option<PathBuf>,
    /// Print a JSON array instead of aligned columns.
    #[arg(long)]
    pub json: bool,
    /// Order of the list.
    #[arg(long, value_enum, default_value_t = Sort::Date)]
    pub sort: Sort,
    /// Keep only titles that fuzzy-match QUERY, best match first.
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,
    /// Keep only articles tagged TAG (from tags, categories or keywords; case and accents
    /// ignored). Repeat it to keep articles that have every tag named.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Keep only articles not marked read.
    #[arg(long)]
    pub unread: bool,
    /// Keep only articles saved for later.
    #[arg(long)]
    pub saved: bool,
}

/// The orders `--sort` names (the library's own [`SortKey`], as the command line spells it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    /// Newest first, undated last, ties by title.
    #[default]
    Date,
    Title,
    Path,
}

impl From<Sort> for SortKey {
    fn from(sort: Sort) -> SortKey {
        match sort {
            Sort::Date => SortKey::Date,
            Sort::Title => SortKey::Title,
            Sort::Path => SortKey::Path,
        }
    }
}

/// In a terminal too narrow for every field, the floors the tags and title columns give way
/// to in turn (see [`write_columns`]). Narrower than `TAGS_MIN`, the tags are left out.
const TAGS_MAX: usize = 30;
const TITLE_MAX: usize = 40;
const TAGS_MIN: usize = 12;
const TITLE_MIN: usize = 16;

#[derive(Clone, Copy)]
enum Column {
    Tags,
    Title,
}

/// `folio list`; the reading state is read from `state_dir` (the config's) unless `no_state`.
pub(crate) fn run(
    args: &ListArgs,
    no_state: bool,
    state_dir: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("articles"));
    let library = if no_state {
        open(&dir, args.sort.into())?
    } else {
        open_cached(&dir, args.sort.into())?
    };
    let states = if no_state {
        vec![ArticleState::default(); library.articles.len()]
    } else {
        read_states(&library, state_dir)
    };
    let shown: Vec<usize> = match &args.search {
        Some(query) => {
            // The same terms and order as the reader's `/`.
            let terms = crate::search::Terms::parse(query);
            // Titles as shown, without their inline markup.
            let plain: Vec<String> = library
                .articles
                .iter()
                .map(|a| crate::markdown::inline::plain(&a.meta.title))
                .collect();
            let titles: Vec<&str> = plain.iter().map(String::as_str).collect();
            let found: Vec<usize> = if terms.text.trim().is_empty() {
                (0..titles.len()).collect()
            } else {
                crate::search::filter(&terms.text, &titles)
                    .into_iter()
                    .map(|m| m.index)
                    .collect()
            };
            found
                .into_iter()
                .filter(|&i| {
                    let meta = &library.articles[i].meta;
                    terms.admits(&meta.tags, &meta.authors)
                })
                .collect()
        }
        None => (0..library.articles.len()).collect(),
    };
    let tagged = crate::search::Terms {
        tags: args
            .tags
            .iter()
            .map(|t| crate::search::tag_key(t.trim()))
            .collect(),
        ..Default::default()
    };
    let kept: Vec<usize> = shown
        .into_iter()
        .filter(|&i| tagged.admits(&library.articles[i].meta.tags, &[]))
        .filter(|&i| !args.unread || !states[i].read)
        .filter(|&i| !args.saved || states[i].saved)
        .collect();
    let articles: Vec<(&Article, &ArticleState)> = kept
        .iter()
        .map(|&i| (&library.articles[i], &states[i]))
        .collect();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = if args.json {
        write_json(&mut out, &articles)
    } else {
        let hints = library::title_hints(&library.articles);
        let rows: Vec<Row<'_>> = kept
            .iter()
            .map(|&i| Row {
                article: &library.articles[i],
                hint: hints[i].as_deref(),
            })
            .collect();
        let width = stdout
            .is_terminal()
            .then(crossterm::terminal::size)
            .and_then(Result::ok)
            .map(|(columns, _)| usize::from(columns))
            .filter(|&columns| columns > 0);
        write_columns(&mut out, &rows, width)
    }
    .and_then(|()| out.flush());
    // The process ends next: freeing 100,000 articles one allocation at a time measured 70 ms
    // of a 460 ms warm listing (bench/RESULTS.md), for memory the exit gives back anyway. The
    // library is plain data (no file, lock or store is held in it).
    drop(articles);
    std::mem::forget(library);
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `folio list | head` is a normal way to use it.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

/// What the store remembers about each article, in the library's order. The list is read-only
/// and must work whatever state the store is in: no store yet reads as nothing remembered (and
/// creates none), a store that cannot be opened is one warning line.
fn read_states(library: &library::Library, state_dir: Option<&Path>) -> Vec<ArticleState> {
    let nothing = || vec![ArticleState::default(); library.articles.len()];
    let warn = |e: &dyn std::fmt::Display| {
        eprintln!(
            "folio: warning: {}; listing without the reading state",
            sanitize_line(&e.to_string())
        );
    };
    let mut store = match Store::open_existing(state_dir) {
        Ok(Some(opened)) => {
            if let Some(notice) = opened.notice {
                eprintln!("folio: {}", sanitize_line(&notice));
            }
            opened.store
        }
        Ok(None) => return nothing(),
        Err(e) => {
            warn(&e);
            return nothing();
        }
    };
    let (root, paths) = match key_paths(
        &library.root,
        library.articles.iter().map(|a| a.path.as_path()),
    ) {
        Ok(keys) => keys,
        Err(e) => {
            warn(&e);
            return nothing();
        }
    };
    // Hashes are read only if an article of this library has moved (see `Store::states`).
    let hash_of = |i: usize| ContentHash::of_file(&library.articles[i].path).ok();
    match store.states(&root, &paths, hash_of) {
        Ok(states) => states.into_iter().map(Option::unwrap_or_default).collect(),
        Err(e) => {
            warn(&e);
            nothing()
        }
    }
}

/// Loads a library, turning a wrong argument into a usage error (exit status 2).
pub(crate) fn open(dir: &Path, sort: library::SortKey) -> anyhow::Result<library::Library> {
    library::load(dir, sort).map_err(library_error)
}

/// [`open`] through the cache: a second listing reads only the files that changed.
fn open_cached(dir: &Path, sort: library::SortKey) -> anyhow::Result<library::Library> {
    let progress = std::sync::atomic::AtomicUsize::new(0);
    crate::store::cache::load(dir, sort, &progress, None).map_err(library_error)
}

fn library_error(e: LibraryError) -> anyhow::Error {
    match e {
        LibraryError::NotFound(_) | LibraryError::NotMarkdown(_) => {
            UsageError(e.to_string()).into()
        }
        LibraryError::Io { .. } => anyhow::Error::new(e),
    }
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    /// The body's first sentence, for articles without a description.
    summary: Option<&'a str>,
    /// Estimated reading time in minutes.
    minutes: u32,
    date: Option<String>,
    authors: &'a [String],
    tags: &'a [String],
    source: Option<&'a str>,
    problems: &'a [String],
    read: bool,
    progress: f64,
    saved: bool,
    last_opened: Option<String>,
}

fn write_json(out: &mut impl Write, articles: &[(&Article, &ArticleState)]) -> io::Result<()> {
    let entries: Vec<Entry<'_>> = articles
        .iter()
        .map(|(a, state)| Entry {
            path: &a.rel_path,
            title: &a.meta.title,
            description: a.meta.description.as_deref(),
            summary: a.meta.summary.as_deref(),
            minutes: a.meta.minutes,
            date: a.meta.date.map(|d| d.to_string()),
            authors: &a.meta.authors,
            tags: &a.meta.tags,
            source: a.meta.source.as_deref(),
            problems: &a.problems,
            read: state.read,
            progress: state.progress,
            saved: state.saved,
            last_opened: state.last_opened.and_then(rfc3339),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

/// Unix seconds as an RFC 3339 UTC time (`2026-12-02T04:50:00Z`).
fn rfc3339(seconds: i64) -> Option<String> {
    let time =
        std::time::UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(seconds).ok()?))?;
    Some(humantime::format_rfc3339_seconds(time).to_string())
}

/// `! 2024-05-06  Title  tags  path`: a problem marker, then columns padded by display width.
///
/// `width` is the terminal's: the line must fit it, so the tags and title columns give way,
/// and if that is not enough, the end of the line (the path) is cut. Without a width (a pipe,
/// a file) every field is written whole.
fn write_columns(out: &mut impl Write, rows: &[Row<'_>], width: Option<usize>) -> io::Result<()> {
    let articles: Vec<&Article> = rows.iter().map(|row| row.article).collect();
    // A title that others share is followed by what tells it apart: `Intro (a/)`.
    let hints: Vec<Option<String>> = rows
        .iter()
        .map(|row| row.hint.map(|hint| format!("({hint})")))
        .collect();
    use rayon::prelude::*;
    // Every row's cells and then its line are made in parallel (a fifth of a warm listing of
    // 100,000 articles when made one by one), and written in order.
    let titles: Vec<String> = articles
        .par_iter()
        .zip(&hints)
        .map(|(a, hint)| {
            let title = crate::markdown::inline::plain(&a.meta.title);
            match hint {
                Some(hint) => format!("{title} {hint}"),
                None => title,
            }
        })
        .collect();
    let tags: Vec<String> = articles
        .par_iter()
        .map(|a| a.meta.tags.join(", "))
        .collect();
    let widest =
        |cells: &mut dyn Iterator<Item = &str>| cells.map(display_width).max().unwrap_or(0);
    let mut title_width = widest(&mut titles.iter().map(String::as_str));
    let mut tags_width = widest(&mut tags.iter().map(String::as_str));
    if let Some(width) = width {
        let path_width = widest(&mut articles.iter().map(|a| a.rel_path.as_str()));
        let line =
            |title: usize, tags: usize| FIXED + title + SEPARATOR + tags + SEPARATOR + path_width;
        // The tags give way first, then the title, turn about, each down to a floor; each
        // step takes only what the line is still over by.
        for (column, floor) in [
            (Column::Tags, TAGS_MAX),
            (Column::Title, TITLE_MAX),
            (Column::Tags, TAGS_MIN),
            (Column::Title, TITLE_MIN),
            (Column::Tags, 0),
        ] {
            let over = line(title_width, tags_width).saturating_sub(width);
            let cell = match column {
                Column::Tags => &mut tags_width,
                Column::Title => &mut title_width,
            };
            *cell -= over.min(cell.saturating_sub(floor));
        }
        if tags_width < TAGS_MIN {
            // A column of `…` says nothing.
            tags_width = 0;
        }
    }
    let line =
        |((article, title), (hint, tags)): ((&&Article, &String), (&Option<String>, &String))| {
            let marker = if article.problems.is_empty() {
                ' '
            } else {
                '!'
            };
            let date = article.meta.date.map(|d| d.to_string()).unwrap_or_default();
            let title = match hint {
                // The title gives way before what tells it apart, which keeps up to half.
                Some(hint) if display_width(title) > title_width => {
                    let hint = truncate(hint, title_width / 2);
                    let room = title_width.saturating_sub(display_width(&hint) + 1);
                    format!("{} {hint}", truncate(&article.meta.title, room))
                }
                _ => truncate(title, title_width),
            };
            let mut line = format!(
                "{marker} {date:<10}  {title}{}  ",
                " ".repeat(title_width - display_width(&title))
            );
            if tags_width > 0 {
                let tags = truncate(tags, tags_width);
                line.push_str(&tags);
                line.push_str(&" ".repeat(tags_width - display_width(&tags) + SEPARATOR));
            }
            line.push_str(&article.rel_path);
            line.truncate(line.trim_end().len());
            match width {
                Some(width) => truncate(&line, width),
                None => line,
            }
        };
    let rows: Vec<_> = articles
        .iter()
        .zip(&titles)
        .zip(hints.iter().zip(&tags))
        .collect();
    // Lines made a few thousand at a time into one text each, written whole.
    let chunks: Vec<String> = rows
        .par_chunks(2048)
        .map(|chunk| {
            let mut text = String::with_capacity(chunk.len() * 96);
            for &row in chunk {
                text.push_str(&line(row));
                text.push('\n');
            }
            text
        })
        .collect();
    for text in &chunks {
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// One line of the columns: an article and what tells it apart from others with its title.
struct Row<'a> {
    article: &'a Article,
    hint: Option<&'a str>,
}

/// The marker, a space, the date and the gap after it.
const FIXED: usize = 2 + 10 + SEPARATOR;
const SEPARATOR: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    fn article(rel_path: &str, title: &str) -> Article {
        Article {
            path: PathBuf::from(rel_path),
            rel_path: rel_path.to_owned(),
            meta: library::Meta {
                title: title.to_owned(),
                ..library::Meta::default()
            },
            problems: Vec::new(),
        }
    }

    fn columns(articles: &[Article], width: Option<usize>) -> Vec<String> {
        let hints = library::title_hints(articles);
        let rows: Vec<Row<'_>> = articles
            .iter()
            .zip(&hints)
            .map(|(article, hint)| Row {
                article,
                hint: hint.as_deref(),
            })
            .collect();
        let mut out = Vec::new();
        write_columns(&mut out, &rows, width).unwrap_or_default();
        String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn a_shared_title_keeps_its_folder_when_the_title_gives_way() {
        let long = "A long shared title that a narrow terminal cannot hold";
        let articles = [
            article("guides/intro.md", long),
            article("tutorials/intro.md", long),
            article("other.md", "Other"),
        ];
        let piped = columns(&articles, None);
        assert!(piped[0].contains(&format!("{long} (guides/)")), "{piped:?}");
        assert!(
            piped[1].contains(&format!("{long} (tutorials/)")),
            "{piped:?}"
        );
        assert!(!piped[2].contains('('), "{piped:?}");
        let narrow = columns(&articles, Some(60));
        for line in &narrow {
            assert!(display_width(line) <= 60, "{line:?}");
        }
        assert!(narrow[0].contains("… (guides/)"), "{narrow:?}");
        assert!(narrow[1].contains("… (tutorials/)"), "{narrow:?}");
    }
}
