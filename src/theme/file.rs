//! A theme file: TOML meaning → style, read forgivingly.
//!
//! ```toml
//! inherits = "dark"                         # optional: start from another theme
//! [palette]                                 # optional: names for colours used below
//! accent = "#d787ff"
//! "heading.1" = { fg = "accent", bold = true }
//! "code.keyword" = "accent"                  # a colour alone sets the foreground
//! [code]                                     # a table sets `code` and its children
//! fg = "gray"
//! string = { fg = "#87af5f", italic = true }
//! ```
//!
//! A broken entry is a warning naming the file, the line and the entry, and is left out: the
//! rest of the theme still applies.

use std::collections::HashMap;
use std::ops::Range;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Meaning;
use super::color::parse_color;

/// What a theme file says, before inheritance.
#[derive(Debug, Default)]
pub(crate) struct ThemeFile {
    pub(crate) inherits: Option<String>,
    pub(crate) entries: HashMap<String, Style>,
}

/// The attributes a style entry may set; any other key in a table is a child meaning.
const ATTRIBUTES: &[&str] = &[
    "fg",
    "bg",
    "bold",
    "italic",
    "underline",
    "dim",
    "reverse",
    "strike",
];

/// Reads a theme; `origin` names it in warnings.
pub(crate) fn parse(text: &str, origin: &str, warnings: &mut Vec<String>) -> ThemeFile {
    let mut reader = Reader {
        text,
        origin,
        warnings,
        palette: HashMap::new(),
    };
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(err) => {
            let line = err.span().map(|s| reader.line(&s));
            let place = line.map_or_else(String::new, |l| format!(":{l}"));
            reader.warnings.push(format!(
                "{origin}{place}: not a theme (TOML): {}",
                err.message().trim()
            ));
            return ThemeFile::default();
        }
    };
    let table = table.get_ref();
    let mut file = ThemeFile::default();
    if let Some(palette) = table.get("palette") {
        reader.palette(palette);
    }
    // Warnings in the order of the file, not of the table's keys.
    let mut items: Vec<_> = table.iter().collect();
    items.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in items {
        let name = key.get_ref().as_ref();
        match name {
            "palette" => {}
            "inherits" => match value.get_ref().as_str() {
                Some(parent) => file.inherits = Some(parent.to_owned()),
                None => reader.warn(value.span(), name, "must be a theme's name in quotes"),
            },
            _ => reader.entry(name, value, &mut file.entries),
        }
    }
    file
}

struct Reader<'a> {
    text: &'a str,
    origin: &'a str,
    warnings: &'a mut Vec<String>,
    palette: HashMap<String, Color>,
}

impl Reader<'_> {
    /// The 1-based line of a byte offset.
    fn line(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn warn(&mut self, span: Range<usize>, entry: &str, problem: &str) {
        let line = self.line(&span);
        let entry = crate::text::sanitize_line(entry);
        self.warnings
            .push(format!("{}:{line}: {entry}: {problem}", self.origin));
    }

    fn palette(&mut self, value: &Spanned<DeValue<'_>>) {
        let Some(table) = value.get_ref().as_table() else {
            self.warn(value.span(), "palette", "must be a table of colours");
            return;
        };
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match value.get_ref().as_str().and_then(parse_color) {
                Some(color) => {
                    self.palette.insert(name.to_owned(), color);
                }
                None => self.warn(
                    value.span(),
                    &format!("palette.{name}"),
                    "not a colour (#rrggbb, a colour name, or 0-255)",
                ),
            }
        }
    }

    /// One meaning: a colour (its foreground) or a table of attributes and children.
    fn entry(
        &mut self,
        name: &str,
        value: &Spanned<DeValue<'_>>,
        entries: &mut HashMap<String, Style>,
    ) {
        if !is_known(name) {
            self.warn(
                value.span(),
                name,
                "no such meaning (see the README's Themes)",
            );
            return;
        }
        match value.get_ref() {
            DeValue::String(_) | DeValue::Integer(_) => {
                if let Some(color) = self.color(name, value) {
                    entries.insert(name.to_owned(), Style::default().fg(color));
                }
            }
            DeValue::Table(table) => self.table(name, table, entries),
            _ => self.warn(
                value.span(),
                name,
                "must be a colour or a table like { fg = \"blue\", bold = true }",
            ),
        }
    }

    fn table(&mut self, name: &str, table: &DeTable<'_>, entries: &mut HashMap<String, Style>) {
        let mut style = Style::default();
        let mut has_attributes = false;
        for (key, value) in table.iter() {
            let key = key.get_ref().as_ref();
            if !ATTRIBUTES.contains(&key) {
                self.entry(&format!("{name}.{key}"), value, entries);
                continue;
            }
            has_attributes = true;
            let entry = format!("{name}.{key}");
            if let Some(color_key) = ["fg", "bg"].iter().find(|k| **k == key) {
                if let Some(color) = self.color(&entry, value) {
                    style = if *color_key == "fg" {
                        style.fg(color)
                    } else {
                        style.bg(color)
                    };
                }
                continue;
            }
            let Some(on) = value.get_ref().as_bool() else {
                self.warn(value.span(), &entry, "must be true or false");
                continue;
            };
            let modifier = match key {
                "bold" => Modifier::BOLD,
                "italic" => Modifier::ITALIC,
                "underline" => Modifier::UNDERLINED,
                "dim" => Modifier::DIM,
                "reverse" => Modifier::REVERSED,
                _ => Modifier::CROSSED_OUT,
            };
            if on {
                style = style.add_modifier(modifier);
            }
        }
        if has_attributes || table.is_empty() {
            entries.insert(name.to_owned(), style);
        }
    }

    fn color(&mut self, entry: &str, value: &Spanned<DeValue<'_>>) -> Option<Color> {
        let color = match value.get_ref() {
            DeValue::String(s) => self
                .palette
                .get(s.as_ref())
                .copied()
                .or_else(|| parse_color(s)),
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .and_then(|n| u8::try_from(n).ok())
                .map(Color::Indexed),
            _ => None,
        };
        if color.is_none() {
            self.warn(
                value.span(),
                entry,
                "not a colour (#rrggbb, a colour name, 0-255, or a palette name)",
            );
        }
        color
    }
}

/// A meaning folio draws, or a parent of one (`code` for `code.keyword`).
fn is_known(name: &str) -> bool {
    Meaning::ALL.iter().any(|m| {
        let full = m.name();
        full == name
            || full
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}
