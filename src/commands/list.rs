//! `folio list`: the library as aligned columns or JSON, in the reader's order.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{ListArgs, UsageError};
use crate::library::{self, Article, LibraryError};
use crate::text::{display_width, truncate};

/// Widest title and tags columns; longer ones are cut with `…`.
const TITLE_MAX: usize = 60;
const TAGS_MAX: usize = 30;

pub fn run(args: &ListArgs) -> anyhow::Result<ExitCode> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("articles"));
    let library = open(&dir, args.sort)?;
    let articles: Vec<&Article> = match &args.search {
        Some(query) => {
            let titles: Vec<&str> = library
                .articles
                .iter()
                .map(|a| a.meta.title.as_str())
                .collect();
            crate::search::filter(query, &titles)
                .into_iter()
                .map(|m| &library.articles[m.index])
                .collect()
        }
        None => library.articles.iter().collect(),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = if args.json {
        write_json(&mut out, &articles)
    } else {
        write_columns(&mut out, &articles)
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `folio list | head` is a normal way to use it.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

/// Loads a library, turning a wrong argument into a usage error (exit status 2).
pub fn open(dir: &Path, sort: library::SortKey) -> anyhow::Result<library::Library> {
    library::load(dir, sort).map_err(|e| match e {
        LibraryError::NotFound(_) | LibraryError::NotMarkdown(_) => {
            UsageError(e.to_string()).into()
        }
        LibraryError::Io { .. } => anyhow::Error::new(e),
    })
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    date: Option<String>,
    authors: &'a [String],
    tags: &'a [String],
    source: Option<&'a str>,
    problems: &'a [String],
}

fn write_json(out: &mut impl Write, articles: &[&Article]) -> io::Result<()> {
    let entries: Vec<Entry<'_>> = articles
        .iter()
        .map(|a| Entry {
            path: &a.rel_path,
            title: &a.meta.title,
            description: a.meta.description.as_deref(),
            date: a.meta.date.map(|d| d.to_string()),
            authors: &a.meta.authors,
            tags: &a.meta.tags,
            source: a.meta.source.as_deref(),
            problems: &a.problems,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

/// `! 2024-05-06  Title  tags  path`: a problem marker, then columns padded by display width.
fn write_columns(out: &mut impl Write, articles: &[&Article]) -> io::Result<()> {
    let titles: Vec<String> = articles
        .iter()
        .map(|a| truncate(&a.meta.title, TITLE_MAX))
        .collect();
    let tags: Vec<String> = articles
        .iter()
        .map(|a| truncate(&a.meta.tags.join(", "), TAGS_MAX))
        .collect();
    let title_width = titles.iter().map(|t| display_width(t)).max().unwrap_or(0);
    let tags_width = tags.iter().map(|t| display_width(t)).max().unwrap_or(0);
    for ((article, title), tags) in articles.iter().zip(&titles).zip(&tags) {
        let marker = if article.problems.is_empty() {
            ' '
        } else {
            '!'
        };
        let date = article.meta.date.map(|d| d.to_string()).unwrap_or_default();
        let line = format!(
            "{marker} {date:<10}  {title}{}  {tags}{}  {}",
            " ".repeat(title_width - display_width(title)),
            " ".repeat(tags_width - display_width(tags)),
            article.rel_path,
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
