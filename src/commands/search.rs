//! `folio search`: the articles whose text holds every word of a query, best first, each with
//! a snippet; in a terminal the matching words stand out, in a pipe it is plain text.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstyle::{AnsiColor, Effects, Style};

use crate::error::UsageError;
use crate::store::fts::{self, Index, Match};
use crate::text::sanitize_line;

/// `folio search`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words that must all appear; `"a phrase"` and `prefix*` work.
    pub query: String,
    /// The folder of articles (default: ./articles).
    pub dir: Option<PathBuf>,
    /// Print a JSON array instead of text.
    #[arg(long)]
    pub json: bool,
    /// At most N articles.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,
}

/// `folio search`: through the index in the cache (brought up to date first), or, with
/// `no_state` or no cache, by reading every file.
pub(crate) fn run(args: &SearchArgs, no_state: bool) -> anyhow::Result<ExitCode> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("articles"));
    check_folder(&dir)?;
    let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
    let mut index = if no_state {
        Index::in_memory()?
    } else {
        Index::open_or_in_memory(None)?
    };
    // The query is put to the index as it stands, on a connection of its own, while the
    // folder is checked for changes beside it: when nothing changed (the usual case) that
    // answer stands, and the query costs no time of its own.
    let reader = index.reader();
    let (synced, early) = std::thread::scope(|scope| {
        let (dir, query) = (&dir, &args.query);
        let early = reader.map(|reader| scope.spawn(move || reader.search(dir, query, limit).ok()));
        let synced = index.sync(dir, &fts::Progress::default());
        (synced, early.and_then(|early| early.join().ok().flatten()))
    });
    let synced = synced?;
    let matches = match early {
        Some(matches) if synced.read == 0 && synced.removed == 0 => matches,
        _ => index.search(&dir, &args.query, limit)?,
    };
    let stdout = io::stdout();
    let styled = !args.json && stdout.is_terminal();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &matches)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        write_text(&mut out, &matches, styled)
    }
    .and_then(|()| out.flush());
    if matches.is_empty() && !args.json && styled {
        eprintln!(
            "folio: no article holds every word of {:?}",
            sanitize_line(&args.query)
        );
    }
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

/// A missing folder or a file is the caller's mistake (exit status 2).
fn check_folder(dir: &Path) -> anyhow::Result<()> {
    let shown = || sanitize_line(&dir.to_string_lossy());
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(UsageError(format!("{}: not a folder of articles", shown())).into()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(UsageError(format!("{}: no such folder", shown())).into())
        }
        Err(e) => Err(anyhow::anyhow!("{}: {e}", shown())),
    }
}

/// Each match as `title  path` and an indented snippet line.
fn write_text(out: &mut impl Write, matches: &[Match], styled: bool) -> io::Result<()> {
    let no_color = crate::theme::no_color_from_env();
    let title_style = Style::new().effects(Effects::BOLD);
    let mark_style = if no_color {
        Style::new().effects(Effects::BOLD | Effects::UNDERLINE)
    } else {
        Style::new()
            .effects(Effects::BOLD)
            .fg_color(Some(AnsiColor::Yellow.into()))
    };
    let paint = |out: &mut dyn Write, style: Style, text: &str| -> io::Result<()> {
        if styled {
            write!(out, "{style}{text}{style:#}")
        } else {
            out.write_all(text.as_bytes())
        }
    };
    for found in matches {
        paint(out, title_style, &sanitize_line(&found.title))?;
        writeln!(out, "  {}", found.path)?;
        let chars: Vec<char> = sanitize_line(&found.snippet).chars().collect();
        let mut at = 0;
        out.write_all(b"    ")?;
        for &(start, end) in &found.marks {
            let (start, end) = (start.clamp(at, chars.len()), end.min(chars.len()));
            if start >= end {
                continue;
            }
            let before: String = chars[at..start].iter().collect();
            out.write_all(before.as_bytes())?;
            let marked: String = chars[start..end].iter().collect();
            paint(out, mark_style, &marked)?;
            at = end;
        }
        let rest: String = chars[at.min(chars.len())..].iter().collect();
        writeln!(out, "{rest}")?;
    }
    Ok(())
}
