//! What the reader remembers about articles, as the app sees it: marks, positions, views.
//!
//! The store (on disk, off the UI thread) is the loop's business; here are only the values,
//! the rules (when an article counts as read, how a position is anchored so it survives a
//! resize and edits above it) and the writes the app asks the loop to make.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::markdown::Layout;

/// Where the reader was in an article: the nearest heading above the top row (its anchor;
/// `None` before the first heading) and how many characters of text come after it before the
/// top row. Characters, not rows, so another width finds the same place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub heading: Option<String>,
    pub offset: usize,
}

/// An article's marks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mark {
    pub read: bool,
    /// The furthest point reached, 0.0 to 1.0.
    pub progress: f64,
    pub saved: bool,
    /// Unix seconds of the last opening.
    pub last_opened: Option<i64>,
    pub position: Option<Position>,
    /// Added or changed since the reader last ran on this folder.
    pub new: bool,
}

impl Mark {
    /// Opened and left before the end.
    pub fn started(&self) -> bool {
        !self.read && self.progress > 0.0
    }
}

/// A change for the store. The loop makes these in order, off the UI thread.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    Position {
        path: PathBuf,
        position: Position,
        progress: f64,
    },
    Read {
        path: PathBuf,
        read: bool,
    },
    Saved {
        path: PathBuf,
        saved: bool,
    },
    Opened {
        path: PathBuf,
    },
    Selected {
        root: PathBuf,
        path: PathBuf,
    },
    /// The order the list of the library at `root` is shown in.
    Sort {
        root: PathBuf,
        sort: super::Sort,
    },
}

/// Which articles the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    All,
    Unread,
    Saved,
    /// Started and unfinished, most recently opened first.
    Continue,
}

impl View {
    pub fn next(self) -> View {
        match self {
            View::All => View::Unread,
            View::Unread => View::Saved,
            View::Saved => View::Continue,
            View::Continue => View::All,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::All => "All",
            View::Unread => "Unread",
            View::Saved => "Saved",
            View::Continue => "Continue reading",
        }
    }
}

/// The memory of this session: marks by article path, and what is waiting to be written.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    pub marks: HashMap<PathBuf, Mark>,
    /// False until the store's answer arrives (the list shows first).
    pub loaded: bool,
    pub view: View,
    /// Writes the loop has not taken yet.
    pub writes: Vec<Write>,
    /// The ticket of the save timer running, if a position waits to be written.
    pub timer: Option<super::Ticket>,
}

impl Memory {
    pub fn mark(&self, path: &std::path::Path) -> Option<&Mark> {
        self.marks.get(path)
    }

    fn mark_mut(&mut self, path: &std::path::Path) -> &mut Mark {
        self.marks.entry(path.to_path_buf()).or_default()
    }

    /// Whether the article counts as unread in the list (never opened, or marked unread).
    pub fn is_unread(&self, path: &std::path::Path) -> bool {
        self.mark(path).is_none_or(|m| !m.read)
    }

    pub fn set_read(&mut self, path: &std::path::Path, read: bool) {
        let mark = self.mark_mut(path);
        mark.read = read;
        mark.progress = if read { 1.0 } else { 0.0 };
        if !read {
            mark.position = None;
        }
        self.writes.push(Write::Read {
            path: path.to_path_buf(),
            read,
        });
    }

    pub fn toggle_saved(&mut self, path: &std::path::Path) -> bool {
        let mark = self.mark_mut(path);
        mark.saved = !mark.saved;
        let saved = mark.saved;
        self.writes.push(Write::Saved {
            path: path.to_path_buf(),
            saved,
        });
        saved
    }

    /// Records where the reader is; returns true if the end came into view for the first time
    /// (the article has just become read).
    pub fn seen(&mut self, path: &std::path::Path, position: Position, progress: f64) -> bool {
        let mark = self.mark_mut(path);
        mark.position = Some(position);
        let before = mark.read;
        if progress > mark.progress {
            mark.progress = progress.min(1.0);
        }
        if mark.progress >= 1.0 {
            mark.read = true;
        }
        mark.read && !before
    }

    /// The write for the reader's current position, from its mark.
    pub fn position_write(&self, path: &std::path::Path) -> Option<Write> {
        let mark = self.mark(path)?;
        Some(Write::Position {
            path: path.to_path_buf(),
            position: mark.position.clone()?,
            progress: mark.progress,
        })
    }

    pub fn opened(&mut self, path: &std::path::Path) {
        self.mark_mut(path).new = false;
        self.writes.push(Write::Opened {
            path: path.to_path_buf(),
        });
    }
}

/// Roles repeated on every wrapped row; counting them would drift the anchor on re-wrap.
fn is_decoration(role: crate::markdown::Role) -> bool {
    use crate::markdown::Role;
    matches!(
        role,
        Role::QuoteGutter | Role::Continuation | Role::TableBorder | Role::HeadingRule | Role::Rule
    )
}

fn row_text(line: crate::markdown::Row<'_>) -> usize {
    line.spans()
        .filter(|span| !is_decoration(span.style.role))
        .map(|span| span.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// How many visible characters of text come before `row`: a place that survives re-wrapping.
pub(crate) fn text_before(layout: &Layout, row: usize) -> usize {
    layout.lines.iter().take(row).map(row_text).sum()
}

/// The row on which the text after `anchor` characters starts.
pub(crate) fn row_at_text(layout: &Layout, anchor: usize) -> usize {
    if anchor == 0 {
        return 0;
    }
    let mut seen = 0;
    for (row, line) in layout.lines.iter().enumerate() {
        let here = row_text(line);
        if seen + here > anchor || (seen >= anchor && here > 0) {
            return row;
        }
        seen += here;
    }
    layout.lines.len().saturating_sub(1)
}

/// The position of `top` in `layout`: the nearest heading at or above it, and the text between.
pub(crate) fn position_at(layout: &Layout, top: usize) -> Position {
    let heading = layout.headings.iter().rev().find(|h| h.row <= top);
    match heading {
        Some(h) => Position {
            heading: Some(h.anchor.clone()),
            offset: text_before(layout, top).saturating_sub(text_before(layout, h.row)),
        },
        None => Position {
            heading: None,
            offset: text_before(layout, top),
        },
    }
}

/// The row a position names in `layout`. A heading that is gone (the article was edited)
/// counts from the top.
pub(crate) fn row_of(layout: &Layout, position: &Position) -> usize {
    let base = position
        .heading
        .as_deref()
        .and_then(|anchor| layout.heading_row(anchor))
        .map_or(0, |row| text_before(layout, row));
    let row = row_at_text(layout, base + position.offset);
    // Land on the heading itself, not the rule under it, when the offset is zero.
    match position
        .heading
        .as_deref()
        .and_then(|a| layout.heading_row(a))
    {
        Some(heading_row) if position.offset == 0 => heading_row,
        _ => row,
    }
}

/// How far down the article the bottom of the screen is, 0.0 to 1.0.
pub(crate) fn progress_at(layout: &Layout, top: usize, rows: usize) -> f64 {
    let total = layout.lines.len();
    if total == 0 || top + rows >= total {
        return 1.0;
    }
    (top + rows) as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;

    fn laid(width: usize) -> Layout {
        let mut text = String::from("# Title\n\n");
        for section in ["One", "Two", "Three"] {
            text.push_str(&format!("## {section}\n\n"));
            for p in 0..6 {
                text.push_str(&format!(
                    "Paragraph {p} of {section}: words that wrap differently at different \
                     widths, so rows move while the text stays where it was.\n\n"
                ));
            }
        }
        let doc = markdown::parse::parse_markdown(&text);
        markdown::layout(&doc, width)
    }

    #[test]
    fn a_position_names_the_same_text_at_another_width() {
        let wide = laid(100);
        let narrow = laid(40);
        let top = wide
            .plain_lines()
            .iter()
            .position(|l| l.contains("Paragraph 3 of Two"))
            .expect("row");
        let position = position_at(&wide, top);
        assert_eq!(position.heading.as_deref(), Some("two"));
        let row = row_of(&narrow, &position);
        assert!(
            narrow.plain_lines()[row].contains("Paragraph 3 of Two"),
            "{:?}",
            narrow.plain_lines()[row]
        );
    }

    #[test]
    fn a_position_survives_an_edit_above_its_heading() {
        let layout = laid(80);
        let top = layout
            .plain_lines()
            .iter()
            .position(|l| l.contains("Paragraph 2 of Three"))
            .expect("row");
        let position = position_at(&layout, top);
        let edited = {
            let mut text = String::from("# Title\n\nA new opening paragraph, added later.\n\n");
            text.push_str("## Three\n\n");
            for p in 0..6 {
                text.push_str(&format!(
                    "Paragraph {p} of Three: words that wrap differently at different \
                     widths, so rows move while the text stays where it was.\n\n"
                ));
            }
            markdown::layout(&markdown::parse::parse_markdown(&text), 80)
        };
        let row = row_of(&edited, &position);
        assert!(edited.plain_lines()[row].contains("Paragraph 2 of Three"));
    }

    #[test]
    fn reaching_the_end_marks_read_once() {
        let mut memory = Memory::default();
        let path = std::path::Path::new("a.md");
        assert!(!memory.seen(path, Position::default(), 0.4));
        assert!(memory.mark(path).is_some_and(Mark::started));
        assert!(memory.seen(path, Position::default(), 1.0));
        assert!(!memory.seen(path, Position::default(), 1.0));
        assert!(memory.mark(path).is_some_and(|m| m.read && !m.started()));
        // Progress never goes back by scrolling up.
        memory.seen(path, Position::default(), 0.1);
        assert_eq!(memory.mark(path).map(|m| m.progress), Some(1.0));
    }
}
