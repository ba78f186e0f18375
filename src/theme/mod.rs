//! Themes as data: meanings (`heading.1`, `code.keyword`, `ui.selected`) → terminal styles.
//!
//! The document and the screens say what a piece of text *is*; a [`Theme`] decides what it
//! looks like. Themes are TOML: the built-in `dark` and `light` (files beside this one), and
//! the user's own in `$XDG_CONFIG_HOME/folio/themes/NAME.toml`, which may `inherits = "dark"`.
//! A meaning a theme leaves out falls back along its dots (`code.keyword` → `code`), then to
//! the terminal's default style, as helix does. `NO_COLOR` removes every colour.

mod color;
mod detect;
mod file;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::style::{Modifier, Style};

pub use color::ColorDepth;
pub use detect::{Background, Graphics, detect_background, graphics, in_tmux};

use crate::markdown::{Role, Style as TextStyle, Token};

const DARK: &str = include_str!("dark.toml");
const LIGHT: &str = include_str!("light.toml");
/// Laid over any theme under `NO_COLOR`: what reverse and bold must do where colour did.
const NO_COLOR: &str = include_str!("no_color.toml");

/// How deep `inherits` may chain: deeper is surely a loop.
const MAX_INHERITS: usize = 8;

/// Declares [`Meaning`]: every meaning folio draws, with its name in a theme file.
macro_rules! meanings {
    ($($variant:ident = $name:literal,)*) => {
        /// Everything folio draws that a theme can style.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Meaning {
            $($variant,)*
        }

        impl Meaning {
            pub const ALL: &[Meaning] = &[$(Meaning::$variant,)*];

            /// The dotted name in a theme file.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Meaning::$variant => $name,)*
                }
            }
        }
    };
}

meanings! {
    Text = "text",
    Quote = "quote",
    QuoteGutter = "quote.gutter",
    Title = "header.title",
    Byline = "header.byline",
    Description = "header.description",
    SourceHost = "header.source",
    Heading1 = "heading.1",
    Heading2 = "heading.2",
    Heading3 = "heading.3",
    Heading4 = "heading.4",
    Heading5 = "heading.5",
    Heading6 = "heading.6",
    HeadingRule = "rule.heading",
    Rule = "rule",
    Link = "link",
    LinkNumber = "link.number",
    Image = "image",
    FootnoteRef = "footnote.ref",
    FootnoteLabel = "footnote.label",
    ListMarker = "list.marker",
    TaskDone = "list.task.done",
    TaskOpen = "list.task.open",
    TableBorder = "table.border",
    TableHeader = "table.header",
    AlertNote = "alert.note",
    AlertTip = "alert.tip",
    AlertImportant = "alert.important",
    AlertWarning = "alert.warning",
    AlertCaution = "alert.caution",
    Dim = "dim",
    Problem = "problem",
    InlineCode = "code.inline",
    Code = "code",
    CodeLabel = "code.label",
    Continuation = "code.continuation",
    Keyword = "code.keyword",
    Operator = "code.operator",
    Type = "code.type",
    Function = "code.function",
    Macro = "code.macro",
    String = "code.string",
    Escape = "code.escape",
    Number = "code.number",
    Comment = "code.comment",
    Attribute = "code.attribute",
    Lifetime = "code.lifetime",
    Constant = "code.constant",
    Variable = "code.variable",
    Key = "code.key",
    Punctuation = "code.punctuation",
    DiffAdded = "code.diff.added",
    DiffRemoved = "code.diff.removed",
    DiffHeader = "code.diff.header",
    Prompt = "code.prompt",
    Output = "code.output",
    UiText = "ui.text",
    UiTitle = "ui.title",
    UiDim = "ui.dim",
    UiKey = "ui.key",
    UiMessage = "ui.message",
    UiProblem = "ui.problem",
    UiSelected = "ui.selected",
    UiSelectedTitle = "ui.selected.title",
    UiSelectionBar = "ui.selected.bar",
    UiMatched = "ui.matched",
    UiTag = "ui.tag",
    UiRule = "ui.rule",
    UiLink = "ui.link",
    UiFocusedLink = "ui.link.focus",
}

impl Meaning {
    /// The meaning of a run of article text with this role.
    pub const fn of_role(role: Role) -> Meaning {
        match role {
            Role::Body => Meaning::Text,
            Role::Title => Meaning::Title,
            Role::Byline => Meaning::Byline,
            Role::Description => Meaning::Description,
            Role::SourceHost => Meaning::SourceHost,
            Role::Heading(0 | 1) => Meaning::Heading1,
            Role::Heading(2) => Meaning::Heading2,
            Role::Heading(3) => Meaning::Heading3,
            Role::Heading(4) => Meaning::Heading4,
            Role::Heading(5) => Meaning::Heading5,
            Role::Heading(_) => Meaning::Heading6,
            Role::HeadingRule => Meaning::HeadingRule,
            Role::Link => Meaning::Link,
            Role::LinkNumber => Meaning::LinkNumber,
            Role::Image => Meaning::Image,
            Role::InlineCode => Meaning::InlineCode,
            Role::CodeBlock => Meaning::Code,
            Role::CodeLabel => Meaning::CodeLabel,
            Role::Continuation => Meaning::Continuation,
            Role::QuoteGutter => Meaning::QuoteGutter,
            Role::Quote => Meaning::Quote,
            Role::ListMarker => Meaning::ListMarker,
            Role::TaskDone => Meaning::TaskDone,
            Role::TaskOpen => Meaning::TaskOpen,
            Role::TableBorder => Meaning::TableBorder,
            Role::TableHeader => Meaning::TableHeader,
            Role::Rule => Meaning::Rule,
            Role::FootnoteRef => Meaning::FootnoteRef,
            Role::FootnoteLabel => Meaning::FootnoteLabel,
            Role::AlertNote => Meaning::AlertNote,
            Role::AlertTip => Meaning::AlertTip,
            Role::AlertImportant => Meaning::AlertImportant,
            Role::AlertWarning => Meaning::AlertWarning,
            Role::AlertCaution => Meaning::AlertCaution,
            Role::Dim => Meaning::Dim,
            Role::Problem => Meaning::Problem,
        }
    }

    /// The meaning of a code token.
    pub const fn of_token(token: Token) -> Meaning {
        match token {
            Token::Keyword => Meaning::Keyword,
            Token::Operator => Meaning::Operator,
            Token::Type => Meaning::Type,
            Token::Function => Meaning::Function,
            Token::Macro => Meaning::Macro,
            Token::String => Meaning::String,
            Token::Escape => Meaning::Escape,
            Token::Number => Meaning::Number,
            Token::Comment => Meaning::Comment,
            Token::Attribute => Meaning::Attribute,
            Token::Lifetime => Meaning::Lifetime,
            Token::Constant => Meaning::Constant,
            Token::Variable => Meaning::Variable,
            Token::Key => Meaning::Key,
            Token::Punctuation => Meaning::Punctuation,
            Token::DiffAdded => Meaning::DiffAdded,
            Token::DiffRemoved => Meaning::DiffRemoved,
            Token::DiffHeader => Meaning::DiffHeader,
            Token::Prompt => Meaning::Prompt,
            Token::Output => Meaning::Output,
        }
    }
}

/// A style for every [`Meaning`], resolved once: drawing a span is an index, not a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    styles: Vec<Style>,
    color: bool,
}

impl Default for Theme {
    /// The built-in dark theme in 24-bit colour.
    fn default() -> Self {
        Theme::built_in(Background::Dark, ColorDepth::TrueColor, false)
    }
}

impl Theme {
    /// The theme called `name` — `auto` (the terminal's background, see
    /// [`detect_background`]), `dark`, `light`, or a file `NAME.toml` in
    /// `config_dir/themes/` — at a colour depth, without colours under `no_color`.
    ///
    /// Never fails: a broken or missing theme gives warnings (one line each, naming the file,
    /// the line and the entry) and the built-in theme for the background.
    pub fn resolve(
        name: &str,
        config_dir: Option<&Path>,
        depth: ColorDepth,
        no_color: bool,
    ) -> (Theme, Vec<String>) {
        Self::resolve_with(name, config_dir, depth, no_color, detect_background)
    }

    /// [`Theme::resolve`] with the background for `auto` (and for falling back) given.
    pub fn resolve_with(
        name: &str,
        config_dir: Option<&Path>,
        depth: ColorDepth,
        no_color: bool,
        background: impl FnOnce() -> Background,
    ) -> (Theme, Vec<String>) {
        let mut warnings = Vec::new();
        let entries = match name {
            "auto" => built_in_entries(background(), &mut warnings),
            "dark" => built_in_entries(Background::Dark, &mut warnings),
            "light" => built_in_entries(Background::Light, &mut warnings),
            user => match user_entries(user, config_dir, 0, &mut warnings) {
                Some(entries) => entries,
                None => built_in_entries(background(), &mut warnings),
            },
        };
        (Theme::from_entries(&entries, depth, no_color), warnings)
    }

    /// A built-in theme: no files, no terminal queries.
    pub fn built_in(background: Background, depth: ColorDepth, no_color: bool) -> Theme {
        let mut warnings = Vec::new();
        let entries = built_in_entries(background, &mut warnings);
        debug_assert!(warnings.is_empty(), "{warnings:?}");
        Theme::from_entries(&entries, depth, no_color)
    }

    /// The dark theme with every colour removed: what `NO_COLOR` shows.
    pub fn plain() -> Theme {
        Theme::built_in(Background::Dark, ColorDepth::TrueColor, true)
    }

    /// The theme the environment asks for: `FOLIO_THEME` (default `auto`), with `NO_COLOR`
    /// and the colour depth from the environment; problems go to stderr. Until the config file
    /// names a theme, this is the reader's. Call it before the terminal's input is read:
    /// `auto` asks the terminal.
    pub fn from_env() -> Theme {
        Theme::from_env_named(None)
    }

    /// [`Theme::from_env`], with a name from the command line beating `FOLIO_THEME`.
    pub fn from_env_named(name: Option<&str>) -> Theme {
        let name = name
            .map(str::to_owned)
            .or_else(|| std::env::var("FOLIO_THEME").ok().filter(|n| !n.is_empty()))
            .unwrap_or_else(|| "auto".to_owned());
        let (theme, warnings) = Theme::resolve(
            &name,
            default_config_dir().as_deref(),
            ColorDepth::from_env(),
            no_color_from_env(),
        );
        for warning in warnings {
            eprintln!("folio: {}", crate::text::sanitize_line(&warning));
        }
        theme
    }

    fn from_entries(entries: &Entries, depth: ColorDepth, no_color: bool) -> Theme {
        let overrides = no_color.then(|| {
            let mut warnings = Vec::new();
            file::parse(NO_COLOR, "no_color.toml", &mut warnings).entries
        });
        let styles = Meaning::ALL
            .iter()
            .map(|meaning| {
                let style = lookup(entries, meaning.name());
                match &overrides {
                    Some(overrides) => {
                        let modifiers = Modifier::BOLD
                            | Modifier::ITALIC
                            | Modifier::UNDERLINED
                            | Modifier::REVERSED;
                        let kept = Style::default()
                            .add_modifier(style.add_modifier.intersection(modifiers));
                        exact(overrides, meaning.name()).unwrap_or(kept)
                    }
                    None => color::style_to_depth(style, depth),
                }
            })
            .collect();
        Theme {
            styles,
            color: !no_color,
        }
    }

    /// Whether this theme shows colours (false under `NO_COLOR`).
    pub fn has_color(&self) -> bool {
        self.color
    }

    /// The style of a meaning.
    pub fn get(&self, meaning: Meaning) -> Style {
        self.styles
            .get(meaning as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The terminal style of a run of article text: its role's, with its code token's on top.
    pub fn text(&self, s: &TextStyle) -> Style {
        let mut style = self.get(Meaning::of_role(s.role));
        if let Some(token) = s.token {
            style = style.patch(self.get(Meaning::of_token(token)));
        }
        if s.strong {
            style = style.add_modifier(Modifier::BOLD);
        }
        if s.emphasis {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if s.strike {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        style
    }

    /// A focused link: reversed, so it shows with or without colour.
    pub fn focused_link(&self) -> Style {
        self.get(Meaning::UiFocusedLink)
    }

    /// Secondary text: hints, counts, dates.
    pub fn dim(&self) -> Style {
        self.get(Meaning::UiDim)
    }

    /// The selected row of a panel.
    pub fn selected(&self) -> Style {
        self.get(Meaning::UiSelected)
    }

    /// The characters a search matched.
    pub fn matched(&self) -> Style {
        self.get(Meaning::UiMatched)
    }

    pub fn problem(&self) -> Style {
        self.get(Meaning::UiProblem)
    }

    pub fn title(&self) -> Style {
        self.get(Meaning::UiTitle)
    }

    /// Ordinary text.
    pub fn normal(&self) -> Style {
        self.get(Meaning::UiText)
    }

    /// A key name in hints and help.
    pub fn key(&self) -> Style {
        self.get(Meaning::UiKey)
    }

    /// A message in the footer (the outcome of the last key).
    pub fn message(&self) -> Style {
        self.get(Meaning::UiMessage)
    }

    /// The bar left of the selected article.
    pub fn selection_bar(&self) -> Style {
        self.get(Meaning::UiSelectionBar)
    }

    /// The selected article's title.
    pub fn selected_title(&self) -> Style {
        self.get(Meaning::UiSelectedTitle)
    }

    /// Tags in the list.
    pub fn tag(&self) -> Style {
        self.get(Meaning::UiTag)
    }

    /// Frames and separators.
    pub fn rule(&self) -> Style {
        self.get(Meaning::UiRule)
    }

    /// A URL shown as a URL (footer, links panel).
    pub fn link_url(&self) -> Style {
        self.get(Meaning::UiLink)
    }
}

/// `NO_COLOR` set to anything non-empty.
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// folio's configuration folder: `$XDG_CONFIG_HOME/folio`, else `~/.config/folio`.
pub fn default_config_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })?;
    Some(base.join("folio"))
}

/// Meaning name → style, after inheritance: what a theme file says, merged.
type Entries = HashMap<String, Style>;

fn built_in_entries(background: Background, warnings: &mut Vec<String>) -> Entries {
    let (text, origin) = match background {
        Background::Dark => (DARK, "dark.toml"),
        Background::Light => (LIGHT, "light.toml"),
    };
    file::parse(text, origin, warnings).entries
}

/// A user theme and what it inherits; `None` when it cannot be read at all.
fn user_entries(
    name: &str,
    config_dir: Option<&Path>,
    depth: usize,
    warnings: &mut Vec<String>,
) -> Option<Entries> {
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control);
    if !valid {
        warnings.push(format!(
            "theme {:?}: not a theme name (auto, dark, light, or a file's name in themes/)",
            crate::text::sanitize_line(name)
        ));
        return None;
    }
    let Some(dir) = config_dir else {
        warnings.push(format!(
            "theme {name:?}: no configuration folder to find themes/{name}.toml in"
        ));
        return None;
    };
    let path = dir.join("themes").join(format!("{name}.toml"));
    let shown = crate::text::sanitize_line(&path.display().to_string());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            warnings.push(format!("theme {name:?}: cannot read {shown}: {err}"));
            return None;
        }
    };
    let parsed = file::parse(&text, &shown, warnings);
    let mut entries = match parsed.inherits.as_deref() {
        None => Entries::new(),
        Some("dark") => built_in_entries(Background::Dark, warnings),
        Some("light") => built_in_entries(Background::Light, warnings),
        Some(parent) if depth >= MAX_INHERITS || parent == name => {
            warnings.push(format!(
                "{shown}: inherits = {parent:?}: a loop of inherited themes"
            ));
            Entries::new()
        }
        Some(parent) => user_entries(parent, config_dir, depth + 1, warnings).unwrap_or_default(),
    };
    entries.extend(parsed.entries);
    Some(entries)
}

/// The style for `name`, or for the nearest parent the entries have (`a.b.c` → `a.b` → `a`).
fn lookup(entries: &Entries, name: &str) -> Style {
    let mut name = name;
    loop {
        if let Some(style) = entries.get(name) {
            return *style;
        }
        match name.rsplit_once('.') {
            Some((parent, _)) => name = parent,
            None => return Style::default(),
        }
    }
}

fn exact(entries: &Entries, name: &str) -> Option<Style> {
    entries.get(name).copied()
}

#[cfg(test)]
mod tests;
