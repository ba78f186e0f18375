//! Everything a key can do, by name: the vocabulary of the keymap, the config file and the help.
//!
//! A [`Command`] carries no data, so it can be written in a config file (`"ctrl-d" =
//! "half_page_down"`) and listed in the help. What it means depends on where it is pressed (Down
//! is the next article in the list, a line in the reader); [`Command::describe`] says which.

use serde::{Deserialize, Serialize};

use super::keymap::Context;

/// A bindable command. The serde names are the config file's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    Suspend,
    Search,
    ClearSearch,
    DeleteChar,
    ClearQuery,
    OpenSource,
    FindNext,
    FindPrev,
    NextLink,
    PrevLink,
    LinkPanel,
    Help,
    ToggleRead,
    MarkAllRead,
    ToggleSaved,
    NextArticle,
    PrevArticle,
    NextUnread,
    CycleView,
    Outline,
    PrevHeading,
    NextHeading,
    CopyLink,
    Edit,
    Reload,
    Tags,
    CycleSort,
    FullText,
}

impl Command {
    /// Every command, in the order the config file's comment lists them.
    pub const ALL: &'static [Command] = &[
        Command::Up,
        Command::Down,
        Command::PageUp,
        Command::PageDown,
        Command::HalfPageUp,
        Command::HalfPageDown,
        Command::Top,
        Command::Bottom,
        Command::Open,
        Command::Back,
        Command::Quit,
        Command::Suspend,
        Command::Search,
        Command::ClearSearch,
        Command::DeleteChar,
        Command::ClearQuery,
        Command::OpenSource,
        Command::FindNext,
        Command::FindPrev,
        Command::NextLink,
        Command::PrevLink,
        Command::LinkPanel,
        Command::Help,
        Command::ToggleRead,
        Command::MarkAllRead,
        Command::ToggleSaved,
        Command::NextArticle,
        Command::PrevArticle,
        Command::NextUnread,
        Command::CycleView,
        Command::Outline,
        Command::PrevHeading,
        Command::NextHeading,
        Command::CopyLink,
        Command::Edit,
        Command::Reload,
        Command::Tags,
        Command::CycleSort,
        Command::FullText,
    ];

    /// The config file's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Command::Up => "up",
            Command::Down => "down",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::HalfPageUp => "half_page_up",
            Command::HalfPageDown => "half_page_down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::Open => "open",
            Command::Back => "back",
            Command::Quit => "quit",
            Command::Suspend => "suspend",
            Command::Search => "search",
            Command::ClearSearch => "clear_search",
            Command::DeleteChar => "delete_char",
            Command::ClearQuery => "clear_query",
            Command::OpenSource => "open_source",
            Command::FindNext => "find_next",
            Command::FindPrev => "find_prev",
            Command::NextLink => "next_link",
            Command::PrevLink => "prev_link",
            Command::LinkPanel => "link_panel",
            Command::Help => "help",
            Command::ToggleRead => "toggle_read",
            Command::MarkAllRead => "mark_all_read",
            Command::ToggleSaved => "toggle_saved",
            Command::NextArticle => "next_article",
            Command::PrevArticle => "prev_article",
            Command::NextUnread => "next_unread",
            Command::CycleView => "cycle_view",
            Command::Outline => "outline",
            Command::PrevHeading => "prev_heading",
            Command::NextHeading => "next_heading",
            Command::CopyLink => "copy_link",
            Command::Edit => "edit",
            Command::Reload => "reload",
            Command::Tags => "tags",
            Command::CycleSort => "cycle_sort",
            Command::FullText => "full_text",
        }
    }

    /// The command with this config-file name.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// One line saying what it does anywhere.
    pub fn description(self) -> &'static str {
        match self {
            Command::Up => "one step up",
            Command::Down => "one step down",
            Command::PageUp => "a page up",
            Command::PageDown => "a page down",
            Command::HalfPageUp => "half a page up",
            Command::HalfPageDown => "half a page down",
            Command::Top => "to the top",
            Command::Bottom => "to the end",
            Command::Open => "open what is selected",
            Command::Back => "back, or close what is on top",
            Command::Quit => "quit",
            Command::Suspend => "suspend to the shell (fg resumes)",
            Command::Search => "search (titles in the list, text in the reader)",
            Command::ClearSearch => "clear the search",
            Command::DeleteChar => "delete a character",
            Command::ClearQuery => "clear the query",
            Command::OpenSource => "open the article's source in the browser",
            Command::FindNext => "next place found",
            Command::FindPrev => "previous place found",
            Command::NextLink => "focus the next link",
            Command::PrevLink => "focus the previous link",
            Command::LinkPanel => "list every link",
            Command::Help => "show the keys",
            Command::ToggleRead => "mark read or unread",
            Command::MarkAllRead => "mark every article in the view read",
            Command::ToggleSaved => "save for later, or unsave",
            Command::NextArticle => "read the next article of the list",
            Command::PrevArticle => "read the previous article of the list",
            Command::NextUnread => "read the next unread article",
            Command::CycleView => "show all, unread, saved, or continue reading",
            Command::Outline => "the article's headings, to jump to one",
            Command::PrevHeading => "to the previous heading",
            Command::NextHeading => "to the next heading",
            Command::CopyLink => "copy a link's address to the clipboard",
            Command::Edit => "open the article in $VISUAL or $EDITOR",
            Command::Reload => "read the folder and the article again",
            Command::Tags => "the library's tags, to show one tag's articles",
            Command::CycleSort => "sort by date, title, path or last read",
            Command::FullText => "search the text of every article",
        }
    }

    /// What it does in `context`, or `None` where it means nothing (a config error to bind).
    pub fn describe(self, context: Context) -> Option<&'static str> {
        use Command as C;
        use Context as X;
        let text = match (context, self) {
            (_, C::Quit) => "quit",
            (_, C::Suspend) => "suspend to the shell (fg resumes)",
            (_, C::Help) => "show every key",
            (X::Global, _) => return None,
            (X::List, C::Down) => "next article",
            (X::List, C::Up) => "previous article",
            (X::List, C::PageDown) => "page down",
            (X::List, C::PageUp) => "page up",
            (X::List, C::HalfPageDown) => "half a page down",
            (X::List, C::HalfPageUp) => "half a page up",
            (X::List, C::Top) => "first article",
            (X::List, C::Bottom) => "last article",
            (X::List, C::Open) => "read the article",
            (X::List, C::Search) => "search titles",
            (X::List, C::ClearSearch) => "clear the search, then the tag",
            (X::List, C::Tags) => "tags: show one tag's articles",
            (X::List, C::CycleSort) => "sort by date → title → path → last read",
            (X::List, C::Edit) => "edit the article in $VISUAL or $EDITOR",
            (X::List, C::Reload) => "read the folder again",
            (X::List, C::FullText) => "search the text of every article",
            (X::List, C::ToggleRead) => "mark read or unread",
            (X::List, C::MarkAllRead) => "mark every article shown read",
            (X::List, C::ToggleSaved) => "save for later, or unsave",
            (X::List, C::CycleView) => "show all → unread → saved → continue reading",
            (X::Search, C::Down) => "next match",
            (X::Search, C::Up) => "previous match",
            (X::Search, C::PageDown) => "page down",
            (X::Search, C::PageUp) => "page up",
            (X::Search, C::Open) => "read the selected article",
            (X::Search, C::DeleteChar) => "delete a character",
            (X::Search, C::ClearQuery) => "clear the query",
            (X::Search, C::ClearSearch) => "clear the search, full list",
            (X::Reader, C::Down) => "scroll down a line",
            (X::Reader, C::Up) => "scroll up a line",
            (X::Reader, C::PageDown) => "page down",
            (X::Reader, C::PageUp) => "page up",
            (X::Reader, C::HalfPageDown) => "half a page down",
            (X::Reader, C::HalfPageUp) => "half a page up",
            (X::Reader, C::Top) => "top",
            (X::Reader, C::Bottom) => "end",
            (X::Reader, C::NextLink) => "focus the next link or footnote",
            (X::Reader, C::PrevLink) => "focus the previous link or footnote",
            (X::Reader, C::Open) => "open the focused link",
            (X::Reader, C::Search) => "find text in the article",
            (X::Reader, C::FindNext) => "next place found",
            (X::Reader, C::FindPrev) => "previous place found",
            (X::Reader, C::LinkPanel) => "list every link",
            (X::Reader, C::OpenSource) => "open the source in the browser",
            (X::Reader, C::Back) => "back to the list or the last article",
            (X::Reader, C::ClearSearch) => "clear the find marks or link number, else back",
            (X::Reader, C::DeleteChar) => "delete a digit of the link number, else back",
            (X::Reader, C::ToggleRead) => "mark read or unread",
            (X::Reader, C::ToggleSaved) => "save for later, or unsave",
            (X::Reader, C::NextArticle) => "next article of the list",
            (X::Reader, C::PrevArticle) => "previous article of the list",
            (X::Reader, C::NextUnread) => "next unread article",
            (X::Reader, C::Outline) => "outline: jump to a heading",
            (X::Reader, C::PrevHeading) => "previous heading",
            (X::Reader, C::NextHeading) => "next heading",
            (X::Reader, C::Edit) => "edit the article in $VISUAL or $EDITOR",
            (X::Reader, C::Reload) => "read the article again",
            (X::Reader, C::CopyLink) => "copy the focused link (else the source) to the clipboard",
            (X::Links, C::CopyLink) => "copy the link to the clipboard",
            (X::Outline, C::Down) => "next heading",
            (X::Outline, C::Up) => "previous heading",
            (X::Outline, C::PageDown) => "page down",
            (X::Outline, C::PageUp) => "page up",
            (X::Outline, C::Top) => "first heading",
            (X::Outline, C::Bottom) => "last heading",
            (X::Outline, C::Open) => "go to the heading",
            (X::Outline, C::DeleteChar) => "delete a character",
            (X::Outline, C::ClearQuery) => "clear the filter",
            (X::Outline, C::Back) => "close",
            (X::Tags, C::Down) => "next tag",
            (X::Tags, C::Up) => "previous tag",
            (X::Tags, C::PageDown) => "page down",
            (X::Tags, C::PageUp) => "page up",
            (X::Tags, C::Top) => "first tag",
            (X::Tags, C::Bottom) => "last tag",
            (X::Tags, C::Open) => "show the tag's articles (the tag in force: all)",
            (X::Tags, C::DeleteChar) => "delete a character",
            (X::Tags, C::ClearQuery) => "clear the filter",
            (X::Tags, C::Back) => "close",
            (X::FullText, C::Down) => "next article found",
            (X::FullText, C::Up) => "previous article found",
            (X::FullText, C::PageDown) => "page down",
            (X::FullText, C::PageUp) => "page up",
            (X::FullText, C::Open) => "read it at the first place found (n and N for the next)",
            (X::FullText, C::DeleteChar) => "delete a character",
            (X::FullText, C::ClearQuery) => "clear the query",
            (X::FullText, C::Back) => "close",
            (X::Find, C::FindNext) => "next place",
            (X::Find, C::FindPrev) => "previous place",
            (X::Find, C::Open) => "keep the places marked, read on",
            (X::Find, C::DeleteChar) => "delete a character",
            (X::Find, C::ClearQuery) => "clear the text",
            (X::Find, C::ClearSearch) => "stop finding",
            (X::Links, C::Down) => "next link",
            (X::Links, C::Up) => "previous link",
            (X::Links, C::PageDown) => "page down",
            (X::Links, C::PageUp) => "page up",
            (X::Links, C::Top) => "first link",
            (X::Links, C::Bottom) => "last link",
            (X::Links, C::Open) => "open the link",
            (X::Links, C::Back) => "close",
            (X::Help, C::Down) => "scroll down",
            (X::Help, C::Up) => "scroll up",
            (X::Help, C::PageDown) => "page down",
            (X::Help, C::PageUp) => "page up",
            (X::Help, C::Top) => "top",
            (X::Help, C::Bottom) => "end",
            (X::Image, C::Back) => "back to the text",
            (X::Help, C::Back) => "close help",
            _ => return None,
        };
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_the_table() {
        for &command in Command::ALL {
            let json = serde_json::to_string(&command).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", command.name()));
            assert_eq!(Command::from_name(command.name()), Some(command));
        }
        assert_eq!(Command::from_name("fly"), None);
    }

    #[test]
    fn quit_and_help_mean_something_everywhere() {
        for context in Context::ALL {
            assert!(Command::Quit.describe(*context).is_some());
            assert!(Command::Help.describe(*context).is_some());
        }
        assert!(Command::NextLink.describe(Context::List).is_none());
    }
}
