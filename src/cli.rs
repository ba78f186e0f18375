//! The command line: `folio [PATH]`, `folio list`, `folio print`, `folio search`, `folio mark`,
//! `folio config`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use crate::commands::list::{ListArgs, Sort};
pub use crate::commands::mark::{Mark, MarkArgs};
pub use crate::commands::print::{ColorChoice, PrintArgs};
pub use crate::commands::search::SearchArgs;
pub use crate::error::UsageError;
use crate::text::sanitize;

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "A calm, fast terminal reader for a folder of Markdown articles"
)]
pub struct Cli {
    /// A folder of articles (default: the config's `library`, else ./articles) or one Markdown
    /// file.
    pub path: Option<PathBuf>,
    /// Read this config file instead of ~/.config/folio/config.toml (also FOLIO_CONFIG).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// The widest the text column gets, in columns (also FOLIO_WIDTH and `width`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,
    /// auto, dark, light or a theme file's name (also FOLIO_THEME and `theme`).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// Neither read nor write what folio remembers (reading positions, read and saved marks).
    #[arg(long, global = true)]
    pub no_state: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the library, one article a line, in the order the reader lists it.
    List(ListArgs),
    /// Render one article to stdout as the reader lays it out, then its numbered links.
    Print(PrintArgs),
    /// Search the text of every article: the ones holding all the words, best first, with a
    /// snippet.
    Search(SearchArgs),
    /// Mark articles read, unread, saved for later or not, as the reader does with `m` and `s`.
    Mark(MarkArgs),
    /// Print the configuration in force as a commented config file.
    Config(ConfigArgs),
    /// Print a shell completion script: `folio completions bash > ~/.local/share/bash-completion/completions/folio`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print folio's man page (roff): `folio man > ~/.local/share/man/man1/folio.1`.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// Only check the config file: print its problems, exit 1 if it has any.
    #[arg(long)]
    pub check: bool,
}

/// Parses the command line and runs the command. Errors become one sanitized line on stderr.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::List(ref args)) => {
            crate::commands::list::run(args, cli.no_state, state_dir(&cli).as_deref())
        }
        Some(Command::Print(ref args)) => {
            crate::commands::print::run(&with_picture_config(&cli, args))
        }
        Some(Command::Search(ref args)) => crate::commands::search::run(args, cli.no_state),
        Some(Command::Mark(ref args)) => {
            crate::commands::mark::run(args, cli.no_state, state_dir(&cli).as_deref())
        }
        Some(Command::Config(ref args)) => config_command(&cli, args),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "folio", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(anyhow::Error::from)
                .and_then(|()| {
                    std::io::Write::write_all(&mut std::io::stdout(), &page).map_err(Into::into)
                })
                .map(|()| ExitCode::SUCCESS)
        }
        None => {
            crate::allocator::purge_at_once();
            reader(&cli)
        }
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

/// The configuration in force: the file, then the environment, then the flags over it.
fn effective_config(cli: &Cli) -> anyhow::Result<crate::config::Loaded> {
    let mut loaded =
        crate::config::load(cli.config.as_deref()).map_err(|err| UsageError(err.to_string()))?;
    if let Some(value) = std::env::var_os("FOLIO_WIDTH") {
        let text = value.to_string_lossy();
        match text.trim().parse::<usize>() {
            Ok(width) if crate::config::WIDTH_RANGE.contains(&width) => {
                loaded.config.width = width;
            }
            _ => {
                return Err(UsageError(format!(
                    "FOLIO_WIDTH must be a number of columns from 20 to 1000, not {:?}",
                    crate::text::truncate(&sanitize(&text), 20)
                ))
                .into());
            }
        }
    }
    if let Some(theme) = std::env::var("FOLIO_THEME")
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        loaded.config.theme = theme.trim().to_owned();
    }
    if let Some(width) = cli.width {
        loaded.config.width = usize::from(width);
    }
    if let Some(theme) = &cli.theme {
        loaded.config.theme.clone_from(theme);
    }
    Ok(loaded)
}

/// `folio config [--check]`.
fn config_command(cli: &Cli, args: &ConfigArgs) -> anyhow::Result<ExitCode> {
    let loaded = effective_config(cli)?;
    for problem in &loaded.problems {
        eprintln!("folio: {problem}");
    }
    if args.check {
        if loaded.problems.is_empty() {
            let from = loaded.path.as_ref().map_or_else(
                || "no config file; the defaults".to_owned(),
                |p| crate::text::sanitize_line(&p.to_string_lossy()),
            );
            println!("{from}: OK");
            return Ok(ExitCode::SUCCESS);
        }
        return Ok(ExitCode::from(1));
    }
    print!(
        "{}",
        crate::config::render(&loaded.config, loaded.path.as_deref())
    );
    Ok(ExitCode::SUCCESS)
}

/// The interactive reader; piped, what bat and glow do: a file is printed, a folder listed.
fn reader(cli: &Cli) -> anyhow::Result<ExitCode> {
    let loaded = effective_config(cli)?;
    let path = cli
        .path
        .clone()
        .or_else(|| loaded.config.library.clone())
        .unwrap_or_else(|| PathBuf::from("articles"));
    if !std::io::stdout().is_terminal() {
        // Parsed like the user's own command line, so the defaults are the commands' own.
        let verb = if path.is_file() { "print" } else { "list" };
        let piped = Cli::try_parse_from([
            std::ffi::OsString::from("folio"),
            verb.into(),
            path.clone().into_os_string(),
        ])?;
        return match piped.command {
            Some(Command::Print(ref args)) => {
                crate::commands::print::run(&with_config_theme(cli, args))
            }
            Some(Command::List(ref args)) => {
                crate::commands::list::run(args, cli.no_state, state_dir(cli).as_deref())
            }
            _ => Ok(ExitCode::from(2)),
        };
    }
    let mut settings = loaded.config.settings();
    settings.problems = loaded.problems;
    // Before the reader takes the terminal: `auto` asks the terminal for its background.
    let (theme, warnings) = crate::theme::Theme::resolve(
        &loaded.config.theme,
        crate::config::config_dir().as_deref(),
        crate::theme::ColorDepth::from_env(),
        crate::theme::no_color_from_env(),
    );
    settings.problems.extend(warnings);
    settings.remember = !cli.no_state;
    crate::tui::run(path, settings, theme, loaded.config.state_dir.clone())
}

/// The config's `state_dir`, for the commands that read or write the state. A broken config
/// is the reader's to report (`folio config --check`); here it only means the default folder.
fn state_dir(cli: &Cli) -> Option<PathBuf> {
    crate::config::load(cli.config.as_deref())
        .ok()
        .and_then(|loaded| loaded.config.state_dir)
}

/// `folio print`'s arguments with the config's `theme` where neither `--theme` nor
/// `FOLIO_THEME` chose one (a flag, then the environment, then the file).
fn with_config_theme(cli: &Cli, args: &PrintArgs) -> PrintArgs {
    let mut args = args.clone();
    let env_set = std::env::var("FOLIO_THEME").is_ok_and(|t| !t.trim().is_empty());
    if args.theme.is_none() && !env_set {
        if let Ok(loaded) = crate::config::load(cli.config.as_deref()) {
            args.theme = Some(loaded.config.theme);
        }
    }
    args
}

/// `folio print`'s arguments with the config's picture settings, when `--images` asks for
/// pictures. A config that cannot be read means the defaults: the reader reports its problems.
fn with_picture_config(cli: &Cli, args: &PrintArgs) -> PrintArgs {
    let mut args = args.clone();
    if args.images {
        if let Ok(loaded) = crate::config::load(cli.config.as_deref()) {
            let config = loaded.config;
            args.pictures = crate::commands::print_pictures::PictureConfig {
                images: config.images,
                image_rows: config.image_rows,
                site_root: config.site_root,
                library: config.library,
            };
        }
    }
    args
}
