//! `config.toml`: where it is, what it may say, and what folio does with what it cannot use.
//!
//! Every entry is checked on its own: an unknown entry, a value of the wrong type, an unknown
//! key name or command gives one line naming the file, the line and the entry, and that entry
//! keeps its default. Nothing in a config file stops folio from starting.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::app::keymap::{Context, Key, Keymap};
use crate::app::{Command, Settings};
use crate::text::sanitize_line;

/// The narrowest and widest text column a user may ask for.
pub(crate) const WIDTH_RANGE: std::ops::RangeInclusive<usize> = 20..=1000;
/// Config files are small; a bigger one is a mistake, not a configuration.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// How prose is filled: the layout's own setting.
pub(crate) use crate::markdown::Wrap;

/// The config file's name for a wrap mode.
fn wrap_name(wrap: Wrap) -> &'static str {
    match wrap {
        Wrap::Optimal => "optimal",
        Wrap::Greedy => "greedy",
    }
}

/// The configuration in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Config {
    /// The folder opened when no PATH is given.
    pub library: Option<PathBuf>,
    /// The widest the text column gets.
    pub width: usize,
    /// `auto`, `dark`, `light` or a theme file's name.
    pub theme: String,
    pub wrap: Wrap,
    /// Where the reading state is kept (else `$XDG_STATE_HOME/folio`).
    pub state_dir: Option<PathBuf>,
    pub keymap: Keymap,
    /// Whether and how pictures are drawn.
    pub images: ImageMode,
    /// The most rows a picture takes in the text (0: a third of the screen).
    pub image_rows: usize,
    /// Where site-root image paths (`/images/x.png`) are looked up first.
    pub site_root: Option<PathBuf>,
}

pub(crate) use crate::app::ImageMode;

impl Default for Config {
    fn default() -> Self {
        Config {
            library: None,
            width: 100,
            theme: "auto".into(),
            wrap: Wrap::default(),
            state_dir: None,
            keymap: Keymap::default(),
            images: ImageMode::default(),
            image_rows: 0,
            site_root: None,
        }
    }
}

impl Config {
    /// The settings the interactive app needs.
    pub(crate) fn settings(&self) -> Settings {
        Settings {
            max_width: self.width,
            wrap: self.wrap,
            keymap: self.keymap.clone(),
            problems: Vec::new(),
            remember: false,
            images: self.images,
            image_rows: self.image_rows,
            site_root: self.site_root.clone(),
        }
    }
}

/// A config read from somewhere, with what was wrong in it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Loaded {
    pub config: Config,
    /// Where it came from; `None` when no file exists and the defaults are in force.
    pub path: Option<PathBuf>,
    /// One line per entry that could not be used.
    pub problems: Vec<String>,
}

/// Why no configuration could be read at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    #[error("{0}: no such config file")]
    Missing(String),
}

/// Where the config file is: `--config`, then `FOLIO_CONFIG`, then the XDG config folder.
/// The bool is true when the user named it (so it must exist).
pub(crate) fn locate(flag: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(path) = flag {
        return Some((path.to_path_buf(), true));
    }
    if let Some(path) = std::env::var_os("FOLIO_CONFIG").filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    config_dir().map(|dir| (dir.join("config.toml"), false))
}

/// `$XDG_CONFIG_HOME/folio`, or `~/.config/folio`.
pub(crate) fn config_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    xdg.or_else(|| home().map(|h| h.join(".config")))
        .map(|dir| dir.join("folio"))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Reads the config the command line and environment point at.
pub(crate) fn load(flag: Option<&Path>) -> Result<Loaded, ConfigError> {
    let Some((path, named)) = locate(flag) else {
        return Ok(Loaded::default());
    };
    let shown = sanitize_line(&path.to_string_lossy());
    let text = match read_capped(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if named {
                return Err(ConfigError::Missing(shown));
            }
            return Ok(Loaded::default());
        }
        Err(err) => {
            return Ok(Loaded {
                config: Config::default(),
                path: Some(path),
                problems: vec![format!("{shown}: {err}; using the defaults")],
            });
        }
    };
    let (config, problems) = parse(&text, &shown);
    Ok(Loaded {
        config,
        path: Some(path),
        problems,
    })
}

fn read_capped(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::other("larger than 1 MiB"));
    }
    String::from_utf8(bytes).map_err(|_| std::io::Error::other("not UTF-8 text"))
}

/// Where a problem is: `file:line`.
struct Place<'a> {
    file: &'a str,
    text: &'a str,
}

impl Place<'_> {
    fn at(&self, span: Range<usize>) -> String {
        let end = span.start.min(self.text.len());
        let line = self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        format!("{}:{line}", self.file)
    }
}

/// Reads a config file's text. `file` names it in messages.
pub(crate) fn parse(text: &str, file: &str) -> (Config, Vec<String>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let place = Place { file, text };
    let (table, errors) = DeTable::parse_recoverable(text);
    for error in errors {
        let at = error
            .span()
            .map_or_else(|| file.to_owned(), |s| place.at(s));
        let message = sanitize_line(error.message().lines().next().unwrap_or("invalid TOML"));
        problems.push(format!("{at}: {message}"));
    }
    for (key, value) in table.get_ref() {
        let at = place.at(key.span());
        let name = sanitize_line(key.get_ref());
        let value = value.get_ref();
        match key.get_ref().as_ref() {
            "library" => match value.as_str() {
                Some(path) if !path.trim().is_empty() => config.library = Some(expand_home(path)),
                _ => problems.push(format!(
                    "{at}: `library` must be the path of a folder, as a string"
                )),
            },
            "width" => match value.as_integer().and_then(integer) {
                Some(width) if WIDTH_RANGE.contains(&width) => config.width = width,
                _ => problems.push(format!(
                    "{at}: `width` must be a number of columns from 20 to 1000; using {}",
                    config.width
                )),
            },
            "theme" => match value.as_str() {
                Some(theme) if !theme.trim().is_empty() => config.theme = theme.trim().into(),
                _ => problems.push(format!(
                    "{at}: `theme` must be \"auto\", \"dark\", \"light\" or a theme file's name"
                )),
            },
            "state_dir" => match value.as_str() {
                Some(path) if !path.trim().is_empty() => config.state_dir = Some(expand_home(path)),
                _ => problems.push(format!(
                    "{at}: `state_dir` must be the path of a folder, as a string"
                )),
            },
            "wrap" => match value.as_str() {
                Some("optimal") => config.wrap = Wrap::Optimal,
                Some("greedy") => config.wrap = Wrap::Greedy,
                _ => problems.push(format!(
                    "{at}: `wrap` must be \"optimal\" or \"greedy\"; using \"optimal\""
                )),
            },
            "images" => match value.as_str().and_then(ImageMode::from_name) {
                Some(mode) => config.images = mode,
                None => problems.push(format!(
                    "{at}: `images` must be \"auto\", \"halfblocks\" or \"off\"; using \"auto\""
                )),
            },
            "image_rows" => match value.as_integer().and_then(integer) {
                Some(rows) if rows <= 1000 => config.image_rows = rows,
                _ => problems.push(format!(
                    "{at}: `image_rows` must be a number of rows from 0 (a third of the screen) to 1000"
                )),
            },
            "site_root" => match value.as_str() {
                Some(path) if !path.trim().is_empty() => config.site_root = Some(expand_home(path)),
                _ => problems.push(format!(
                    "{at}: `site_root` must be the path of a folder, as a string"
                )),
            },
            "keys" => match value.as_table() {
                Some(contexts) => keys(&mut config.keymap, contexts, &place, &mut problems),
                None => problems.push(format!("{at}: `keys` must be tables such as [keys.reader]")),
            },
            _ => problems.push(format!("{at}: unknown entry `{name}`; it is ignored")),
        }
    }
    // In the order of the file, whatever order the table keeps.
    let line = |p: &String| -> usize {
        p.get(file.len() + 1..)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    problems.sort_by_key(line);
    (config, problems)
}

fn integer(value: &toml::de::DeInteger<'_>) -> Option<usize> {
    usize::from_str_radix(&value.as_str().replace('_', ""), value.radix()).ok()
}

/// `~/x` → `$HOME/x`; anything else as written.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), home()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if path == "~" => home().unwrap_or_else(|| PathBuf::from(path)),
        _ => PathBuf::from(path),
    }
}

fn keys(
    keymap: &mut Keymap,
    contexts: &DeTable<'_>,
    place: &Place<'_>,
    problems: &mut Vec<String>,
) {
    for (context_name, bindings) in contexts {
        let at = place.at(context_name.span());
        let shown = sanitize_line(context_name.get_ref());
        let Some(context) = Context::from_name(context_name.get_ref()) else {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            problems.push(format!(
                "{at}: unknown key context [keys.{shown}] (known: {})",
                known.join(", ")
            ));
            continue;
        };
        let Some(bindings) = bindings.get_ref().as_table() else {
            problems.push(format!(
                "{at}: [keys.{shown}] must be a table of \"key\" = \"command\""
            ));
            continue;
        };
        for (key, command) in bindings {
            bind(keymap, context, key, command, place, problems);
        }
    }
}

fn bind(
    keymap: &mut Keymap,
    context: Context,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    command: &Spanned<DeValue<'_>>,
    place: &Place<'_>,
    problems: &mut Vec<String>,
) {
    let at = place.at(key.span());
    let entry = format!(
        "[keys.{}] \"{}\"",
        context.name(),
        sanitize_line(key.get_ref())
    );
    let parsed = match Key::parse(key.get_ref()) {
        Ok(parsed) => parsed,
        Err(why) => {
            problems.push(format!("{at}: {entry}: {}", sanitize_line(&why)));
            return;
        }
    };
    let command = match command.get_ref().as_str() {
        Some("none") => None,
        Some(name) => match Command::from_name(name) {
            Some(command) => Some(command),
            None => {
                problems.push(format!(
                    "{at}: {entry}: unknown command `{}` (`folio config` lists them)",
                    sanitize_line(name)
                ));
                return;
            }
        },
        None => {
            problems.push(format!(
                "{at}: {entry}: the command must be a string such as \"quit\" or \"none\""
            ));
            return;
        }
    };
    if let Err(why) = keymap.bind(context, parsed, command) {
        problems.push(format!("{at}: {entry}: {why}"));
    }
}

/// The configuration as a commented TOML file a user can start from: it reads back as the
/// same configuration.
pub(crate) fn render(config: &Config, source: Option<&Path>) -> String {
    let mut out = String::new();
    let from = source.map_or_else(
        || "the built-in defaults".to_owned(),
        |p| sanitize_line(&p.to_string_lossy()),
    );
    let _ = writeln!(out, "# folio's configuration in force, from {from}.");
    let _ = writeln!(
        out,
        "# Save it as ~/.config/folio/config.toml (or $XDG_CONFIG_HOME/folio/config.toml) and edit.\n"
    );
    out.push_str("# The folder opened when no PATH is given (without it: ./articles).\n");
    match &config.library {
        Some(path) => {
            let _ = writeln!(out, "library = {}", quote(&path.to_string_lossy()));
        }
        None => out.push_str("# library = \"~/reading\"\n"),
    }
    out.push_str("\n# The widest the text column gets, in columns (20 to 1000; FOLIO_WIDTH).\n");
    let _ = writeln!(out, "width = {}", config.width);
    out.push_str(
        "\n# auto (ask the terminal), dark, light, or the name of a file in the themes folder\n\
         # (~/.config/folio/themes/NAME.toml; FOLIO_THEME).\n",
    );
    let _ = writeln!(out, "theme = {}", quote(&config.theme));
    out.push_str(
        "\n# Where positions and marks are kept (FOLIO_STATE_DIR; without it:\n\
         # $XDG_STATE_HOME/folio, or ~/.local/state/folio).\n",
    );
    match &config.state_dir {
        Some(path) => {
            let _ = writeln!(out, "state_dir = {}", quote(&path.to_string_lossy()));
        }
        None => out.push_str("# state_dir = \"~/.local/state/folio\"\n"),
    }
    out.push_str("\n# How prose is filled: optimal (fewest ragged lines) or greedy.\n");
    let _ = writeln!(out, "wrap = {}", quote(wrap_name(config.wrap)));
    out.push_str(
        "\n# Pictures: auto (the terminal's graphics protocol, else half-blocks), halfblocks,\n\
         # or off (labels only).\n",
    );
    let _ = writeln!(out, "images = {}", quote(config.images.name()));
    out.push_str("\n# The most rows a picture takes (0: a third of the screen).\n");
    let _ = writeln!(out, "image_rows = {}", config.image_rows);
    out.push_str("\n# Where site-root image paths (/images/x.png) are found, besides the library\n# folder and its static/ folder.\n");
    match &config.site_root {
        Some(path) => {
            let _ = writeln!(out, "site_root = {}", quote(&path.to_string_lossy()));
        }
        None => out.push_str("# site_root = \"~/site/static\"\n"),
    }
    out.push_str(
        "\n# Keys, per context: \"key\" = \"command\", or \"none\" to unbind a key.\n\
         # Key names: \"x\", \"G\" (or \"shift-g\"), \"ctrl-d\", \"alt-x\", \"space\", \"enter\", \"esc\",\n\
         # \"tab\", \"shift-tab\", \"backspace\", \"up\", \"down\", \"left\", \"right\", \"home\", \"end\",\n\
         # \"pageup\", \"pagedown\", \"f1\" … Ctrl-C always quits.\n\
         # Commands:\n",
    );
    for command in Command::ALL {
        let _ = writeln!(out, "#   {:<15} {}", command.name(), command.description());
    }
    let defaults = Keymap::default();
    for &context in Context::ALL {
        let _ = write!(out, "\n[keys.{}]\n", context.name());
        for entry in config.keymap.entries(context) {
            // Read back, each new key goes in front of the command's keys: write them last
            // first so they come back in this order.
            for key in entry.keys.iter().rev() {
                let _ = writeln!(
                    out,
                    "{} = {}",
                    quote(&key_name(key)),
                    quote(entry.command.name())
                );
            }
        }
        // A default key the user unbound must stay unbound when this file is read back.
        for entry in defaults.entries(context) {
            for key in &entry.keys {
                let bound = config.keymap.entries(context).any(|e| e.keys.contains(key));
                if !bound {
                    let _ = writeln!(out, "{} = \"none\"", quote(&key_name(key)));
                }
            }
        }
    }
    out
}

/// A key as the config file names it (the inverse of [`Key::parse`]).
fn key_name(key: &Key) -> String {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut out = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) {
        out.push_str("ctrl-");
    }
    if key.mods.contains(KeyModifiers::ALT) {
        out.push_str("alt-");
    }
    let name = match key.code {
        KeyCode::Char(' ') => "space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Delete => "delete".into(),
        KeyCode::Insert => "insert".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        KeyCode::F(n) => format!("f{n}"),
        other => format!("{other:?}").to_lowercase(),
    };
    out.push_str(&name);
    out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn the_example_from_the_issue_reads_without_problems() {
        let text = "library = \"/srv/reading\"\nwidth = 90\ntheme = \"light\"\nwrap = \"greedy\"\n\
                    [keys.list]\n\"x\" = \"quit\"\n[keys.reader]\n\"ctrl-d\" = \"half_page_down\"\n";
        let (config, problems) = parse(text, "config.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.library, Some(PathBuf::from("/srv/reading")));
        assert_eq!(config.width, 90);
        assert_eq!(config.theme, "light");
        assert_eq!(config.wrap, Wrap::Greedy);
        let x = config.keymap.msg_for(Context::List, &press('x'));
        assert!(matches!(x, Some(crate::app::Msg::Cmd(Command::Quit))));
    }

    #[test]
    fn each_bad_entry_names_file_line_and_entry_and_keeps_its_default() {
        let text = "width = \"wide\"\ncolour = 3\n[keys.list]\n\"x\" = \"fly\"\n\
                    \"hyper-x\" = \"quit\"\n\"y\" = \"next_link\"\n\"ctrl-c\" = \"top\"\n\
                    \"z\" = 3\n[keys.nowhere]\n\"a\" = \"quit\"\n";
        let (config, problems) = parse(text, "cfg.toml");
        let expect = [
            ("cfg.toml:1:", "`width`"),
            ("cfg.toml:2:", "unknown entry `colour`"),
            ("cfg.toml:4:", "unknown command `fly`"),
            ("cfg.toml:5:", "unknown modifier"),
            ("cfg.toml:6:", "`next_link` means nothing in [keys.list]"),
            ("cfg.toml:7:", "Ctrl-C always quits"),
            ("cfg.toml:8:", "must be a string"),
            ("cfg.toml:9:", "unknown key context [keys.nowhere]"),
        ];
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");
        for ((at, what), problem) in expect.iter().zip(&problems) {
            assert!(
                problem.starts_with(at) && problem.contains(what),
                "{problem}"
            );
        }
        assert_eq!(config.width, 100);
        assert_eq!(config.keymap, Keymap::default());
    }

    #[test]
    fn broken_toml_is_a_message_and_the_rest_is_read() {
        let (config, problems) = parse("width = 90\nthis is not toml\n", "c.toml");
        assert!(
            problems.iter().any(|p| p.starts_with("c.toml:2")),
            "{problems:?}"
        );
        assert!(config.width == 90 || config.width == 100);
    }

    #[test]
    fn the_printed_config_reads_back_as_the_same_configuration() {
        let text = "width = 120\n[keys.list]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n\
                    [keys.reader]\n\"ctrl-g\" = \"bottom\"\n\"j\" = \"page_down\"\n";
        let (config, problems) = parse(text, "c.toml");
        assert!(problems.is_empty(), "{problems:?}");
        let printed = render(&config, None);
        let (again, problems) = parse(&printed, "printed.toml");
        assert!(problems.is_empty(), "{problems:?}\n{printed}");
        assert_eq!(again, config, "{printed}");
        let (defaults, problems) = parse(&render(&Config::default(), None), "d.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(defaults, Config::default());
    }

    #[test]
    fn hostile_values_are_sanitized_in_messages() {
        let (_, problems) = parse("\"\\u001b[2J\" = 1\n", "c.toml");
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].contains('\u{1b}'), "{problems:?}");
    }
}
