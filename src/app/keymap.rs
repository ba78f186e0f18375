//! Keys → commands, per context: the built-in table plus the user's overrides.
//!
//! The loop looks keys up here, the help overlay lists the same entries and the footer hints
//! are the entries marked with a hint, so what the screen says and what the keys do cannot
//! drift. A few keys are rules rather than entries: Ctrl-C always quits, printable keys inside
//! a text prompt are text, and digits in the reader build a link number.

use std::fmt::Write as _;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::command::Command;
use super::msg::Msg;

/// Where a binding applies: the screen or overlay that has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere, looked up after the context's own keys.
    Global,
    List,
    /// The search line is open and takes typing.
    Search,
    Reader,
    /// The reader's find line is open and takes typing.
    Find,
    /// The panel listing every link.
    Links,
    /// The article's headings, filtered as you type.
    Outline,
    /// The library's tags, filtered as you type.
    Tags,
    /// The search through every article's text.
    FullText,
    /// A picture shown full-screen.
    Image,
    Help,
}

impl Context {
    /// Every context, in the order help shows them.
    pub const ALL: &'static [Context] = &[
        Context::List,
        Context::Search,
        Context::FullText,
        Context::Reader,
        Context::Find,
        Context::Links,
        Context::Outline,
        Context::Tags,
        Context::Image,
        Context::Help,
        Context::Global,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "List",
            Context::Search => "Search",
            Context::Reader => "Reader",
            Context::Find => "Find in the article",
            Context::Links => "Links panel",
            Context::Outline => "Outline",
            Context::Tags => "Tags panel",
            Context::FullText => "Full-text search",
            Context::Image => "Picture",
            Context::Help => "Help",
        }
    }

    /// The config file's table name: `[keys.NAME]`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Search => "search",
            Context::Reader => "reader",
            Context::Find => "find",
            Context::Links => "links",
            Context::Outline => "outline",
            Context::Tags => "tags",
            Context::FullText => "full_text",
            Context::Image => "image",
            Context::Help => "help",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether typing printable keys here writes text.
    pub fn is_prompt(self) -> bool {
        matches!(
            self,
            Context::Search | Context::Find | Context::Outline | Context::Tags | Context::FullText
        )
    }
}

/// One key with its modifiers. Shift is part of a character (`G`), not a modifier of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    const fn new(code: KeyCode) -> Self {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }
    const fn ch(c: char) -> Self {
        Key::new(KeyCode::Char(c))
    }
    const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// Whether a key event is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
        let code = match (event.code, self.code) {
            // Terminals disagree on whether Ctrl-letter arrives upper or lower case.
            (KeyCode::Char(a), KeyCode::Char(b)) if !self.mods.is_empty() => {
                a.eq_ignore_ascii_case(&b)
            }
            (a, b) => a == b,
        };
        code && (event.modifiers & relevant) == (self.mods & relevant)
    }

    /// Reads a key name as the config file writes it: `"x"`, `"G"`, `"shift-g"`, `"ctrl-d"`,
    /// `"alt-x"`, `"space"`, `"enter"`, `"esc"`, `"tab"`, `"shift-tab"`, `"pageup"`, `"f1"` …
    pub fn parse(name: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = name;
        // A lone "-" is the minus key, not an empty modifier.
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => mods |= KeyModifiers::CONTROL,
                "alt" | "a" | "m" | "meta" => mods |= KeyModifiers::ALT,
                "shift" | "s" => mods |= KeyModifiers::SHIFT,
                _ => return Err(format!("unknown modifier {prefix:?} in key {name:?}")),
            }
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "minus" => KeyCode::Char('-'),
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=24) => KeyCode::F(n),
                    _ => return Err(format!("unknown key name {name:?}")),
                },
                _ => return Err(format!("unknown key name {name:?}")),
            },
        };
        Ok(Key::from_parts(code, mods))
    }

    /// Folds shift into the key where the key itself says it (`shift-g` is `G`).
    fn from_parts(code: KeyCode, mods: KeyModifiers) -> Key {
        let shift = mods.contains(KeyModifiers::SHIFT);
        let rest = mods - KeyModifiers::SHIFT;
        match code {
            KeyCode::Char(c) if shift => Key {
                code: KeyCode::Char(c.to_uppercase().next().unwrap_or(c)),
                mods: rest,
            },
            KeyCode::Tab if shift => Key {
                code: KeyCode::BackTab,
                mods: rest,
            },
            code => Key { code, mods: rest },
        }
    }

    /// How help and the footer write the key: `j`, `↓`, `Ctrl-D`, `Shift-Tab`, `PgDn`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        let ctrl = self.mods.contains(KeyModifiers::CONTROL);
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) if ctrl => out.extend(c.to_uppercase()),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Delete => out.push_str("Del"),
            KeyCode::Insert => out.push_str("Ins"),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::F(n) => {
                let _ = write!(out, "F{n}");
            }
            other => {
                let _ = write!(out, "{other:?}");
            }
        }
        out
    }

    /// Ctrl-C quits whatever the keymap says.
    fn is_ctrl_c(event: &KeyEvent) -> bool {
        Key::ctrl('c').matches(event)
    }
}

/// The keys of one command in one context, as help shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub context: Context,
    pub command: Command,
    pub keys: Vec<Key>,
    /// A short word for the footer, if this entry is worth a hint there.
    pub hint: Option<&'static str>,
}

impl Entry {
    /// The keys as help writes them (`j ↓`).
    pub fn label(&self) -> String {
        let labels: Vec<String> = self.keys.iter().map(Key::label).collect();
        labels.join(" ")
    }

    /// What the command does here.
    pub fn description(&self) -> &'static str {
        self.command
            .describe(self.context)
            .unwrap_or(self.command.description())
    }
}

/// Help rows that are rules, not bindings: (context, keys, description).
pub const RULES: &[(Context, &str, &str)] = &[
    (Context::List, "Click", "select; click again to read"),
    (Context::Search, "type", "filter titles as you type"),
    (
        Context::FullText,
        "type",
        "every word must appear; \"a phrase\", prefix*",
    ),
    (
        Context::Reader,
        "Click Wheel",
        "open the link clicked; scroll",
    ),
    (Context::Reader, "0-9 Enter", "open link by its number"),
    (Context::Find, "type", "find as you type"),
    (Context::Outline, "type", "filter the headings"),
    (Context::Tags, "type", "filter the tags"),
    (
        Context::Global,
        "Ctrl-C",
        "quit (always; cannot be rebound)",
    ),
];

/// The keymap in force: the defaults with the user's overrides applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    entries: Vec<Entry>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            entries: defaults(),
        }
    }
}

fn defaults() -> Vec<Entry> {
    use Command as C;
    use Context::*;
    use KeyCode as K;
    let e = |context, keys: &[Key], command, hint| Entry {
        context,
        command,
        keys: keys.to_vec(),
        hint,
    };
    vec![
        // Everywhere.
        e(Global, &[Key::ctrl('z')], C::Suspend, None),
        e(Global, &[Key::new(K::F(1))], C::Help, None),
        // The list.
        e(List, &[Key::ch('j'), Key::new(K::Down)], C::Down, None),
        e(List, &[Key::ch('k'), Key::new(K::Up)], C::Up, None),
        e(
            List,
            &[Key::new(K::PageDown), Key::ch(' '), Key::ctrl('f')],
            C::PageDown,
            None,
        ),
        e(
            List,
            &[Key::new(K::PageUp), Key::ch('b'), Key::ctrl('b')],
            C::PageUp,
            None,
        ),
        e(List, &[Key::ctrl('d')], C::HalfPageDown, None),
        e(List, &[Key::ctrl('u')], C::HalfPageUp, None),
        e(List, &[Key::ch('g'), Key::new(K::Home)], C::Top, None),
        e(List, &[Key::ch('G'), Key::new(K::End)], C::Bottom, None),
        e(
            List,
            &[Key::new(K::Enter), Key::ch('l'), Key::new(K::Right)],
            C::Open,
            Some("read"),
        ),
        e(List, &[Key::ch('/')], C::Search, Some("search")),
        e(List, &[Key::ch('F')], C::FullText, Some("text")),
        e(List, &[Key::new(K::Esc)], C::ClearSearch, Some("clear")),
        e(List, &[Key::ch('m')], C::ToggleRead, None),
        e(List, &[Key::ch('M')], C::MarkAllRead, None),
        e(List, &[Key::ch('s')], C::ToggleSaved, None),
        e(List, &[Key::ch('v')], C::CycleView, Some("view")),
        e(List, &[Key::ch('#')], C::Tags, Some("tags")),
        e(List, &[Key::ch('S')], C::CycleSort, None),
        e(List, &[Key::ch('e')], C::Edit, None),
        e(List, &[Key::ch('r')], C::Reload, None),
        e(List, &[Key::ch('?')], C::Help, Some("help")),
        e(List, &[Key::ch('q')], C::Quit, Some("quit")),
        // The search line.
        e(
            Search,
            &[Key::new(K::Down), Key::ctrl('n')],
            C::Down,
            Some("next"),
        ),
        e(Search, &[Key::new(K::Up), Key::ctrl('p')], C::Up, None),
        e(Search, &[Key::new(K::PageDown)], C::PageDown, None),
        e(Search, &[Key::new(K::PageUp)], C::PageUp, None),
        e(Search, &[Key::new(K::Enter)], C::Open, Some("read")),
        e(Search, &[Key::new(K::Backspace)], C::DeleteChar, None),
        e(Search, &[Key::ctrl('u')], C::ClearQuery, None),
        e(Search, &[Key::new(K::Esc)], C::ClearSearch, Some("clear")),
        // The full-text search.
        e(
            FullText,
            &[Key::new(K::Down), Key::ctrl('n')],
            C::Down,
            Some("next"),
        ),
        e(FullText, &[Key::new(K::Up), Key::ctrl('p')], C::Up, None),
        e(FullText, &[Key::new(K::PageDown)], C::PageDown, None),
        e(FullText, &[Key::new(K::PageUp)], C::PageUp, None),
        e(FullText, &[Key::new(K::Enter)], C::Open, Some("read")),
        e(FullText, &[Key::new(K::Backspace)], C::DeleteChar, None),
        e(FullText, &[Key::ctrl('u')], C::ClearQuery, None),
        e(FullText, &[Key::new(K::Esc)], C::Back, Some("close")),
        // The reader.
        e(Reader, &[Key::ch('j'), Key::new(K::Down)], C::Down, None),
        e(Reader, &[Key::ch('k'), Key::new(K::Up)], C::Up, None),
        e(
            Reader,
            &[Key::ch(' '), Key::new(K::PageDown), Key::ctrl('f')],
            C::PageDown,
            None,
        ),
        e(
            Reader,
            &[Key::ch('b'), Key::new(K::PageUp), Key::ctrl('b')],
            C::PageUp,
            None,
        ),
        e(
            Reader,
            &[Key::ch('d'), Key::ctrl('d')],
            C::HalfPageDown,
            None,
        ),
        e(Reader, &[Key::ch('u'), Key::ctrl('u')], C::HalfPageUp, None),
        e(Reader, &[Key::ch('g'), Key::new(K::Home)], C::Top, None),
        e(Reader, &[Key::ch('G'), Key::new(K::End)], C::Bottom, None),
        e(Reader, &[Key::new(K::Tab)], C::NextLink, Some("links")),
        e(Reader, &[Key::new(K::BackTab)], C::PrevLink, None),
        e(Reader, &[Key::new(K::Enter)], C::Open, None),
        e(Reader, &[Key::ch('/')], C::Search, Some("find")),
        e(Reader, &[Key::ch('n')], C::FindNext, Some("next")),
        e(Reader, &[Key::ch('N')], C::FindPrev, Some("previous")),
        e(Reader, &[Key::ch('L')], C::LinkPanel, None),
        e(Reader, &[Key::ch('o')], C::OpenSource, Some("source")),
        e(
            Reader,
            &[Key::ch('q'), Key::ch('h'), Key::new(K::Left)],
            C::Back,
            Some("back"),
        ),
        e(Reader, &[Key::new(K::Esc)], C::ClearSearch, None),
        e(Reader, &[Key::new(K::Backspace)], C::DeleteChar, None),
        e(Reader, &[Key::ch('t')], C::Outline, None),
        e(Reader, &[Key::ch('[')], C::PrevHeading, None),
        e(Reader, &[Key::ch(']')], C::NextHeading, None),
        e(Reader, &[Key::ch('y')], C::CopyLink, None),
        e(Reader, &[Key::ch('e')], C::Edit, None),
        e(Reader, &[Key::ch('r')], C::Reload, None),
        e(Reader, &[Key::ch('m')], C::ToggleRead, None),
        e(Reader, &[Key::ch('s')], C::ToggleSaved, None),
        e(Reader, &[Key::ch('J')], C::NextArticle, None),
        e(Reader, &[Key::ch('K')], C::PrevArticle, None),
        e(Reader, &[Key::ch('U')], C::NextUnread, None),
        e(Reader, &[Key::ch('?')], C::Help, Some("help")),
        // The reader's find line.
        e(
            Find,
            &[Key::new(K::Down), Key::ctrl('n')],
            C::FindNext,
            Some("next"),
        ),
        e(Find, &[Key::new(K::Up), Key::ctrl('p')], C::FindPrev, None),
        e(Find, &[Key::new(K::Enter)], C::Open, Some("done")),
        e(Find, &[Key::new(K::Backspace)], C::DeleteChar, None),
        e(Find, &[Key::ctrl('u')], C::ClearQuery, None),
        e(Find, &[Key::new(K::Esc)], C::ClearSearch, Some("stop")),
        // The links panel.
        e(Links, &[Key::ch('j'), Key::new(K::Down)], C::Down, None),
        e(Links, &[Key::ch('k'), Key::new(K::Up)], C::Up, None),
        e(Links, &[Key::new(K::PageDown)], C::PageDown, None),
        e(Links, &[Key::new(K::PageUp)], C::PageUp, None),
        e(Links, &[Key::ch('g'), Key::new(K::Home)], C::Top, None),
        e(Links, &[Key::ch('G'), Key::new(K::End)], C::Bottom, None),
        e(Links, &[Key::new(K::Enter)], C::Open, Some("open")),
        e(Links, &[Key::ch('y')], C::CopyLink, Some("copy")),
        e(
            Links,
            &[Key::new(K::Esc), Key::ch('q'), Key::ch('L')],
            C::Back,
            Some("close"),
        ),
        // The outline.
        e(Outline, &[Key::new(K::Down), Key::ctrl('n')], C::Down, None),
        e(Outline, &[Key::new(K::Up), Key::ctrl('p')], C::Up, None),
        e(Outline, &[Key::new(K::PageDown)], C::PageDown, None),
        e(Outline, &[Key::new(K::PageUp)], C::PageUp, None),
        e(Outline, &[Key::new(K::Home)], C::Top, None),
        e(Outline, &[Key::new(K::End)], C::Bottom, None),
        e(Outline, &[Key::new(K::Enter)], C::Open, Some("go")),
        e(Outline, &[Key::new(K::Backspace)], C::DeleteChar, None),
        e(Outline, &[Key::ctrl('u')], C::ClearQuery, None),
        e(Outline, &[Key::new(K::Esc)], C::Back, Some("close")),
        // The tags panel.
        e(Tags, &[Key::new(K::Down), Key::ctrl('n')], C::Down, None),
        e(Tags, &[Key::new(K::Up), Key::ctrl('p')], C::Up, None),
        e(Tags, &[Key::new(K::PageDown)], C::PageDown, None),
        e(Tags, &[Key::new(K::PageUp)], C::PageUp, None),
        e(Tags, &[Key::new(K::Home)], C::Top, None),
        e(Tags, &[Key::new(K::End)], C::Bottom, None),
        e(Tags, &[Key::new(K::Enter)], C::Open, Some("show")),
        e(Tags, &[Key::new(K::Backspace)], C::DeleteChar, None),
        e(Tags, &[Key::ctrl('u')], C::ClearQuery, None),
        e(Tags, &[Key::new(K::Esc)], C::Back, Some("close")),
        // A picture full-screen.
        e(
            Image,
            &[Key::new(K::Esc), Key::ch('q'), Key::new(K::Enter)],
            C::Back,
            Some("back to the text"),
        ),
        // Help.
        e(
            Help,
            &[Key::ch('j'), Key::new(K::Down)],
            C::Down,
            Some("scroll"),
        ),
        e(Help, &[Key::ch('k'), Key::new(K::Up)], C::Up, None),
        e(
            Help,
            &[Key::new(K::PageDown), Key::ch(' ')],
            C::PageDown,
            None,
        ),
        e(Help, &[Key::new(K::PageUp), Key::ch('b')], C::PageUp, None),
        e(Help, &[Key::ch('g'), Key::new(K::Home)], C::Top, None),
        e(Help, &[Key::ch('G'), Key::new(K::End)], C::Bottom, None),
        e(
            Help,
            &[Key::new(K::Esc), Key::ch('q'), Key::ch('?')],
            C::Back,
            Some("close"),
        ),
    ]
}

/// Why an override cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    #[error("Ctrl-C always quits and cannot be rebound")]
    CtrlC,
    #[error("`{command}` means nothing in [keys.{context}]")]
    Meaningless {
        command: &'static str,
        context: &'static str,
    },
}

impl Keymap {
    /// Binds `key` in `context` to `command`, or unbinds it (`None`, the config's `"none"`).
    /// The key stops doing whatever it did before in that context.
    pub fn bind(
        &mut self,
        context: Context,
        key: Key,
        command: Option<Command>,
    ) -> Result<(), BindError> {
        if key == Key::ctrl('c') {
            return Err(BindError::CtrlC);
        }
        if let Some(command) = command {
            if command.describe(context).is_none() {
                return Err(BindError::Meaningless {
                    command: command.name(),
                    context: context.name(),
                });
            }
        }
        let already = self
            .entries
            .iter()
            .any(|e| e.context == context && Some(e.command) == command && e.keys.contains(&key));
        if already {
            return Ok(());
        }
        for entry in self.entries.iter_mut().filter(|e| e.context == context) {
            entry.keys.retain(|k| *k != key);
        }
        if let Some(command) = command {
            match self
                .entries
                .iter_mut()
                .find(|e| e.context == context && e.command == command)
            {
                Some(entry) => entry.keys.insert(0, key),
                None => self.entries.push(Entry {
                    context,
                    command,
                    keys: vec![key],
                    hint: None,
                }),
            }
        }
        Ok(())
    }

    /// The message a key press means in `context`, if any. Key releases and repeats give none.
    pub fn msg_for(&self, context: Context, event: &KeyEvent) -> Option<Msg> {
        if event.kind != KeyEventKind::Press {
            return None;
        }
        if Key::is_ctrl_c(event) {
            return Some(Msg::Cmd(Command::Quit));
        }
        let plain = !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (context, event.code) {
            // Typing goes into the query; only non-character keys are bindings.
            (c, KeyCode::Char(ch)) if plain && c.is_prompt() => return Some(Msg::Input(ch)),
            (Context::Reader, KeyCode::Char(c @ '0'..='9')) if plain => {
                return Some(Msg::LinkDigit(c as u8 - b'0'));
            }
            _ => {}
        }
        self.command_for(context, event)
            .or_else(|| self.command_for(Context::Global, event))
            .map(Msg::Cmd)
    }

    fn command_for(&self, context: Context, event: &KeyEvent) -> Option<Command> {
        self.entries
            .iter()
            .filter(|e| e.context == context)
            .find(|e| e.keys.iter().any(|k| k.matches(event)))
            .map(|e| e.command)
    }

    /// The entries of `context` that have a key, in help order.
    pub fn entries(&self, context: Context) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(move |e| e.context == context && !e.keys.is_empty())
    }

    /// The first key of `command` in `context` (then everywhere), as the footer writes it.
    pub fn key_for(&self, context: Context, command: Command) -> Option<String> {
        [context, Context::Global].into_iter().find_map(|ctx| {
            self.entries(ctx)
                .find(|e| e.command == command)
                .and_then(|e| e.keys.first())
                .map(Key::label)
        })
    }

    /// The footer's hints for `context`: (command, first key, hint word).
    pub fn hints(&self, context: Context) -> Vec<(Command, String, &'static str)> {
        self.entries(context)
            .filter_map(|e| {
                let hint = e.hint?;
                Some((e.command, e.keys.first()?.label(), hint))
            })
            .collect()
    }

    /// Help as rows: for each context its title, then (keys, description) rows; `first`'s
    /// section leads.
    pub fn help_rows(&self, first: Option<Context>) -> Vec<HelpRow> {
        let mut rows = Vec::new();
        let order = first
            .into_iter()
            .chain(Context::ALL.iter().copied().filter(|c| Some(*c) != first));
        for context in order {
            rows.push(HelpRow::Title(context));
            for entry in self.entries(context) {
                rows.push(HelpRow::Key(entry.label(), entry.description()));
            }
            for (ctx, keys, description) in RULES {
                if *ctx == context {
                    rows.push(HelpRow::Key((*keys).to_owned(), description));
                }
            }
        }
        rows
    }

    /// The keymap as Markdown, one table per context: the README's keys section is this text
    /// for the defaults (a test keeps them the same).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for row in self.help_rows(None) {
            match row {
                HelpRow::Title(context) => {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    let _ = write!(out, "**{}**\n\n| Keys | |\n|---|---|\n", context.title());
                }
                HelpRow::Key(keys, description) => {
                    let _ = writeln!(out, "| `{keys}` | {description} |");
                }
            }
        }
        out
    }
}

/// One row of the help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpRow {
    Title(Context),
    Key(String, &'static str),
}

/// The default keymap as Markdown (the README's keys section).
pub fn markdown() -> String {
    Keymap::default().markdown()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Context::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn msg(keymap: &Keymap, ctx: Context, code: KeyCode, mods: KeyModifiers) -> Option<Msg> {
        keymap.msg_for(ctx, &press(code, mods))
    }

    fn is_cmd(msg: Option<Msg>, command: Command) -> bool {
        matches!(msg, Some(Msg::Cmd(c)) if c == command)
    }

    #[test]
    fn ctrl_c_quits_from_every_context() {
        let keymap = Keymap::default();
        for ctx in Context::ALL {
            let got = msg(&keymap, *ctx, KeyCode::Char('c'), KeyModifiers::CONTROL);
            assert!(is_cmd(got, Command::Quit), "{ctx:?}");
        }
    }

    #[test]
    fn typing_in_search_is_input_not_a_binding() {
        let keymap = Keymap::default();
        let q = msg(&keymap, Search, KeyCode::Char('q'), KeyModifiers::NONE);
        assert!(matches!(q, Some(Msg::Input('q'))));
        let upper = msg(&keymap, Search, KeyCode::Char('Q'), KeyModifiers::SHIFT);
        assert!(matches!(upper, Some(Msg::Input('Q'))));
        let clear = msg(&keymap, Search, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert!(is_cmd(clear, Command::ClearQuery));
    }

    #[test]
    fn f1_opens_help_even_while_typing() {
        let keymap = Keymap::default();
        for ctx in [Search, Find, List, Reader] {
            let got = msg(&keymap, ctx, KeyCode::F(1), KeyModifiers::NONE);
            assert!(is_cmd(got, Command::Help), "{ctx:?}");
        }
    }

    #[test]
    fn shifted_letters_match_their_binding() {
        let keymap = Keymap::default();
        let g = msg(&keymap, Reader, KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert!(is_cmd(g, Command::Bottom));
        let panel = msg(&keymap, Reader, KeyCode::Char('L'), KeyModifiers::SHIFT);
        assert!(is_cmd(panel, Command::LinkPanel));
    }

    #[test]
    fn digits_in_the_reader_build_a_link_number() {
        let keymap = Keymap::default();
        let d = msg(&keymap, Reader, KeyCode::Char('7'), KeyModifiers::NONE);
        assert!(matches!(d, Some(Msg::LinkDigit(7))));
    }

    #[test]
    fn key_releases_are_ignored() {
        let keymap = Keymap::default();
        let mut release = press(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(keymap.msg_for(List, &release).is_none());
    }

    #[test]
    fn less_and_vim_keys_page_the_reader() {
        let keymap = Keymap::default();
        let cases = [
            ('d', Command::HalfPageDown),
            ('u', Command::HalfPageUp),
            ('f', Command::PageDown),
            ('b', Command::PageUp),
        ];
        for (c, command) in cases {
            let got = msg(&keymap, Reader, KeyCode::Char(c), KeyModifiers::CONTROL);
            assert!(is_cmd(got, command), "ctrl-{c}");
        }
        let h = msg(&keymap, Reader, KeyCode::Char('h'), KeyModifiers::NONE);
        assert!(is_cmd(h, Command::Back));
        let left = msg(&keymap, Reader, KeyCode::Left, KeyModifiers::NONE);
        assert!(is_cmd(left, Command::Back));
    }

    #[test]
    fn key_names_parse_as_the_config_writes_them() {
        let cases = [
            ("x", Key::ch('x')),
            ("G", Key::ch('G')),
            ("shift-g", Key::ch('G')),
            ("ctrl-d", Key::ctrl('d')),
            ("space", Key::ch(' ')),
            ("enter", Key::new(KeyCode::Enter)),
            ("esc", Key::new(KeyCode::Esc)),
            ("tab", Key::new(KeyCode::Tab)),
            ("shift-tab", Key::new(KeyCode::BackTab)),
            ("pageup", Key::new(KeyCode::PageUp)),
            ("f1", Key::new(KeyCode::F(1))),
            ("-", Key::ch('-')),
        ];
        for (name, key) in cases {
            assert_eq!(Key::parse(name), Ok(key), "{name}");
        }
        let alt = Key::parse("alt-x").map(|k| (k.code, k.mods));
        assert_eq!(alt, Ok((KeyCode::Char('x'), KeyModifiers::ALT)));
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("pagedownn").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn an_override_replaces_what_the_key_did_and_shows_in_help() {
        let mut keymap = Keymap::default();
        assert_eq!(keymap.bind(List, Key::ch('x'), Some(Command::Quit)), Ok(()));
        let x = msg(&keymap, List, KeyCode::Char('x'), KeyModifiers::NONE);
        assert!(is_cmd(x, Command::Quit));
        let quit = keymap.entries(List).find(|e| e.command == Command::Quit);
        assert_eq!(quit.map(Entry::label), Some("x q".to_owned()));
        // The footer names the new key first.
        assert_eq!(keymap.key_for(List, Command::Quit), Some("x".to_owned()));
        // Moving j: it no longer goes down.
        assert_eq!(keymap.bind(List, Key::ch('j'), Some(Command::Top)), Ok(()));
        let j = msg(&keymap, List, KeyCode::Char('j'), KeyModifiers::NONE);
        assert!(is_cmd(j, Command::Top));
    }

    #[test]
    fn none_unbinds_a_key() {
        let mut keymap = Keymap::default();
        assert_eq!(keymap.bind(List, Key::ch('q'), None), Ok(()));
        assert!(msg(&keymap, List, KeyCode::Char('q'), KeyModifiers::NONE).is_none());
        assert!(keymap.hints(List).iter().all(|h| h.0 != Command::Quit));
    }

    #[test]
    fn ctrl_c_and_meaningless_commands_are_refused() {
        let mut keymap = Keymap::default();
        assert_eq!(
            keymap.bind(List, Key::ctrl('c'), Some(Command::Top)),
            Err(BindError::CtrlC)
        );
        assert!(matches!(
            keymap.bind(List, Key::ch('x'), Some(Command::NextLink)),
            Err(BindError::Meaningless { .. })
        ));
    }

    #[test]
    fn footer_hints_come_from_the_table() {
        let hints = Keymap::default().hints(List);
        assert!(hints.iter().any(|h| h.1 == "/" && h.2 == "search"));
        assert!(hints.iter().any(|h| h.1 == "q" && h.2 == "quit"));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let keymap = Keymap::default();
        for &ctx in Context::ALL {
            let keys: Vec<Key> = keymap.entries(ctx).flat_map(|e| e.keys.clone()).collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(key), "{key:?} twice in {ctx:?}");
            }
        }
    }

    #[test]
    fn every_default_binding_means_something_where_it_is() {
        for entry in Keymap::default().entries {
            assert!(entry.command.describe(entry.context).is_some(), "{entry:?}");
        }
    }
}
