//! `folio print`: one article rendered to stdout.
//!
//! The article is laid out exactly as the reader lays it out, then followed by its numbered
//! links so the URLs survive a pipe. Output is plain text or text with SGR sequences only,
//! styled by the same themes as the reader (`--theme`, `FOLIO_THEME`).

use std::collections::VecDeque;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstyle::{AnsiColor, Effects};
use ratatui::style::{Color, Modifier, Style as TermStyle};

use super::print_pictures::{self, Asked, Drawer, PictureConfig};
use crate::error::UsageError;
use crate::library::{self, LibraryError};
use crate::markdown::highlight::Pending;
use crate::markdown::{self, Role, Style, layout, parse};
use crate::text::{display_width, sanitize_line};
use crate::theme::Theme;

/// `folio print`'s arguments.
#[derive(Clone, Debug, clap::Args)]
pub struct PrintArgs {
    /// The Markdown file to render.
    pub file: PathBuf,
    /// Wrap at N columns (default: the terminal's width capped at 100, or 80 in a pipe).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub width: Option<u16>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Colour theme: auto, dark, light, or NAME for ~/.config/folio/themes/NAME.toml
    /// (default: $FOLIO_THEME, else auto).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// Show the article through $PAGER (default: less -R), in colour at the terminal's width.
    #[arg(short, long)]
    pub pager: bool,
    /// Draw local images alone in their paragraphs when stdout is a terminal: through the
    /// terminal's graphics protocol (kitty, iTerm2, sixel) when it has one, else as coloured
    /// half-blocks. Otherwise, and with `images = "off"`, they stay labels.
    #[arg(long)]
    pub images: bool,
    /// The config's picture settings (from the config file, not a flag).
    #[arg(skip)]
    pub pictures: PictureConfig,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour only when stdout is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    Always,
    Never,
}

/// The widest a default layout gets: long lines are hard to read.
pub(crate) const MAX_READING_WIDTH: usize = 100;
/// The width in a pipe, where there is no terminal to ask.
pub(crate) const PIPE_WIDTH: usize = 80;

pub(crate) fn run(args: &PrintArgs) -> anyhow::Result<ExitCode> {
    if args.file.is_dir() {
        let shown = sanitize_line(&args.file.to_string_lossy());
        return Err(UsageError(format!(
            "{shown} is a folder: `folio print` takes one article file (to list a folder: \
             folio list {})",
            shell_words::quote(&shown)
        ))
        .into());
    }
    let stdout = io::stdout();
    // The pager shows the page on the terminal, so it is laid out and coloured for one.
    let is_terminal = args.pager || stdout.is_terminal();
    if colour_asked(args, is_terminal) {
        size_pool();
        markdown::highlight::load_soon();
    }
    let theme = choose_theme(args, is_terminal);
    let highlight = theme.as_ref().is_some_and(Theme::has_color);
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
    let width = args
        .width
        .map_or_else(|| default_width(is_terminal), usize::from);
    if highlight {
        markdown::highlight::prewarm(&body.markdown);
    }
    let drawer = drawer(args, stdout.is_terminal(), theme.as_ref());
    // Parsed plain; the code is coloured on another thread while the text is laid out.
    let options = parse::Options { highlight: false };
    let mut doc = parse::parse_article_with(&article.meta, &body.markdown, options);
    let pending = highlight.then(|| Pending::start(&doc));
    if let Some(drawer) = &drawer {
        print_pictures::attach(
            &mut doc,
            &body.markdown,
            &args.file,
            &args.pictures,
            drawer.fit,
        );
    }
    drop(body);
    // Laid out and written a run of blocks at a time: the page is never held whole.
    if args.pager {
        page(&mut doc, width, theme.as_ref(), pending.as_ref())
    } else {
        let mut out = BufWriter::new(stdout.lock());
        let written = write_doc(
            &mut out,
            &mut doc,
            width,
            theme.as_ref(),
            drawer.as_ref(),
            pending.as_ref(),
            AHEAD_ROWS,
        );
        finish(written.and_then(|()| out.flush()))
    }
}

/// Gives the thread pool one thread fewer than the cores: this thread parses, lays out and
/// writes, the pool loads the grammars and colours the code, and every thread has a core.
/// With a thread a core in the pool (rayon's default), three threads shared two cores and
/// `print medium.md` took 8 % longer. `RAYON_NUM_THREADS`, when set, has the last word.
fn size_pool() {
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // Already built (a test run before): it stays as it is.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(cores.saturating_sub(1).max(1))
        .build_global();
}

/// What draws the pictures, when `--images` asks for them and they can be drawn; else
/// `None`, and once on stderr why not.
fn drawer(args: &PrintArgs, stdout_terminal: bool, theme: Option<&Theme>) -> Option<Drawer> {
    let asked = Asked {
        images: args.images,
        mode: args.pictures.images,
        stdout_terminal,
        pager: args.pager,
    };
    let why = match print_pictures::refusal(asked) {
        Some(why) => why,
        None => {
            let colour = theme.is_some_and(Theme::has_color);
            let depth = crate::theme::ColorDepth::from_env();
            match Drawer::for_terminal(&args.pictures, colour, depth) {
                Ok(drawer) => return Some(drawer),
                Err(why) => Some(why),
            }
        }
    };
    if let Some(why) = why {
        eprintln!("folio: images are shown as labels: {why}");
    }
    None
}

fn finish(written: io::Result<()>) -> anyhow::Result<ExitCode> {
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A reader that stopped early (`| head`, `q` in the pager) is not an error.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err.into()),
    }
}

/// The pager when `$PAGER` names none.
const DEFAULT_PAGER: [&str; 2] = ["less", "-R"];

/// `$PAGER` split into words as a shell would split it (`less -R`, `'my pager' --x`), or
/// [`DEFAULT_PAGER`] when it is unset or blank.
pub(crate) fn pager_command(value: Option<&str>) -> anyhow::Result<Vec<String>> {
    let default = || DEFAULT_PAGER.map(str::to_owned).to_vec();
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(default());
    };
    let words = shell_words::split(value).map_err(|err| {
        anyhow::anyhow!(
            "cannot read $PAGER ({}): {err}",
            crate::text::shown(value, 60)
        )
    })?;
    Ok(if words.is_empty() { default() } else { words })
}

/// Writes the page into the pager's input and waits for the reader to leave it. The pager
/// is run as a program with its arguments, never through a shell.
fn page(
    doc: &mut markdown::Document,
    width: usize,
    theme: Option<&Theme>,
    pending: Option<&Pending>,
) -> anyhow::Result<ExitCode> {
    let pager = std::env::var("PAGER").ok();
    let words = pager_command(pager.as_deref())?;
    let shown = crate::text::shown(&shell_words::join(&words), 60);
    let (program, rest) = words
        .split_first()
        .ok_or_else(|| anyhow::anyhow!("no pager"))?;
    let mut command = std::process::Command::new(program);
    command.args(rest).stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        // As git does: `PAGER=less` keeps the colours too.
        command.env("LESS", "R");
    }
    let mut child = command.spawn().map_err(|err| {
        anyhow::anyhow!(
            "could not start the pager `{shown}`: {err} (set $PAGER to another, or leave out \
             --pager)"
        )
    })?;
    // Ctrl-C while the pager runs is the pager's to handle; folio must not end under it and
    // leave it fighting the shell for the terminal. Registering a handler stops the default
    // action, and the process ends right after the pager.
    let _interrupts = signal_hook::flag::register(
        signal_hook::consts::SIGINT,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let written = match child.stdin.take() {
        Some(input) => {
            let mut input = BufWriter::new(input);
            write_doc(&mut input, doc, width, theme, None, pending, AHEAD_ROWS)
                .and_then(|()| input.flush())
        }
        None => Ok(()),
    };
    let status = child
        .wait()
        .map_err(|err| anyhow::anyhow!("the pager `{shown}`: {err}"))?;
    let code = finish(written)?;
    if !status.success() && status.code().is_some() {
        return Err(anyhow::anyhow!("the pager `{shown}` exited with {status}"));
    }
    Ok(code)
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

/// `None` for plain text; a theme (with or without colours) for styled output. The theme is
/// `--theme`, else `FOLIO_THEME`, else `auto`; its problems go to stderr.
fn choose_theme(args: &PrintArgs, is_terminal: bool) -> Option<Theme> {
    colour_asked(args, is_terminal).then(|| Theme::from_env_named(args.theme.as_deref()))
}

/// Whether the page is to be in colour, if its theme has any.
fn colour_asked(args: &PrintArgs, is_terminal: bool) -> bool {
    match args.color {
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal,
        ColorChoice::Always => true,
    }
}

/// Writes the laid-out article, then its links as `[n] url`.
/// The whole layout at once: what [`write_doc`] streams, kept to check it against.
#[cfg(test)]
fn write_layout(
    out: &mut impl Write,
    layout: &markdown::Layout,
    theme: Option<&Theme>,
) -> io::Result<()> {
    let mut sgr = Sgr::new(theme);
    write_lines(out, &layout.lines, &mut sgr)?;
    let links: Vec<(usize, &str)> = layout
        .links
        .iter()
        .map(|l| (l.number, l.url.as_str()))
        .collect();
    write_links(out, layout.width, &links, &mut sgr)
}

/// Lays out `doc` at `width` and writes it a run of blocks at a time, then its links: what
/// [`write_layout`] writes for its layout. The pictures are drawn by `drawer` in the rows
/// kept for them, and each run's code blocks take their colours from `pending` first, the
/// layout going on past code whose colours are not in yet by about `hold` rows at most
/// ([`AHEAD_ROWS`]).
pub(crate) fn write_doc(
    out: &mut impl Write,
    doc: &mut markdown::Document,
    width: usize,
    theme: Option<&Theme>,
    drawer: Option<&Drawer>,
    pending: Option<&Pending>,
    hold: usize,
) -> io::Result<()> {
    let mut sgr = Sgr::new(theme);
    let wrap = markdown::Wrap::default();
    let mut write = |lines: &markdown::Rows, pictures: &[layout::PicturePlace]| {
        let Some(drawer) = drawer else {
            return write_lines(out, lines, &mut sgr);
        };
        let mut at = 0;
        for place in pictures {
            let start = place.row.min(lines.len());
            let end = (place.row + usize::from(place.rows)).min(lines.len());
            write_rows(out, lines.range(at.min(start)..start), &mut sgr)?;
            let kept: Vec<markdown::Row<'_>> = lines.range(start..end).collect();
            write_picture(out, &kept, place, drawer, &mut sgr)?;
            at = end;
        }
        write_rows(out, lines.range(at.min(lines.len())..lines.len()), &mut sgr)
    };
    let mut stream = layout::Stream::start(doc, width, wrap, &mut write)?;
    let Some(pending) = pending else {
        for run in layout::stream_runs(doc) {
            stream.lay(doc, run, &mut write)?;
        }
        return write_links(out, width.max(1), &out_links(doc), &mut sgr);
    };
    // With code to colour, each code block is a run of its own. The layout never waits for
    // colours: a block whose colours are still being worked out is passed over (its rows
    // counted, so the text after it can be laid out) and laid out again once they are in,
    // and the rows after it wait in order behind it.
    let runs = layout::stream_runs_apart(doc, |block| {
        matches!(
            block.kind,
            markdown::model::BlockKind::Code { lang: Some(_), .. }
        )
    });
    let mut ahead = Ahead::default();
    for run in runs {
        if ahead.rows >= hold {
            ahead.write(doc, pending, Wait::Yes, &mut write)?;
        }
        if pending.ready(run.clone()) {
            colour(doc, pending, &run);
            let (rows, pictures) = stream.lay_rows(doc, run);
            ahead.push(rows.len(), Queued::Laid(rows, pictures));
        } else {
            let from = stream.clone();
            let (rows, _) = stream.lay_rows(doc, run.clone());
            ahead.push(rows.len(), Queued::Code { run, from });
        }
        ahead.write(doc, pending, Wait::No, &mut write)?;
    }
    ahead.write(doc, pending, Wait::Yes, &mut write)?;
    write_links(out, width.max(1), &out_links(doc), &mut sgr)
}

/// Rows a streamed `print` holds at most, laid out ahead of a code block whose colours are not
/// in yet; past them it waits for the colours.
const AHEAD_ROWS: usize = 1 << 14;

/// Runs laid out ahead of the page written so far, in order.
#[derive(Default)]
struct Ahead {
    queue: VecDeque<Queued>,
    /// Rows the queue stands for.
    rows: usize,
}

enum Queued {
    /// A run laid out, waiting for the runs before it.
    Laid(markdown::Rows, Vec<layout::PicturePlace>),
    /// A code block waiting for its colours, and the stream as it stood before it.
    Code {
        run: std::ops::Range<usize>,
        from: layout::Stream,
    },
}

/// Whether [`Ahead::write`] waits for the colours of the code at the head of the queue.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wait {
    Yes,
    No,
}

impl Ahead {
    fn push(&mut self, rows: usize, queued: Queued) {
        self.rows += rows;
        self.queue.push_back(queued);
    }

    /// Writes the runs at the head of the queue, up to the first code block whose colours are
    /// not in yet; with [`Wait::Yes`], all of them, colouring (or helping to colour) that code.
    fn write(
        &mut self,
        doc: &mut markdown::Document,
        pending: &Pending,
        wait: Wait,
        write: &mut impl FnMut(&markdown::Rows, &[layout::PicturePlace]) -> io::Result<()>,
    ) -> io::Result<()> {
        while let Some(head) = self.queue.front_mut() {
            let (rows, pictures) = match head {
                Queued::Laid(rows, pictures) => (std::mem::take(rows), std::mem::take(pictures)),
                Queued::Code { run, from } => {
                    if wait == Wait::No && !pending.ready(run.clone()) {
                        break;
                    }
                    colour(doc, pending, run);
                    from.lay_rows(doc, run.clone())
                }
            };
            self.queue.pop_front();
            self.rows = self.rows.saturating_sub(rows.len());
            write(&rows, &pictures)?;
        }
        Ok(())
    }
}

/// Gives the code blocks of `run` their colours, waiting for (or working out) those not in.
fn colour(doc: &mut markdown::Document, pending: &Pending, run: &std::ops::Range<usize>) {
    if let Some(blocks) = doc.blocks.get_mut(run.clone()) {
        pending.apply(blocks, run.start);
    }
}

/// The document's links as `print` numbers them.
fn out_links(doc: &markdown::Document) -> Vec<(usize, &str)> {
    doc.links
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.url.as_str()))
        .collect()
}

fn write_lines(out: &mut impl Write, lines: &markdown::Rows, sgr: &mut Sgr) -> io::Result<()> {
    write_rows(out, lines.iter(), sgr)
}

fn write_rows<'a>(
    out: &mut impl Write,
    rows: impl Iterator<Item = markdown::Row<'a>>,
    sgr: &mut Sgr,
) -> io::Result<()> {
    for line in rows {
        for span in line.spans() {
            sgr.set(out, &span.style)?;
            out.write_all(span.text.as_bytes())?;
        }
        sgr.end_line(out)?;
    }
    Ok(())
}

/// A picture in its rows: each row's own prefix (a quote's gutter), then the picture's row;
/// one that cannot be drawn is a row saying why.
fn write_picture(
    out: &mut impl Write,
    lines: &[markdown::Row<'_>],
    place: &markdown::layout::PicturePlace,
    drawer: &Drawer,
    sgr: &mut Sgr,
) -> io::Result<()> {
    match drawer.encode(&place.path, place.cols, place.rows) {
        Ok(rows) => {
            for (k, row) in rows.iter().enumerate() {
                write_prefix(out, lines.get(k).copied(), place.column, sgr)?;
                out.write_all(row.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        Err(why) => {
            write_prefix(out, lines.first().copied(), place.column, sgr)?;
            sgr.set(out, &Style::role(Role::Dim))?;
            write!(out, "({why})")?;
            sgr.end_line(out)?;
        }
    }
    Ok(())
}

/// A picture row's own text (a quote's gutter), then spaces to the picture's column.
fn write_prefix(
    out: &mut impl Write,
    line: Option<markdown::Row<'_>>,
    column: usize,
    sgr: &mut Sgr,
) -> io::Result<()> {
    let mut shown = 0;
    for span in line.into_iter().flat_map(markdown::Row::spans) {
        sgr.set(out, &span.style)?;
        out.write_all(span.text.as_bytes())?;
        shown += display_width(span.text);
    }
    sgr.reset(out)?;
    let pad = column.saturating_sub(shown);
    write!(out, "{:pad$}", "")
}

/// The numbered links after the page, so the URLs survive a pipe.
fn write_links(
    out: &mut impl Write,
    width: usize,
    links: &[(usize, &str)],
    sgr: &mut Sgr,
) -> io::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let rule = "─".repeat(width.min(display_width("Links")).max(1));
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
    let number_width = links.len().to_string().len() + 2;
    for &(number, url) in links {
        let number = format!("{:>number_width$}", format!("[{number}]"));
        sgr.set(out, &Style::role(Role::LinkNumber))?;
        out.write_all(number.as_bytes())?;
        sgr.set(out, &Style::role(Role::Body))?;
        out.write_all(b" ")?;
        out.write_all(url.as_bytes())?;
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
        let wanted = normalize(theme.text(style));
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
            ansi(change).write_to(out)?;
        } else {
            write!(out, "{}", ansi(current).render_reset())?;
            ansi(wanted).write_to(out)?;
        }
        self.current = wanted;
        Ok(())
    }

    /// Back to the terminal's default style, on the same line.
    fn reset(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.current != TermStyle::default() {
            write!(out, "{}", ansi(self.current).render_reset())?;
        }
        self.current = TermStyle::default();
        Ok(())
    }

    fn end_line(&mut self, out: &mut impl Write) -> io::Result<()> {
        write!(out, "{}", ansi(self.current).render_reset())?;
        self.current = TermStyle::default();
        out.write_all(b"\n")
    }
}

/// The terminal's default colour is no colour at all: nothing to write, nothing to reset.
fn normalize(style: TermStyle) -> TermStyle {
    TermStyle {
        fg: style.fg.filter(|c| *c != Color::Reset),
        bg: style.bg.filter(|c| *c != Color::Reset),
        underline_color: None,
        sub_modifier: Modifier::empty(),
        ..style
    }
}

/// A theme's style as anstyle writes it. Named colours stay the 16 named SGR codes (`31`,
/// `97` …), which every terminal and the Linux console show; crossterm would write them as
/// 256-palette indexes.
fn ansi(style: TermStyle) -> anstyle::Style {
    let mut effects = Effects::new();
    let m = style.add_modifier;
    for (flag, effect) in [
        (Modifier::BOLD, Effects::BOLD),
        (Modifier::DIM, Effects::DIMMED),
        (Modifier::ITALIC, Effects::ITALIC),
        (Modifier::UNDERLINED, Effects::UNDERLINE),
        (Modifier::REVERSED, Effects::INVERT),
        (Modifier::CROSSED_OUT, Effects::STRIKETHROUGH),
    ] {
        if m.contains(flag) {
            effects |= effect;
        }
    }
    anstyle::Style::new()
        .fg_color(style.fg.and_then(ansi_color))
        .bg_color(style.bg.and_then(ansi_color))
        .effects(effects)
}

fn ansi_color(color: Color) -> Option<anstyle::Color> {
    let named = |c: AnsiColor| Some(anstyle::Color::Ansi(c));
    match color {
        Color::Reset => None,
        Color::Black => named(AnsiColor::Black),
        Color::Red => named(AnsiColor::Red),
        Color::Green => named(AnsiColor::Green),
        Color::Yellow => named(AnsiColor::Yellow),
        Color::Blue => named(AnsiColor::Blue),
        Color::Magenta => named(AnsiColor::Magenta),
        Color::Cyan => named(AnsiColor::Cyan),
        Color::Gray => named(AnsiColor::White),
        Color::DarkGray => named(AnsiColor::BrightBlack),
        Color::LightRed => named(AnsiColor::BrightRed),
        Color::LightGreen => named(AnsiColor::BrightGreen),
        Color::LightYellow => named(AnsiColor::BrightYellow),
        Color::LightBlue => named(AnsiColor::BrightBlue),
        Color::LightMagenta => named(AnsiColor::BrightMagenta),
        Color::LightCyan => named(AnsiColor::BrightCyan),
        Color::White => named(AnsiColor::BrightWhite),
        Color::Indexed(i) => Some(anstyle::Ansi256Color(i).into()),
        Color::Rgb(r, g, b) => Some(anstyle::RgbColor(r, g, b).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sgr(style: TermStyle) -> String {
        ansi(style).render().to_string()
    }

    #[test]
    fn styles_become_sgr_with_named_colours_kept_named() {
        let style = TermStyle::default()
            .fg(Color::LightBlue)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        assert_eq!(sgr(style), "\x1b[1m\x1b[4m\x1b[94m");
        assert_eq!(
            sgr(TermStyle::default()
                .fg(Color::Rgb(1, 2, 3))
                .bg(Color::Black)),
            "\x1b[38;2;1;2;3m\x1b[40m"
        );
        assert_eq!(
            sgr(TermStyle::default().fg(Color::Indexed(99))),
            "\x1b[38;5;99m"
        );
    }

    #[test]
    fn pager_is_split_as_a_shell_would_or_defaults_to_less() {
        let split = |v: Option<&str>| pager_command(v).unwrap_or_default();
        assert_eq!(split(None), ["less", "-R"]);
        assert_eq!(split(Some("  ")), ["less", "-R"]);
        assert_eq!(
            split(Some("'/opt/my pager' -x \"a b\";rm")),
            ["/opt/my pager", "-x", "a b;rm"]
        );
        let unbalanced = pager_command(Some("less 'oops")).map_err(|e| e.to_string());
        assert!(unbalanced.is_err_and(|e| e.contains("$PAGER")));
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
    fn the_streamed_page_is_the_whole_layout_written() {
        let piece = "# H\n\nText [a](https://a.example) more words to wrap here.\n\n> quote\n>\n> - item\n>\n>   more\n\n\
                     - one\n- two\n\n<!-- x -->\n\n```\ncode\n```\n\n```rust\nfn main() { let s = \"x\"; }\n```\n\n\
                     > ```python\n> def f(): return 'y'  # c\n> ```\n\n";
        let text = format!(
            "<!-- first -->\n\n{}[^n] end.\n\n[^n]: note.\n",
            piece.repeat(120)
        );
        for (title, width) in [("T", 40), ("", 7)] {
            let meta = crate::library::Meta {
                title: title.to_owned(),
                ..crate::library::Meta::default()
            };
            // Highlighted while parsing, against highlighted beside the layout, which goes on
            // past code whose colours are not in (holding as many rows as print does, none,
            // and a few).
            let doc = parse::parse_article(&meta, &text);
            let plain = parse::Options { highlight: false };
            let theme = Theme::default();
            let mut whole = Vec::new();
            write_layout(&mut whole, &markdown::layout(&doc, width), Some(&theme))
                .unwrap_or_default();
            assert!(whole.len() > 10_000);
            let mut streamed = Vec::new();
            for hold in [AHEAD_ROWS, 0, 40] {
                // Not found already coloured, the code is still being coloured as it is reached.
                crate::markdown::highlight::clear_cache();
                let mut later = parse::parse_article_with(&meta, &text, plain);
                let pending = Pending::start(&later);
                streamed.clear();
                write_doc(
                    &mut streamed,
                    &mut later,
                    width,
                    Some(&theme),
                    None,
                    Some(&pending),
                    hold,
                )
                .unwrap_or_default();
                assert!(
                    whole == streamed,
                    "width {width}, holding {hold} rows: the streamed page differs"
                );
            }
            // The code was coloured: the page has more colours than without highlighting.
            let mut uncoloured = Vec::new();
            let mut plain_doc = parse::parse_article_with(&meta, &text, plain);
            write_doc(
                &mut uncoloured,
                &mut plain_doc,
                width,
                Some(&theme),
                None,
                None,
                AHEAD_ROWS,
            )
            .unwrap_or_default();
            assert!(streamed.len() > uncoloured.len(), "width {width}");
        }
    }

    #[test]
    fn style_changes_reset_only_at_boundaries() {
        let doc = parse::parse_markdown("plain **bold** plain");
        let layout = markdown::layout(&doc, 40);
        let mut out = Vec::new();
        let theme = Theme::default();
        write_layout(&mut out, &layout, Some(&theme)).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "plain \x1b[1mbold\x1b[0m plain\n"
        );
    }

    #[test]
    fn a_colour_change_alone_needs_no_reset() {
        let mut out = Vec::new();
        let theme = Theme::default();
        let mut sgr = Sgr::new(Some(&theme));
        let code = |token| Style {
            token: Some(token),
            ..Style::role(Role::CodeBlock)
        };
        sgr.set(&mut out, &code(crate::markdown::Token::Type))
            .unwrap_or_default();
        sgr.set(&mut out, &code(crate::markdown::Token::Function))
            .unwrap_or_default();
        sgr.set(&mut out, &Style::role(Role::Body))
            .unwrap_or_default();
        sgr.end_line(&mut out).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\x1b[38;2;0;160;170m\x1b[38;2;60;130;230m\x1b[0m\n"
        );
    }
}
