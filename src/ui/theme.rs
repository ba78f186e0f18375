//! Semantic styles → terminal styles. The only place colours are chosen.
//!
//! Colours are from the terminal's 16-colour palette (plus the highlighter's RGB for code) so
//! they follow the user's dark or light scheme; with `NO_COLOR` only weight, italics, underline
//! and reverse remain.

use ratatui::style::{Color, Modifier, Style};

use crate::markdown::{Role, Style as TextStyle};

/// A set of styles for everything folio draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// False under `NO_COLOR`: only modifiers, no colours.
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true }
    }
}

impl Theme {
    /// The theme for this process: colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub const fn plain() -> Self {
        Theme { color: false }
    }

    fn fg(&self, style: Style, color: Color) -> Style {
        if self.color { style.fg(color) } else { style }
    }

    /// The terminal style of a run of article text.
    pub fn text(&self, s: &TextStyle) -> Style {
        let base = Style::default();
        let mut style = match s.role {
            Role::Body | Role::Quote => base,
            Role::Title => self.fg(base.add_modifier(Modifier::BOLD), Color::LightYellow),
            Role::Byline | Role::SourceHost | Role::Dim | Role::Continuation => {
                self.fg(base.add_modifier(Modifier::DIM), Color::Gray)
            }
            Role::Description => base.add_modifier(Modifier::ITALIC),
            Role::Heading(1) => self.fg(base.add_modifier(Modifier::BOLD), Color::LightYellow),
            Role::Heading(2) => self.fg(base.add_modifier(Modifier::BOLD), Color::LightCyan),
            Role::Heading(3) => self.fg(base.add_modifier(Modifier::BOLD), Color::LightGreen),
            Role::Heading(_) => self.fg(base.add_modifier(Modifier::BOLD), Color::LightMagenta),
            Role::HeadingRule | Role::Rule | Role::TableBorder | Role::QuoteGutter => {
                self.fg(base.add_modifier(Modifier::DIM), Color::DarkGray)
            }
            Role::Link => self.fg(base.add_modifier(Modifier::UNDERLINED), Color::LightBlue),
            Role::LinkNumber | Role::FootnoteRef => self.fg(base, Color::Cyan),
            Role::Image => self.fg(base.add_modifier(Modifier::ITALIC), Color::Magenta),
            Role::InlineCode => {
                if self.color {
                    base.fg(Color::LightRed).bg(Color::Black)
                } else {
                    base.add_modifier(Modifier::BOLD)
                }
            }
            Role::CodeBlock => self.fg(base, Color::Gray),
            Role::CodeLabel => self.fg(
                base.add_modifier(Modifier::DIM | Modifier::ITALIC),
                Color::Gray,
            ),
            Role::ListMarker => self.fg(base, Color::Yellow),
            Role::TaskDone => self.fg(base, Color::Green),
            Role::TaskOpen => self.fg(base, Color::Yellow),
            Role::TableHeader => base.add_modifier(Modifier::BOLD),
            Role::FootnoteLabel => self.fg(base, Color::Cyan),
            Role::AlertNote => self.fg(base.add_modifier(Modifier::BOLD), Color::LightBlue),
            Role::AlertTip => self.fg(base.add_modifier(Modifier::BOLD), Color::LightGreen),
            Role::AlertImportant => self.fg(base.add_modifier(Modifier::BOLD), Color::LightMagenta),
            Role::AlertWarning => self.fg(base.add_modifier(Modifier::BOLD), Color::Yellow),
            Role::AlertCaution => self.fg(base.add_modifier(Modifier::BOLD), Color::LightRed),
            Role::Problem => self.fg(base, Color::LightRed),
        };
        if s.strong {
            style = style.add_modifier(Modifier::BOLD);
        }
        if s.emphasis {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if s.strike {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        if let (true, Some(rgb)) = (self.color, s.fg) {
            style = style.fg(Color::Rgb(rgb.0, rgb.1, rgb.2));
        }
        style
    }

    /// A focused link: reversed, so it shows with or without colour.
    pub fn focused_link(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// Chrome: header and footer bars, dimmed hints, the selection and search matches.
    pub fn bar(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Gray)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn dim(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::DIM), Color::Gray)
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn matched(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Color::LightYellow,
        )
    }

    pub fn problem(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD),
            Color::LightRed,
        )
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// Ordinary text on the default colours.
    pub fn normal(&self) -> Style {
        Style::default()
    }

    /// A key name in hints and help.
    pub fn key(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// A message in the footer (the outcome of the last key).
    pub fn message(&self) -> Style {
        self.fg(Style::default(), Color::Yellow)
    }

    /// The bar left of the selected article.
    pub fn selection_bar(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// The selected article's title.
    pub fn selected_title(&self) -> Style {
        if self.color {
            self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    /// Tags in the list.
    pub fn tag(&self) -> Style {
        self.fg(Style::default(), Color::Magenta)
    }

    /// Frames and separators.
    pub fn rule(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::DIM),
            Color::DarkGray,
        )
    }

    /// A URL shown as a URL (footer, links panel).
    pub fn link_url(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::UNDERLINED),
            Color::Blue,
        )
    }
}
