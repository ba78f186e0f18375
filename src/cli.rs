//! The command line: `folio [PATH]`, `folio list`, `folio print`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::library::SortKey;
use crate::text::sanitize;

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "A calm, fast terminal reader for a folder of Markdown articles"
)]
pub struct Cli {
    /// A folder of articles (default: ./articles) or one Markdown file.
    pub path: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the library, one article a line, in the order the reader lists it.
    List(ListArgs),
    /// Render one article to stdout as the reader lays it out, then its numbered links.
    Print(PrintArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The folder of articles (default: ./articles).
    pub dir: Option<PathBuf>,
    /// Print a JSON array instead of aligned columns.
    #[arg(long)]
    pub json: bool,
    /// Order of the list.
    #[arg(long, value_enum, default_value_t = SortKey::Date)]
    pub sort: SortKey,
    /// Keep only titles that fuzzy-match QUERY, best match first.
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The Markdown file to render.
    pub file: PathBuf,
    /// Wrap at N columns (default: the terminal's width capped at 100, or 80 in a pipe).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub width: Option<u16>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Colour theme: auto, dark, light, or NAME for ~/.config/folio/themes/NAME.toml
    /// (default: $FOLIO_THEME, else auto).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour only when stdout is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    Always,
    Never,
}

/// A failure the user caused (bad path, wrong file type): one line on stderr, exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Parses the command line and runs the command. Errors become one sanitized line on stderr.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::List(args)) => crate::commands::list::run(&args),
        Some(Command::Print(args)) => crate::commands::print::run(&args),
        None => crate::app::run::run(cli.path),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let status = if err.downcast_ref::<UsageError>().is_some() {
                2
            } else {
                1
            };
            eprintln!(
                "folio: {}",
                sanitize(&format!("{err:#}")).replace('\n', " ")
            );
            ExitCode::from(status)
        }
    }
}
