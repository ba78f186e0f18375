//! Keys → actions, as one table with a description per binding.
//!
//! The run loop looks keys up here, the help overlay lists this table and the footer hints are
//! the entries marked with a hint, so what the screen says and what the keys do cannot drift.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// Where a binding applies: the screen or overlay that has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere, looked up before the others.
    Global,
    List,
    /// The search line is open and takes typing.
    Search,
    Reader,
    /// The reader's find line is open and takes typing.
    Find,
    /// The panel listing every link.
    Links,
    Help,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "List",
            Context::Search => "Search",
            Context::Reader => "Reader",
            Context::Find => "Find in the article",
            Context::Links => "Links panel",
            Context::Help => "Help",
        }
    }
}

/// One key with its modifiers. Shift is ignored for characters (the character says it).
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
}

/// A key binding: the keys, what they do, how the help overlay and footer describe it.
#[derive(Debug)]
pub struct Binding {
    pub context: Context,
    /// The keys; empty for bindings handled by a rule (typing into the search, link digits).
    pub keys: &'static [Key],
    pub action: Action,
    /// How the keys are written in help (`j ↓`).
    pub label: &'static str,
    pub description: &'static str,
    /// A short word for the footer, if this binding is worth a hint there.
    pub hint: Option<&'static str>,
}

use Context::*;
use KeyCode as K;

const fn b(
    context: Context,
    keys: &'static [Key],
    action: Action,
    label: &'static str,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        label,
        description,
        hint,
    }
}

/// Every binding folio has, in the order help shows them.
#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    // Everywhere.
    b(Global, &[Key::ctrl('c')], Action::ForceQuit, "Ctrl-C", "quit", None),
    b(Global, &[Key::ctrl('z')], Action::Suspend, "Ctrl-Z", "suspend (fg resumes)", None),
    // The list.
    b(List, &[Key::ch('j'), Key::new(K::Down)], Action::Down, "j ↓", "next article", None),
    b(List, &[Key::ch('k'), Key::new(K::Up)], Action::Up, "k ↑", "previous article", None),
    b(List, &[Key::new(K::PageDown), Key::ch(' ')], Action::PageDown, "PgDn Space", "page down", None),
    b(List, &[Key::new(K::PageUp), Key::ch('b')], Action::PageUp, "PgUp b", "page up", None),
    b(List, &[Key::ch('g'), Key::new(K::Home)], Action::Top, "g Home", "first article", None),
    b(List, &[Key::ch('G'), Key::new(K::End)], Action::Bottom, "G End", "last article", None),
    b(List, &[Key::new(K::Enter), Key::ch('l'), Key::new(K::Right)], Action::Open, "Enter l →", "read the article", Some("read")),
    b(List, &[], Action::Click { column: 0, row: 0 }, "Click", "select; click again to read", None),
    b(List, &[Key::ch('/')], Action::SearchStart, "/", "search titles", Some("search")),
    b(List, &[Key::new(K::Esc)], Action::SearchCancel, "Esc", "clear the search", Some("clear")),
    b(List, &[Key::ch('?')], Action::Help, "?", "help", Some("help")),
    b(List, &[Key::ch('q')], Action::Quit, "q", "quit", Some("quit")),
    // The search line.
    b(Search, &[], Action::SearchInput(' '), "type", "filter titles as you type", None),
    b(Search, &[Key::new(K::Down), Key::ctrl('n')], Action::Down, "↓ Ctrl-N", "next match", Some("next")),
    b(Search, &[Key::new(K::Up), Key::ctrl('p')], Action::Up, "↑ Ctrl-P", "previous match", None),
    b(Search, &[Key::new(K::PageDown)], Action::PageDown, "PgDn", "page down", None),
    b(Search, &[Key::new(K::PageUp)], Action::PageUp, "PgUp", "page up", None),
    b(Search, &[Key::new(K::Enter)], Action::Open, "Enter", "read the selected article", Some("read")),
    b(Search, &[Key::new(K::Backspace)], Action::SearchBackspace, "Backspace", "delete a character", None),
    b(Search, &[Key::ctrl('u')], Action::SearchClearLine, "Ctrl-U", "clear the query", None),
    b(Search, &[Key::new(K::Esc)], Action::SearchCancel, "Esc", "clear the search, full list", Some("clear")),
    // The reader.
    b(Reader, &[Key::ch('j'), Key::new(K::Down)], Action::Down, "j ↓", "scroll down a line", None),
    b(Reader, &[Key::ch('k'), Key::new(K::Up)], Action::Up, "k ↑", "scroll up a line", None),
    b(Reader, &[Key::ch(' '), Key::new(K::PageDown)], Action::PageDown, "Space PgDn", "page down", None),
    b(Reader, &[Key::ch('b'), Key::new(K::PageUp)], Action::PageUp, "b PgUp", "page up", None),
    b(Reader, &[Key::ch('d')], Action::HalfPageDown, "d", "half a page down", None),
    b(Reader, &[Key::ch('u')], Action::HalfPageUp, "u", "half a page up", None),
    b(Reader, &[Key::ch('g'), Key::new(K::Home)], Action::Top, "g Home", "top", None),
    b(Reader, &[Key::ch('G'), Key::new(K::End)], Action::Bottom, "G End", "end", None),
    b(Reader, &[Key::new(K::Tab)], Action::NextLink, "Tab", "focus the next link", Some("links")),
    b(Reader, &[Key::new(K::BackTab)], Action::PrevLink, "Shift-Tab", "focus the previous link", None),
    b(Reader, &[Key::new(K::Enter)], Action::Open, "Enter", "open the focused link", None),
    b(Reader, &[], Action::Click { column: 0, row: 0 }, "Click Wheel", "open the link clicked; scroll", None),
    b(Reader, &[], Action::LinkDigit(0), "0-9 Enter", "open link by its number", None),
    b(Reader, &[Key::ch('/')], Action::SearchStart, "/", "find text in the article", Some("find")),
    b(Reader, &[Key::ch('n')], Action::FindNext, "n", "next place found", Some("next")),
    b(Reader, &[Key::ch('N')], Action::FindPrev, "N", "previous place found", Some("previous")),
    b(Reader, &[Key::ch('L')], Action::LinkPanel, "L", "list every link", None),
    b(Reader, &[Key::ch('o')], Action::OpenSource, "o", "open the source in the browser", Some("source")),
    b(Reader, &[Key::ch('q'), Key::new(K::Esc), Key::new(K::Backspace)], Action::Back, "q Esc Backspace", "back to the list or the last article", Some("back")),
    b(Reader, &[Key::ch('?')], Action::Help, "?", "help", Some("help")),
    // The reader's find line.
    b(Find, &[], Action::SearchInput(' '), "type", "find as you type", None),
    b(Find, &[Key::new(K::Down), Key::ctrl('n')], Action::FindNext, "↓ Ctrl-N", "next place", Some("next")),
    b(Find, &[Key::new(K::Up), Key::ctrl('p')], Action::FindPrev, "↑ Ctrl-P", "previous place", None),
    b(Find, &[Key::new(K::Enter)], Action::Open, "Enter", "keep the places marked, read on", Some("done")),
    b(Find, &[Key::new(K::Backspace)], Action::SearchBackspace, "Backspace", "delete a character", None),
    b(Find, &[Key::ctrl('u')], Action::SearchClearLine, "Ctrl-U", "clear the text", None),
    b(Find, &[Key::new(K::Esc)], Action::SearchCancel, "Esc", "stop finding", Some("stop")),
    // The links panel.
    b(Links, &[Key::ch('j'), Key::new(K::Down)], Action::Down, "j ↓", "next link", None),
    b(Links, &[Key::ch('k'), Key::new(K::Up)], Action::Up, "k ↑", "previous link", None),
    b(Links, &[Key::new(K::PageDown)], Action::PageDown, "PgDn", "page down", None),
    b(Links, &[Key::new(K::PageUp)], Action::PageUp, "PgUp", "page up", None),
    b(Links, &[Key::ch('g'), Key::new(K::Home)], Action::Top, "g Home", "first link", None),
    b(Links, &[Key::ch('G'), Key::new(K::End)], Action::Bottom, "G End", "last link", None),
    b(Links, &[Key::new(K::Enter)], Action::Open, "Enter", "open the link", Some("open")),
    b(Links, &[Key::new(K::Esc), Key::ch('q'), Key::ch('L')], Action::Back, "Esc q L", "close", Some("close")),
    // Help.
    b(Help, &[Key::new(K::Esc), Key::ch('q'), Key::ch('?')], Action::Back, "Esc q ?", "close help", Some("close")),
];

/// The action a key press asks for in `context`, if any. Key releases and repeats give none.
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind != KeyEventKind::Press {
        return None;
    }
    let found = |ctx: Context| {
        KEYMAP
            .iter()
            .filter(|binding| binding.context == ctx)
            .find(|binding| binding.keys.iter().any(|key| key.matches(event)))
            .map(|binding| binding.action.clone())
    };
    if let Some(action) = found(Global) {
        return Some(action);
    }
    let plain = !event
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (context, event.code) {
        // Typing goes into the query; only non-character keys are bindings.
        (Search | Find, KeyCode::Char(c)) if plain => Some(Action::SearchInput(c)),
        (Reader, KeyCode::Char(c @ '0'..='9')) if plain => Some(Action::LinkDigit(c as u8 - b'0')),
        _ => found(context),
    }
}

/// The whole keymap as Markdown, one table per context: the README's keys section is this
/// text (a test keeps them the same).
pub fn markdown() -> String {
    let mut out = String::new();
    for context in [List, Search, Reader, Find, Links, Help, Global] {
        out.push_str(&format!(
            "**{}**\n\n| Keys | |\n|---|---|\n",
            context.title()
        ));
        for binding in bindings(context) {
            out.push_str(&format!(
                "| `{}` | {} |\n",
                binding.label, binding.description
            ));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Bindings shown in the help for `context` (then the global ones).
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    KEYMAP
        .iter()
        .filter(move |binding| binding.context == context)
}

/// The footer's hints for `context`: (first key label, hint word).
pub fn hints(context: Context) -> Vec<(&'static str, &'static str)> {
    bindings(context)
        .filter_map(|binding| {
            let hint = binding.hint?;
            let key = binding.label.split(' ').next().unwrap_or(binding.label);
            Some((key, hint))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn ctrl_c_quits_from_every_context() {
        for ctx in [List, Search, Reader, Links, Help] {
            let action = action_for(ctx, &press(KeyCode::Char('c'), KeyModifiers::CONTROL));
            assert!(matches!(action, Some(Action::ForceQuit)), "{ctx:?}");
        }
    }

    #[test]
    fn typing_in_search_is_input_not_a_binding() {
        let q = action_for(Search, &press(KeyCode::Char('q'), KeyModifiers::NONE));
        assert!(matches!(q, Some(Action::SearchInput('q'))));
        let upper = action_for(Search, &press(KeyCode::Char('Q'), KeyModifiers::SHIFT));
        assert!(matches!(upper, Some(Action::SearchInput('Q'))));
        let clear = action_for(Search, &press(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert!(matches!(clear, Some(Action::SearchClearLine)));
    }

    #[test]
    fn shifted_letters_match_their_binding() {
        let g = action_for(Reader, &press(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert!(matches!(g, Some(Action::Bottom)));
        let panel = action_for(Reader, &press(KeyCode::Char('L'), KeyModifiers::SHIFT));
        assert!(matches!(panel, Some(Action::LinkPanel)));
    }

    #[test]
    fn digits_in_the_reader_build_a_link_number() {
        let d = action_for(Reader, &press(KeyCode::Char('7'), KeyModifiers::NONE));
        assert!(matches!(d, Some(Action::LinkDigit(7))));
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = press(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(action_for(List, &release).is_none());
    }

    #[test]
    fn footer_hints_come_from_the_table() {
        let hints = hints(List);
        assert!(hints.contains(&("/", "search")));
        assert!(hints.contains(&("q", "quit")));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                if a.context != b.context {
                    continue;
                }
                for key in a.keys {
                    assert!(!b.keys.contains(key), "{key:?} twice in {:?}", a.context);
                }
            }
        }
    }
}
