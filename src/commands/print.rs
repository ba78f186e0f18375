//! `folio print`: one article rendered to stdout.
//!
//! The article is laid out exactly as the reader lays it out, then followed by its numbered
//! links so the URLs survive a pipe. Output is plain text or text with SGR sequences only.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use ratatui::style::{Color, Modifier, Style as TermStyle};

use crate::cli::{ColorChoice, PrintArgs, UsageError};
use crate::library::{self, LibraryError};
use crate::markdown::{self, Layout, Role, Style, parse};
use crate::text::{display_width, sanitize_line};
use crate::ui::theme::Theme;

/// The widest a default layout gets: long lines are hard to read.
pub const MAX_READING_WIDTH: usize = 100;
/// The width in a pipe, where there is no terminal to ask.
pub const PIPE_WIDTH: usize = 80;

pub fn run(args: &PrintArgs) -> anyhow::Result<ExitCode> {
    let (article, body) = library::read_article(&args.file).map_err(|err| match err {
        LibraryError::NotFound(_) | LibraryError::NotMarkdown(_) => {
            anyhow::Error::new(UsageError(err.to_string()))
        }
        other => anyhow::Error::new(other),
    })?;
    // What the reader would flag (broken front matter, a body cut short) goes to stderr, so
    // the page on stdout stays the article alone.
    let mut shown: Vec<&String> = Vec::new();
    for problem in article.problems.iter().chain(&body.problems) {
        if !shown.contains(&problem) {
            eprintln!("folio: {}: {}", article.rel_path, sanitize_line(problem));
            shown.push(problem);
        }
    }
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let width = args
        .width
        .map_or_else(|| default_width(is_terminal), usize::from);
    let theme = theme(args.color, is_terminal);
    let options = parse::Options {
        highlight: theme.is_some_and(|t| t.color),
    };
    let doc = parse::parse_article_with(&article.meta, &body.markdown, options);
    let layout = markdown::layout(&doc, width);
    let mut out = BufWriter::new(stdout.lock());
    let written = write_layout(&mut out, &layout, theme.as_ref()).and_then(|()| out.flush());
    // The process ends here: freeing a big document piece by piece is work nobody waits for.
    std::mem::forget(layout);
    std::mem::forget(doc);
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A reader that stopped early (`| head`) is not an error.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err.into()),
    }
}

/// The terminal's width capped at [`MAX_READING_WIDTH`], or [`PIPE_WIDTH`] in a pipe.
fn default_width(is_terminal: bool) -> usize {
    if !is_terminal {
        return PIPE_WIDTH;
    }
    match crossterm::terminal::size() {
        Ok((columns, _)) if columns > 0 => usize::from(columns).min(MAX_READING_WIDTH),
        _ => PIPE_WIDTH,
    }
}

/// `None` for plain text; a theme (with or without colours) for styled output.
fn theme(choice: ColorChoice, is_terminal: bool) -> Option<Theme> {
    match choice {
        ColorChoice::Never => None,
        ColorChoice::Always => Some(Theme { color: true }),
        ColorChoice::Auto if is_terminal => Some(Theme::from_env()),
        ColorChoice::Auto => None,
    }
}

/// Writes the laid-out article, then its links as `[n] url`.
pub fn write_layout(
    out: &mut impl Write,
    layout: &Layout,
    theme: Option<&Theme>,
) -> io::Result<()> {
    let mut sgr = Sgr::new(theme);
    for line in &layout.lines {
        for span in &line.spans {
            sgr.set(out, &span.style)?;
            out.write_all(span.text.as_bytes())?;
        }
        sgr.end_line(out)?;
    }
    if layout.links.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let rule = "─".repeat(layout.width.min(display_width("Links")).max(1));
    sgr.set(
        out,
        &Style {
            strong: true,
            ..Style::role(Role::Dim)
        },
    )?;
    out.write_all(b"Links")?;
    sgr.end_line(out)?;
    sgr.set(out, &Style::role(Role::HeadingRule))?;
    out.write_all(rule.as_bytes())?;
    sgr.end_line(out)?;
    let number_width = layout.links.len().to_string().len() + 2;
    for link in &layout.links {
        let number = format!("{:>number_width$}", format!("[{}]", link.number));
        sgr.set(out, &Style::role(Role::LinkNumber))?;
        out.write_all(number.as_bytes())?;
        sgr.set(out, &Style::role(Role::Body))?;
        out.write_all(b" ")?;
        out.write_all(link.url.as_bytes())?;
        sgr.end_line(out)?;
    }
    Ok(())
}

/// Writes SGR sequences only when the terminal style changes.
struct Sgr<'t> {
    theme: Option<&'t Theme>,
    current: TermStyle,
}

impl<'t> Sgr<'t> {
    fn new(theme: Option<&'t Theme>) -> Self {
        Sgr {
            theme,
            current: TermStyle::default(),
        }
    }

    fn set(&mut self, out: &mut impl Write, style: &Style) -> io::Result<()> {
        let Some(theme) = self.theme else {
            return Ok(());
        };
        let wanted = theme.text(style);
        if wanted == self.current {
            return Ok(());
        }
        let current = self.current;
        // Adding to the current style needs no reset: only what changes is written.
        let only_adds = current.add_modifier - wanted.add_modifier == Modifier::empty()
            && (current.fg.is_none() || wanted.fg.is_some())
            && (current.bg.is_none() || wanted.bg.is_some());
        if current != TermStyle::default() && only_adds {
            let change = TermStyle {
                fg: wanted.fg.filter(|c| current.fg != Some(*c)),
                bg: wanted.bg.filter(|c| current.bg != Some(*c)),
                add_modifier: wanted.add_modifier - current.add_modifier,
                ..TermStyle::default()
            };
            out.write_all(sgr_sequence(change).as_bytes())?;
        } else {
            if current != TermStyle::default() {
                out.write_all(b"\x1b[0m")?;
            }
            if wanted != TermStyle::default() {
                out.write_all(sgr_sequence(wanted).as_bytes())?;
            }
        }
        self.current = wanted;
        Ok(())
    }

    fn end_line(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.current != TermStyle::default() {
            out.write_all(b"\x1b[0m")?;
            self.current = TermStyle::default();
        }
        out.write_all(b"\n")
    }
}

/// `ESC [ params m` for a ratatui style.
fn sgr_sequence(style: TermStyle) -> String {
    let mut params: Vec<String> = Vec::new();
    let m = style.add_modifier;
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(flag) {
            params.push(code.to_owned());
        }
    }
    if let Some(fg) = style.fg {
        params.push(color_param(fg, false));
    }
    if let Some(bg) = style.bg {
        params.push(color_param(bg, true));
    }
    format!("\x1b[{}m", params.join(";"))
}

fn color_param(color: Color, background: bool) -> String {
    let base = |n: u8| (if background { n + 10 } else { n }).to_string();
    match color {
        Color::Reset => base(39),
        Color::Black => base(30),
        Color::Red => base(31),
        Color::Green => base(32),
        Color::Yellow => base(33),
        Color::Blue => base(34),
        Color::Magenta => base(35),
        Color::Cyan => base(36),
        Color::Gray => base(37),
        Color::DarkGray => base(90),
        Color::LightRed => base(91),
        Color::LightGreen => base(92),
        Color::LightYellow => base(93),
        Color::LightBlue => base(94),
        Color::LightMagenta => base(95),
        Color::LightCyan => base(96),
        Color::White => base(97),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", if background { 48 } else { 38 }),
        Color::Indexed(i) => format!("{};5;{i}", if background { 48 } else { 38 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_become_compact_sgr() {
        let style = TermStyle::default()
            .fg(Color::LightBlue)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        assert_eq!(sgr_sequence(style), "\x1b[1;4;94m");
        assert_eq!(
            sgr_sequence(
                TermStyle::default()
                    .fg(Color::Rgb(1, 2, 3))
                    .bg(Color::Black)
            ),
            "\x1b[38;2;1;2;3;40m"
        );
    }

    #[test]
    fn plain_output_has_no_escapes_and_ends_with_links() {
        let doc = parse::parse_markdown("See [the docs](https://example.com/d) now.");
        let layout = markdown::layout(&doc, 40);
        let mut out = Vec::new();
        write_layout(&mut out, &layout, None).unwrap_or_default();
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains('\x1b'));
        assert!(text.ends_with("[1] https://example.com/d\n"), "{text}");
    }

    #[test]
    fn style_changes_reset_only_at_boundaries() {
        let doc = parse::parse_markdown("plain **bold** plain");
        let layout = markdown::layout(&doc, 40);
        let mut out = Vec::new();
        let theme = Theme { color: true };
        write_layout(&mut out, &layout, Some(&theme)).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "plain \x1b[1mbold\x1b[0m plain\n"
        );
    }

    #[test]
    fn a_colour_change_alone_needs_no_reset() {
        let mut out = Vec::new();
        let theme = Theme { color: true };
        let mut sgr = Sgr::new(Some(&theme));
        let fg = |r| Style {
            fg: Some(crate::markdown::model::Rgb(r, 0, 0)),
            ..Style::role(Role::CodeBlock)
        };
        sgr.set(&mut out, &fg(1)).unwrap_or_default();
        sgr.set(&mut out, &fg(2)).unwrap_or_default();
        sgr.set(&mut out, &Style::role(Role::Body))
            .unwrap_or_default();
        sgr.end_line(&mut out).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\x1b[38;2;1;0;0m\x1b[38;2;2;0;0m\x1b[0m\n"
        );
    }
}
