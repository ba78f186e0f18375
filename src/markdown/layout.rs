//! layout(&Document, width) → lines of styled spans plus where every link and heading sits.
//!
//! Wrapping goes through textwrap's core. A block's runs are joined into one text and split
//! into words: at spaces, and next to wide characters where the Unicode line-breaking rules
//! allow (so CJK breaks between characters). Each word becomes a [`textwrap::core::Fragment`]
//! measured in terminal columns; a word wider than the column is broken with
//! [`textwrap::core::break_words`]. Prose is filled with optimal fit ([`Wrap::Optimal`], the
//! minimum raggedness TeX uses) or first fit ([`Wrap::Greedy`]), and each row's fragments are
//! mapped back to the runs' styles and links. Code blocks are cut, never refilled. Container
//! prefixes (quote gutters, list markers, hanging indents) go on every row, and nesting stops
//! indenting where the text column would get too narrow.

use std::ops::Range;

use textwrap::WordSeparator;
use textwrap::wrap_algorithms::{Penalties, wrap_first_fit, wrap_optimal_fit};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use super::model::{
    Align, Block, BlockKind, Container, ContainerKind, Document, Marker, Picture, PictureFit, Role,
    Run, Style, Table,
};
pub use super::rows::{Row, Rows, SpanRef};
use crate::text::display_width;

/// A run of text on one line, in one style; `link` is the 1-based link number it belongs to.
/// Owned, for building rows; a [`Layout`] keeps them packed in [`Rows`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub link: Option<usize>,
}

impl Span {
    fn new(text: impl Into<String>, style: Style) -> Self {
        Span {
            text: text.into(),
            style,
            link: None,
        }
    }

    /// The span borrowed, as [`Rows`] takes and gives it.
    pub fn as_ref(&self) -> SpanRef<'_> {
        SpanRef {
            text: &self.text,
            style: self.style,
            link: self.link,
        }
    }
}

/// One screen row, owned (for building rows); its display width never exceeds the layout
/// width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    /// The row's text without styles.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// The row's display width in columns.
    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| display_width(&s.text)).sum()
    }
}

/// A numbered link (or image target) and every place its text was laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTarget {
    /// 1-based, in reading order; what `text[3]` shows.
    pub number: usize,
    pub url: String,
    /// The link's visible text (or image alt text), sanitized.
    pub text: String,
    /// (row, first column, end column exclusive) for each piece of the link on screen.
    pub places: Vec<(usize, usize, usize)>,
}

/// Where a heading starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub row: usize,
    pub level: u8,
    pub text: String,
    /// GitHub-style slug, for `file.md#anchor` links.
    pub anchor: String,
}

/// A document wrapped at one width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub lines: Rows,
    pub links: Vec<LinkTarget>,
    pub headings: Vec<Heading>,
    /// Where local pictures are drawn: blank rows kept for each.
    pub pictures: Vec<PicturePlace>,
    /// The rows each block that showed was laid out on, in document order.
    pub blocks: Vec<BlockRows>,
}

/// The rows kept blank for a picture, above its caption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PicturePlace {
    /// The image's link number.
    pub link: usize,
    pub path: std::path::PathBuf,
    /// First row, the column it starts at, and its size in cells.
    pub row: usize,
    pub column: usize,
    pub cols: u16,
    pub rows: u16,
}

impl Layout {
    /// Every row as plain text (for tests, search and `--color never`).
    pub fn plain_lines(&self) -> Vec<String> {
        self.lines.iter().map(Row::text).collect()
    }

    /// The row of the heading with this anchor (`file.md#anchor` links).
    pub fn heading_row(&self, anchor: &str) -> Option<usize> {
        self.headings
            .iter()
            .find(|h| h.anchor == anchor)
            .map(|h| h.row)
    }

    /// The number of the link drawn at (row, column), if any.
    pub fn link_at(&self, row: usize, column: usize) -> Option<usize> {
        let line = self.lines.get(row)?;
        let mut col = 0;
        for span in line.spans() {
            let w = width_of(span.text);
            if column < col + w {
                return span.link;
            }
            col += w;
        }
        None
    }
}

/// Nesting beyond this many containers adds no more indentation.
pub const MAX_INDENT_LEVELS: usize = 8;
/// The text column a container may not squeeze below (at narrow widths, half the width).
pub const MIN_TEXT_WIDTH: usize = 20;
/// Columns of a code block's left margin, where a wrapped line's continuation mark sits.
const CODE_MARGIN: usize = 2;
const CONTINUATION: &str = "↪ ";
/// Stands for a character wider than the whole column (only at widths of 1).
const TOO_WIDE: &str = "\u{FFFD}";

/// How prose is filled: the `wrap` config entry (`"optimal"` or `"greedy"`). It applies to
/// every text that is filled (paragraphs, headings, table cells, the header), never to code.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Wrap {
    /// The least ragged right edge over the whole paragraph (optimal fit, as TeX fills
    /// paragraphs): a row may end early so that the rows after it need not end very early.
    #[default]
    Optimal,
    /// Each row as full as it can be before the next one starts (first fit).
    Greedy,
}

/// The rows a block was laid out on, without the blank line before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockRows {
    /// Index into [`Document::blocks`].
    pub block: usize,
    pub rows: Range<usize>,
}

/// Wraps a document at `width` columns (at least 1), prose filled with optimal fit.
pub fn layout(doc: &Document, width: usize) -> Layout {
    layout_with(doc, width, Wrap::default())
}

/// Wraps a document at `width` columns (at least 1), prose filled as `wrap` says.
pub fn layout_with(doc: &Document, width: usize, wrap: Wrap) -> Layout {
    let width = width.max(1);
    let mut out = Out::new(width, wrap);
    let (text, spans, rows) = estimate(doc, width);
    out.lines = Rows::with_capacity(text, spans, rows);
    header(doc, &mut out);
    lay_blocks(doc, 0, &doc.blocks, None, false, usize::MAX, &mut out);
    finish(doc, out)
}

/// The rows of the blocks from `first` on, at least `min_rows` of them when the document has
/// them: a window of the [`layout_with`] rows of those blocks, at row 0 its first block's
/// first row (without the blank line before it). With `header`, `first` is the first block
/// that shows and the window is the top of the page, header included.
///
/// A block's rows depend only on itself and the block before it that showed, so every row
/// of the window is the same row of the whole layout; [`Layout::blocks`] says where.
pub fn layout_window(
    doc: &Document,
    width: usize,
    wrap: Wrap,
    first: usize,
    header: bool,
    min_rows: usize,
) -> Layout {
    let mut out = Out::new(width.max(1), wrap);
    if header {
        self::header(doc, &mut out);
    }
    let first = first.min(doc.blocks.len());
    lay_blocks(
        doc,
        first,
        &doc.blocks[first..],
        None,
        false,
        min_rows,
        &mut out,
    );
    finish(doc, out)
}

/// About how much a layout of `doc` at `width` holds, and more: (text bytes, spans, rows).
///
/// The rows of a big document are laid out into buffers of this size, so that they are never
/// copied to grow: each copy left the old buffer resident for a while (the allocator gives
/// freed pages back after a delay), and the reader's peak memory is what counts.
fn estimate(doc: &Document, width: usize) -> (usize, usize, usize) {
    let (mut text, mut runs, mut lines) = (0, 0, 0);
    let mut count = |r: &[Run]| {
        runs += r.len();
        text += r.iter().map(|r| r.text.len()).sum::<usize>();
    };
    for block in &doc.blocks {
        match &block.kind {
            BlockKind::Paragraph(r) | BlockKind::Heading { runs: r, .. } => count(r),
            BlockKind::Code { lines: l, .. } | BlockKind::Shortcode { lines: l, .. } => {
                lines += l.len();
                l.iter().for_each(|r| count(r));
            }
            BlockKind::Table(t) => {
                lines += t.rows.len() + 4;
                t.head
                    .iter()
                    .chain(t.rows.iter().flatten())
                    .for_each(|r| count(r));
            }
            BlockKind::Rule | BlockKind::AlertLabel(_) | BlockKind::NotesTitle => {}
        }
    }
    // Prefixes, rules and borders add text, wrapping adds rows and splits runs: generously
    // more, since room never written to is never resident.
    let rows = lines + doc.blocks.len() + text / (width.max(2) * 4 / 5);
    (text + text / 2, runs * 2, rows)
}

/// The layout of the rows made.
fn finish(doc: &Document, mut out: Out) -> Layout {
    out.lines.shrink_to_fit();
    out.blocks.shrink_to_fit();
    let links = link_places(doc, &out.lines);
    Layout {
        width: out.width,
        lines: out.lines,
        links,
        headings: out.headings,
        pictures: out.pictures,
        blocks: out.blocks,
    }
}

/// Blocks laid out at a time by a [`Stream`] (more when a quote or list runs on).
const STREAM_BLOCKS: usize = 256;

/// The runs of blocks a [`Stream`] lays out at a time, in order: about [`STREAM_BLOCKS`]
/// each, more when a quote or list runs on, each starting at a top-level block (whose blank
/// line before depends on nothing but whether rows came before it).
pub fn stream_runs(doc: &Document) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::with_capacity(doc.blocks.len() / STREAM_BLOCKS + 1);
    let mut start = 0;
    while start < doc.blocks.len() {
        let mut end = (start + STREAM_BLOCKS).min(doc.blocks.len());
        while end < doc.blocks.len() && !doc.blocks[end].containers.is_empty() {
            end += 1;
        }
        runs.push(start..end);
        start = end;
    }
    runs
}

/// [`stream_runs`], with each top-level block for which `at` holds in a run of its own
/// (`folio print` puts each code block alone: the text around it is laid out while the code
/// is being coloured, and the block is laid out again once its colours are in).
pub fn stream_runs_apart(
    doc: &Document,
    at: impl Fn(&Block) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    for run in stream_runs(doc) {
        let mut start = run.start;
        for (i, block) in doc.blocks.iter().enumerate().take(run.end).skip(run.start) {
            if block.containers.is_empty() && at(block) {
                if start < i {
                    runs.push(start..i);
                }
                // A run starts at a top-level block: a list or quote right after the block
                // joins its run.
                let mut end = i + 1;
                while end < run.end && !doc.blocks[end].containers.is_empty() {
                    end += 1;
                }
                runs.push(i..end);
                start = end;
            }
        }
        if start < run.end {
            runs.push(start..run.end);
        }
    }
    runs
}

/// A streamed layout under way, handing each run's rows to `write` and dropping them: the
/// rows of [`layout_with`] without ever holding them all (`folio print`). The header is
/// written first, then the runs of [`stream_runs`] in order. Between runs the caller may
/// change blocks in ways that keep their text (`folio print` colours code blocks as it
/// reaches them). A run's rows depend only on its blocks and on the rows before it, never on
/// code's colours: a copy of the stream taken before a run lays that run out again, the same
/// but for its colours, after the stream has gone on.
#[derive(Clone, Debug)]
pub struct Stream {
    width: usize,
    wrap: Wrap,
    /// Rows written so far.
    rows: usize,
}

impl Stream {
    /// Lays out and writes the document's header.
    pub fn start<E>(
        doc: &Document,
        width: usize,
        wrap: Wrap,
        write: &mut impl FnMut(&Rows, &[PicturePlace]) -> Result<(), E>,
    ) -> Result<Stream, E> {
        let width = width.max(1);
        let mut out = Out::new(width, wrap);
        header(doc, &mut out);
        write(&out.lines, &out.pictures)?;
        Ok(Stream {
            width,
            wrap,
            rows: out.lines.len(),
        })
    }

    /// Lays out and writes the blocks of `run`, the next of [`stream_runs`].
    pub fn lay<E>(
        &mut self,
        doc: &Document,
        run: std::ops::Range<usize>,
        write: &mut impl FnMut(&Rows, &[PicturePlace]) -> Result<(), E>,
    ) -> Result<(), E> {
        let (rows, pictures) = self.lay_rows(doc, run);
        write(&rows, &pictures)
    }

    /// Lays out the blocks of `run`, the next of [`stream_runs`], and hands back their rows
    /// and the places of their pictures (rows counted from the run's first).
    pub fn lay_rows(
        &mut self,
        doc: &Document,
        run: std::ops::Range<usize>,
    ) -> (Rows, Vec<PicturePlace>) {
        let mut part = Out::new(self.width, self.wrap);
        let Some(blocks) = doc.blocks.get(run.clone()) else {
            return (part.lines, part.pictures);
        };
        // Before the first row shows, a block is first on the page whatever came before.
        let previous = run
            .start
            .checked_sub(1)
            .filter(|_| self.rows > 0)
            .and_then(|i| doc.blocks.get(i));
        lay_blocks(
            doc,
            run.start,
            blocks,
            previous,
            self.rows > 0,
            usize::MAX,
            &mut part,
        );
        self.rows += part.lines.len();
        (part.lines, part.pictures)
    }
}

/// Lays out `blocks` (starting at index `first` of the document's) after `previous` (the block
/// before them, if any); `after_rows` says rows come before `out`'s own (the header, or an
/// earlier run laid out elsewhere). Stops after the block that brings `out` to `min_rows`.
fn lay_blocks<'d>(
    doc: &'d Document,
    first: usize,
    blocks: &'d [Block],
    mut previous: Option<&'d Block>,
    after_rows: bool,
    min_rows: usize,
    out: &mut Out,
) {
    let width = out.width;
    for (index, block) in (first..).zip(blocks) {
        if out.lines.len() >= min_rows {
            break;
        }
        let before = out.lines.len();
        if (after_rows || !out.lines.is_empty()) && (block.gap_before || previous.is_none()) {
            let common =
                previous.map_or(0, |p| common_containers(&p.containers, &block.containers));
            let prefix = Prefix::new(&block.containers[..common], doc, width);
            out.push(prefix.rest.clone());
        }
        let gap_end = out.lines.len();
        let prefix = Prefix::new(&block.containers, doc, width);
        match lone_picture(doc, block) {
            Some((link, runs, picture)) => picture_lines(link, runs, picture, doc, &prefix, out),
            None => block_lines(block, &prefix, out),
        }
        if out.lines.len() == gap_end {
            // A block that showed nothing leaves no blank line behind either.
            out.lines.truncate(before);
            continue;
        }
        out.blocks.push(BlockRows {
            block: index,
            rows: gap_end..out.lines.len(),
        });
        previous = Some(block);
    }
}

/// Lines being built.
struct Out {
    width: usize,
    wrap: Wrap,
    lines: Rows,
    headings: Vec<Heading>,
    blocks: Vec<BlockRows>,
    pictures: Vec<PicturePlace>,
}

impl Out {
    fn new(width: usize, wrap: Wrap) -> Self {
        Out {
            width,
            wrap,
            lines: Rows::new(),
            headings: Vec::new(),
            blocks: Vec::new(),
            pictures: Vec::new(),
        }
    }

    /// Adds a row, without trailing spaces.
    fn push(&mut self, spans: Vec<Span>) {
        // Neighbours in the same style become one span.
        let mut spans = if spans
            .windows(2)
            .any(|w| w[0].style == w[1].style && w[0].link == w[1].link)
        {
            let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
            for span in spans {
                push_merged(&mut merged, span);
            }
            merged
        } else {
            spans
        };
        while let Some(last) = spans.last_mut() {
            let trimmed = last.text.trim_end_matches(' ').len();
            if trimmed == 0 {
                spans.pop();
            } else {
                last.text.truncate(trimmed);
                break;
            }
        }
        self.lines.push(spans.iter().map(Span::as_ref));
    }

    /// Adds wrapped lines behind a block's prefix.
    fn push_prefixed(&mut self, prefix: &Prefix, lines: Vec<Vec<Span>>) {
        for (i, line) in lines.into_iter().enumerate() {
            let marks = if i == 0 && self.first_of_block(prefix) {
                &prefix.first
            } else {
                &prefix.rest
            };
            if marks.is_empty() {
                self.push(line);
                continue;
            }
            let mut spans = Vec::with_capacity(marks.len() + line.len());
            spans.extend(marks.iter().cloned());
            spans.extend(line);
            self.push(spans);
        }
    }

    /// Whether the next row is the first of its block (where list markers show).
    fn first_of_block(&self, prefix: &Prefix) -> bool {
        let _ = self;
        prefix.first_pending.replace(false)
    }
}

/// Appends a span, joining it to the last one when their style and link match.
fn push_merged(spans: &mut Vec<Span>, span: Span) {
    match spans.last_mut() {
        Some(last) if last.style == span.style && last.link == span.link => {
            last.text.push_str(&span.text);
        }
        _ => spans.push(span),
    }
}

/// The containers two neighbouring blocks share (same ids, from the outside in).
fn common_containers(a: &[Container], b: &[Container]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x.id == y.id).count()
}

/// What goes before a block's lines: on its first row (with list markers) and on the others.
struct Prefix {
    first: Vec<Span>,
    rest: Vec<Span>,
    /// Columns taken by the prefix; the same on every row.
    width: usize,
    first_pending: std::cell::Cell<bool>,
}

impl Prefix {
    fn new(containers: &[Container], doc: &Document, width: usize) -> Self {
        let min_text = MIN_TEXT_WIDTH.min(width / 2).max(1);
        let mut prefix = Prefix {
            first: Vec::new(),
            rest: Vec::new(),
            width: 0,
            first_pending: std::cell::Cell::new(true),
        };
        // Levels that fit, outermost first; past the depth or width limit the innermost
        // container takes the last level, so a deep list item keeps its marker.
        let mut levels: Vec<(String, String, Role)> = Vec::new();
        let mut used = 0;
        for container in containers {
            let marks = container_marks(container, doc);
            let w = display_width(&marks.1);
            if levels.len() < MAX_INDENT_LEVELS && used + w + min_text <= width {
                used += w;
                levels.push(marks);
                continue;
            }
            if let Some(innermost) = containers.last() {
                let inner = container_marks(innermost, doc);
                let freed = levels.last().map_or(0, |l| display_width(&l.1));
                let inner_w = display_width(&inner.1);
                if !levels.is_empty() && used - freed + inner_w + min_text <= width {
                    levels.pop();
                    used = used - freed + inner_w;
                    levels.push(inner);
                }
            }
            break;
        }
        for (first, rest, role) in levels {
            // Blank indentation is body text, so it never carries a marker's colour.
            let style_of = |mark: &str| {
                if mark.trim().is_empty() {
                    Style::default()
                } else {
                    Style::role(role)
                }
            };
            push_merged(
                &mut prefix.first,
                Span::new(first.clone(), style_of(&first)),
            );
            push_merged(&mut prefix.rest, Span::new(rest.clone(), style_of(&rest)));
        }
        prefix.width = used;
        prefix
    }
}

/// A container's mark on a block's first row and on its other rows, and the mark's role.
fn container_marks(container: &Container, doc: &Document) -> (String, String, Role) {
    match container.kind {
        ContainerKind::Quote { alert } => {
            let role = alert.map_or(Role::QuoteGutter, |a| a.role());
            ("│ ".to_owned(), "│ ".to_owned(), role)
        }
        ContainerKind::Item { marker } => {
            let (mark, role) = match marker {
                Marker::Bullet { depth } => (
                    ["•", "◦", "▪"][depth % 3].to_owned() + " ",
                    Role::ListMarker,
                ),
                Marker::Number { number, list } => {
                    let w = doc.lists.get(list).map_or(1, |l| l.number_width);
                    (format!("{number:>w$}. "), Role::ListMarker)
                }
                Marker::Task { done: true } => ("☑ ".to_owned(), Role::TaskDone),
                Marker::Task { done: false } => ("☐ ".to_owned(), Role::TaskOpen),
                Marker::Note { number, width } => {
                    (format!("{number:>width$}. "), Role::FootnoteLabel)
                }
            };
            let blank = " ".repeat(display_width(&mark));
            if container.first {
                (mark, blank, role)
            } else {
                (blank.clone(), blank, role)
            }
        }
    }
}

fn header(doc: &Document, out: &mut Out) {
    let h = &doc.header;
    if h.is_empty() {
        return;
    }
    let width = out.width;
    let plain = |text: &str, role: Role, out: &mut Out| {
        if text.is_empty() {
            return;
        }
        let runs = [Run {
            text: text.to_owned(),
            style: Style::role(role),
            link: None,
        }];
        for line in wrap(&runs, width, out.wrap) {
            out.push(line);
        }
    };
    // Runs with their inline looks when the header has them, else the plain text.
    let styled = |runs: &[Run], text: &str, role: Role, out: &mut Out| {
        if runs.is_empty() {
            plain(text, role, out);
            return;
        }
        for line in wrap(runs, width, out.wrap) {
            out.push(line);
        }
    };
    if !h.title.is_empty() {
        if let Some(anchor) = &h.title_anchor {
            out.headings.push(Heading {
                row: out.lines.len(),
                level: 1,
                text: h.title.clone(),
                anchor: anchor.clone(),
            });
        }
        styled(&h.title_runs, &h.title, Role::Title, out);
    }
    plain(&h.byline, Role::Byline, out);
    if !h.description.is_empty() {
        styled(&h.description_runs, &h.description, Role::Description, out);
    }
    plain(&h.source_host, Role::SourceHost, out);
    out.push(vec![Span::new(
        "━".repeat(width),
        Style::role(Role::HeadingRule),
    )]);
}

fn block_lines(block: &Block, prefix: &Prefix, out: &mut Out) {
    let avail = out.width.saturating_sub(prefix.width).max(1);
    match &block.kind {
        BlockKind::Paragraph(runs) => paragraph(runs, avail, prefix, out),
        BlockKind::Heading {
            level,
            runs,
            text,
            anchor,
        } => {
            // An empty heading (`#` alone) shows nothing rather than a lone rule.
            if runs.iter().all(|r| r.text.trim().is_empty()) {
                return;
            }
            out.headings.push(Heading {
                row: out.lines.len(),
                level: *level,
                text: text.clone(),
                anchor: anchor.clone(),
            });
            heading(runs, *level, avail, prefix, out);
        }
        BlockKind::Code { lang, lines } => {
            let label = lang.as_deref().map(|l| (l, Style::role(Role::CodeLabel)));
            code(label, lines, avail, prefix, out);
        }
        BlockKind::Shortcode { label, lines } => {
            let label = label.as_deref().map(|l| (l, Style::role(Role::CodeLabel)));
            code(label, lines, avail, prefix, out);
        }
        BlockKind::Table(table) => self::table(table, avail, prefix, out),
        BlockKind::Rule => {
            let line = vec![Span::new("─".repeat(avail), Style::role(Role::Rule))];
            out.push_prefixed(prefix, vec![line]);
        }
        BlockKind::AlertLabel(kind) => {
            let runs = [Run {
                text: kind.label().to_owned(),
                style: Style {
                    strong: true,
                    ..Style::role(kind.role())
                },
                link: None,
            }];
            out.push_prefixed(prefix, wrap(&runs, avail, out.wrap));
        }
        BlockKind::NotesTitle => {
            out.headings.push(Heading {
                row: out.lines.len(),
                level: 2,
                text: "Notes".to_owned(),
                anchor: "footnotes".to_owned(),
            });
            let runs = [Run {
                text: "Notes".to_owned(),
                style: Style {
                    strong: true,
                    ..Style::role(Role::Dim)
                },
                link: None,
            }];
            heading(&runs, 2, avail, prefix, out);
        }
    }
}

/// A paragraph that is one local image and nothing else (`![alt](x.png)`, `<img>` or a Hugo
/// figure on its own): its link number, its runs and what its file holds. Lines after a line
/// break under the image (a figure's caption, `<figcaption>`) are its caption, unless they
/// hold an image too. Images inside text stay labels.
fn lone_picture<'d>(
    doc: &'d Document,
    block: &'d Block,
) -> Option<(usize, &'d [Run], &'d Picture)> {
    let BlockKind::Paragraph(runs) = &block.kind else {
        return None;
    };
    let first = runs.iter().find(|r| !r.text.trim().is_empty())?;
    let link = first.link?;
    if first.style.role != Role::Image {
        return None;
    }
    // The image's own line: up to the first line break.
    let line_end = runs
        .iter()
        .position(|r| r.text.contains('\n'))
        .unwrap_or(runs.len());
    let (line, caption) = runs.split_at(line_end);
    let alone = line
        .iter()
        .all(|r| r.link == Some(link) || r.text.trim().is_empty())
        && caption.iter().all(|r| r.style.role != Role::Image)
        && caption
            .first()
            .is_none_or(|r| r.text.trim_start_matches([' ', '\t']).starts_with('\n'));
    let picture = doc.links.get(link.checked_sub(1)?)?.picture.as_ref()?;
    alone.then_some((link, runs.as_slice(), picture))
}

/// The rows a picture of `width`×`height` pixels takes in a column `avail` cells wide:
/// (columns, rows), never wider than its own pixels nor taller than `fit.max_rows`, keeping
/// its aspect ratio.
pub fn picture_cells(width: u32, height: u32, avail: usize, fit: PictureFit) -> (u16, u16) {
    let (cw, ch) = (u64::from(fit.cell.0.max(1)), u64::from(fit.cell.1.max(1)));
    let (w, h) = (u64::from(width.max(1)), u64::from(height.max(1)));
    let avail = u64::try_from(avail.clamp(1, usize::from(u16::MAX))).unwrap_or(1);
    let max_rows = u64::from(fit.max_rows.max(1));
    let mut cols = w.div_ceil(cw).clamp(1, avail);
    let mut rows = (cols * cw * h).div_ceil(w * ch).max(1);
    if rows > max_rows {
        rows = max_rows;
        cols = (rows * ch * w / (h * cw)).clamp(1, avail);
    }
    (
        u16::try_from(cols).unwrap_or(u16::MAX),
        u16::try_from(rows).unwrap_or(u16::MAX),
    )
}

/// A lone image: blank rows kept for the picture (drawn later, when decoded, so the text never
/// moves), then its label as the caption. One that cannot be shown keeps the label and says
/// why after it.
fn picture_lines(
    link: usize,
    runs: &[Run],
    picture: &Picture,
    doc: &Document,
    prefix: &Prefix,
    out: &mut Out,
) {
    let avail = out.width.saturating_sub(prefix.width).max(1);
    match picture {
        Picture::File {
            path,
            width,
            height,
        } => {
            let (cols, rows) = picture_cells(*width, *height, avail, doc.picture_fit);
            out.pictures.push(PicturePlace {
                link,
                path: path.clone(),
                row: out.lines.len(),
                column: prefix.width,
                cols,
                rows,
            });
            out.push_prefixed(prefix, vec![Vec::new(); usize::from(rows)]);
            paragraph(runs, avail, prefix, out);
        }
        Picture::Problem(why) => {
            let mut runs = runs.to_vec();
            runs.push(Run {
                text: format!(" ({why})"),
                style: Style::role(Role::Dim),
                link: None,
            });
            paragraph(&runs, avail, prefix, out);
        }
    }
}

fn paragraph(runs: &[Run], avail: usize, prefix: &Prefix, out: &mut Out) {
    let mut lines = wrap(runs, avail, out.wrap);
    if lines.is_empty() {
        lines.push(Vec::new());
    }
    out.push_prefixed(prefix, lines);
}

/// A heading's text, and a rule under levels 1 and 2 as wide as the text.
fn heading(runs: &[Run], level: u8, avail: usize, prefix: &Prefix, out: &mut Out) {
    let lines = wrap(runs, avail, out.wrap);
    let text_width = lines
        .iter()
        .map(|l| l.iter().map(|s| width_of(&s.text)).sum::<usize>())
        .max()
        .unwrap_or(0)
        .clamp(1, avail);
    let empty = lines.is_empty();
    out.push_prefixed(prefix, if empty { vec![Vec::new()] } else { lines });
    let rule = match level {
        1 => "━",
        2 => "─",
        _ => return,
    };
    let line = vec![Span::new(
        rule.repeat(text_width),
        Style::role(Role::HeadingRule),
    )];
    out.push_prefixed(prefix, vec![line]);
}

/// A code block (or a template tag's lines): label, then lines cut into pieces that fit,
/// continuations marked `↪`.
fn code(
    label: Option<(&str, Style)>,
    lines: &[Vec<Run>],
    avail: usize,
    prefix: &Prefix,
    out: &mut Out,
) {
    let margin = if avail >= CODE_MARGIN + 2 {
        CODE_MARGIN
    } else {
        0
    };
    let text_width = avail - margin;
    let indent = || Span::new(" ".repeat(margin), Style::default());
    let mut rows: Vec<Vec<Span>> = Vec::new();
    if let Some((label, style)) = label {
        let runs = [Run {
            text: label.to_owned(),
            style,
            link: None,
        }];
        for line in wrap(&runs, text_width, out.wrap) {
            let mut row = vec![indent()];
            row.extend(line);
            rows.push(row);
        }
    }
    for line in lines {
        let pieces = cut(line, text_width);
        if pieces.is_empty() {
            rows.push(Vec::new());
        }
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut row = if i > 0 && margin > 0 {
                vec![Span::new(CONTINUATION, Style::role(Role::Continuation))]
            } else {
                vec![indent()]
            };
            row.extend(piece);
            rows.push(row);
        }
    }
    out.push_prefixed(prefix, rows);
}

/// Cuts runs into rows of at most `width` columns at grapheme boundaries (no word wrapping).
fn cut(runs: &[Run], width: usize) -> Vec<Vec<Span>> {
    if runs.iter().map(|r| width_of(&r.text)).sum::<usize>() <= width {
        let row: Vec<Span> = runs
            .iter()
            .map(|r| Span {
                text: r.text.clone(),
                style: r.style,
                link: r.link,
            })
            .collect();
        return if row.is_empty() {
            Vec::new()
        } else {
            vec![row]
        };
    }
    let mut rows: Vec<Vec<Span>> = Vec::new();
    let mut row: Vec<Span> = Vec::new();
    let mut row_width = 0;
    for run in runs {
        let mut start = 0;
        let mut piece_width = 0;
        let text = run.text.as_str();
        let flush_piece = |row: &mut Vec<Span>, start: usize, end: usize| {
            if end > start {
                row.push(Span {
                    text: text[start..end].to_owned(),
                    style: run.style,
                    link: run.link,
                });
            }
        };
        for (at, g) in text.grapheme_indices(true) {
            let w = display_width(g);
            if row_width + piece_width + w > width {
                flush_piece(&mut row, start, at);
                start = at;
                if row_width + piece_width > 0 {
                    rows.push(std::mem::take(&mut row));
                }
                row_width = 0;
                piece_width = 0;
                if w > width {
                    row.push(Span {
                        text: TOO_WIDE.to_owned(),
                        style: run.style,
                        link: run.link,
                    });
                    rows.push(std::mem::take(&mut row));
                    start = at + g.len();
                    continue;
                }
            }
            piece_width += w;
        }
        flush_piece(&mut row, start, text.len());
        row_width += piece_width;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

/// A piece of a wrapped line: a byte range of the joined text, or a stand-in for a character
/// wider than the column.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Text(usize, usize),
    TooWide(usize),
}

/// A word of the joined text as textwrap fills it: `start..end` is the word, `end..space_end`
/// the spaces after it (shown only when another word follows on the row).
#[derive(Clone, Copy, Debug)]
struct Word {
    start: usize,
    end: usize,
    space_end: usize,
    /// Display columns of the word, as the terminal (and [`Line::width`]) counts them.
    width: usize,
    /// A character wider than the whole column, drawn as [`TOO_WIDE`].
    too_wide: bool,
}

impl textwrap::core::Fragment for Word {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        // Words are separated by ASCII spaces only, one column each.
        (self.space_end - self.end) as f64
    }

    fn penalty_width(&self) -> f64 {
        // Folio never hyphenates.
        0.0
    }
}

/// The columns a row of words takes: their widths and the spaces between them.
fn row_width(row: &[Word]) -> usize {
    let spaces: usize = row.iter().map(|w| w.space_end - w.end).sum();
    let trailing = row.last().map_or(0, |w| w.space_end - w.end);
    row.iter().map(|w| w.width).sum::<usize>() + spaces - trailing
}

/// Wrapped lines as pieces: all lines' pieces in one vector, and where each line ends. Kept
/// between calls so wrapping a paragraph allocates only what it returns.
#[derive(Default)]
struct Lines {
    joined: String,
    starts: Vec<usize>,
    pieces: Vec<Piece>,
    ends: Vec<usize>,
    found: Vec<(usize, usize, usize)>,
    words: Vec<Word>,
}

impl Lines {
    fn line_start(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    fn end_line(&mut self) {
        self.ends.push(self.pieces.len());
    }

    /// Adds a byte range to the current line, joining it to the previous range when they touch.
    fn push(&mut self, start: usize, end: usize) {
        if start == end {
            return;
        }
        let open = self.pieces.len() > self.line_start();
        match self.pieces.last_mut() {
            Some(Piece::Text(_, last_end)) if open && *last_end == start => *last_end = end,
            _ => self.pieces.push(Piece::Text(start, end)),
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Lines> = std::cell::RefCell::new(Lines::default());
}

/// Wraps styled runs to `width` columns; `'\n'` in a run is a hard break.
fn wrap(runs: &[Run], width: usize, mode: Wrap) -> Vec<Vec<Span>> {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut lines) => wrap_with(&mut lines, runs, width, mode),
        // Not reentrant in practice; a fresh buffer keeps it correct if it ever is.
        Err(_) => wrap_with(&mut Lines::default(), runs, width, mode),
    })
}

fn wrap_with(lines: &mut Lines, runs: &[Run], width: usize, mode: Wrap) -> Vec<Vec<Span>> {
    let width = width.max(1);
    lines.joined.clear();
    lines.starts.clear();
    lines.pieces.clear();
    lines.ends.clear();
    for run in runs {
        lines.starts.push(lines.joined.len());
        lines.joined.push_str(&run.text);
    }
    let joined = std::mem::take(&mut lines.joined);
    let mut offset = 0;
    for segment in joined.split('\n') {
        wrap_segment(segment, offset, width, mode, lines);
        offset += segment.len() + 1;
    }
    // A trailing hard break adds nothing visible.
    while lines.ends.len() > 1 {
        let n = lines.ends.len();
        if lines.ends[n - 1] != lines.ends[n - 2] {
            break;
        }
        lines.ends.pop();
    }
    let mut out = Vec::with_capacity(lines.ends.len());
    let mut start = 0;
    for &end in &lines.ends {
        out.push(spans_of(
            &lines.pieces[start..end],
            &joined,
            runs,
            &lines.starts,
        ));
        start = end;
    }
    lines.joined = joined;
    // One huge paragraph should not pin its buffers for the life of the thread.
    if lines.joined.capacity() > SCRATCH_KEEP {
        *lines = Lines::default();
    }
    out
}

/// Bytes of wrapping buffers kept between calls.
const SCRATCH_KEEP: usize = 1 << 20;

/// Fills one hard-break-free segment (at `offset` in the joined text), appending its lines.
fn wrap_segment(segment: &str, offset: usize, width: usize, mode: Wrap, lines: &mut Lines) {
    let mut found = std::mem::take(&mut lines.found);
    let mut words = std::mem::take(&mut lines.words);
    found.clear();
    words.clear();
    words_into(segment, &mut found);
    for &(start, end, space_end) in &found {
        // Only a segment's leading spaces make an empty word; they show nothing.
        if start == end {
            continue;
        }
        let text = &segment[start..end];
        let w = width_of(text);
        if w <= width {
            words.push(Word {
                start: offset + start,
                end: offset + end,
                space_end: offset + space_end,
                width: w,
                too_wide: false,
            });
        } else {
            break_word(text, offset + start, width, &mut words);
            if let Some(last) = words.last_mut() {
                last.space_end = offset + space_end;
            }
        }
    }
    if words.is_empty() {
        // An empty segment (two hard breaks in a row) is an empty line.
        lines.end_line();
    } else {
        for row in fill(&words, width, mode) {
            for (i, word) in row.iter().enumerate() {
                if word.too_wide {
                    lines.pieces.push(Piece::TooWide(word.start));
                } else {
                    lines.push(word.start, word.end);
                }
                if i + 1 < row.len() {
                    lines.push(word.end, word.space_end);
                }
            }
            lines.end_line();
        }
    }
    lines.found = found;
    lines.words = words;
}

/// Above this many words (about 45 KiB of text) a segment is filled first-fit even in
/// [`Wrap::Optimal`].
///
/// Optimal fit is linear (textwrap's SMAWK) but costs far more per word than first fit:
/// `folio print` of a hostile 256 KiB paragraph (49,595 words) ran 192 million instructions
/// with it against 59 million with first fit (cachegrind), and of a 1 MiB one took 146 ms
/// against 71 ms (hyperfine); every resize lays the document out again. Real paragraphs have
/// hundreds of words, far below the cap; one past it is no prose read for its right edge.
const OPTIMAL_FIT_MAX_WORDS: usize = 1 << 13;

/// Splits a segment's words into rows of at most `width` columns (every word already fits).
fn fill(words: &[Word], width: usize, mode: Wrap) -> Vec<&[Word]> {
    // A segment that fits on one row is one row whichever way it is filled.
    if row_width(words) <= width {
        return vec![words];
    }
    let widths = [width as f64];
    if mode == Wrap::Optimal && words.len() <= OPTIMAL_FIT_MAX_WORDS {
        // textwrap documents that optimal fit may let a row overflow by a column when that is
        // cheaper than a very ragged edge; a row is never wider than the width here, so such a
        // segment is filled first-fit instead.
        if let Ok(rows) = wrap_optimal_fit(words, &widths, &Penalties::new())
            && rows.iter().all(|row| row_width(row) <= width)
        {
            return rows;
        }
    }
    wrap_first_fit(words, &widths)
}

/// Breaks a word wider than the column into pieces that fit, with textwrap's `break_words`.
///
/// textwrap measures a word character by character, the terminal by grapheme cluster: `❤️`
/// (a heart and a variation selector) is one column to textwrap and two here, and textwrap may
/// break a `👩‍💻` between its parts. Where that makes a piece too wide or splits a cluster, the
/// word is broken at grapheme boundaries instead.
fn break_word(text: &str, start: usize, width: usize, words: &mut Vec<Word>) {
    let pieces = textwrap::core::break_words([textwrap::core::Word::from(text)], width);
    // Byte offset of a piece inside `text` (pieces are slices of it).
    let at =
        |piece: &textwrap::core::Word<'_>| piece.word.as_ptr() as usize - text.as_ptr() as usize;
    // ASCII here is printable (text is sanitized): one column a byte, so both agree.
    let agree = text.is_ascii()
        || pieces.iter().all(|piece| {
            let mut cursor = GraphemeCursor::new(at(piece), text.len(), true);
            width_of(piece.word) <= width && matches!(cursor.is_boundary(text, 0), Ok(true))
        });
    if !agree {
        return break_at_graphemes(text, start, width, words);
    }
    for piece in &pieces {
        let piece_start = start + at(piece);
        let piece_end = piece_start + piece.word.len();
        words.push(Word {
            start: piece_start,
            end: piece_end,
            space_end: piece_end,
            width: width_of(piece.word),
            too_wide: false,
        });
    }
}

/// Breaks a word into pieces of whole grapheme clusters that fit in `width`; a cluster wider
/// than the column (only at widths of 1) becomes a stand-in.
fn break_at_graphemes(text: &str, start: usize, width: usize, words: &mut Vec<Word>) {
    let mut piece_start = 0;
    let mut piece_width = 0;
    let mut push = |from: usize, to: usize, w: usize, too_wide: bool| {
        if to > from {
            words.push(Word {
                start: start + from,
                end: start + to,
                space_end: start + to,
                width: w,
                too_wide,
            });
        }
    };
    for (at, grapheme) in text.grapheme_indices(true) {
        let w = display_width(grapheme);
        if piece_width + w > width {
            push(piece_start, at, piece_width, false);
            piece_start = at;
            piece_width = 0;
        }
        if w > width {
            push(at, at + grapheme.len(), display_width(TOO_WIDE), true);
            piece_start = at + grapheme.len();
            continue;
        }
        piece_width += w;
    }
    push(piece_start, text.len(), piece_width, false);
}

/// Words of a segment as (start, end of word, end of its trailing spaces).
///
/// Lines break at spaces, and inside a run of text only next to wide (CJK, emoji) characters,
/// where the Unicode line-breaking rules decide: a URL or `path/like/this` stays whole unless
/// it is wider than the column, instead of breaking early at a `/`. Text without wide
/// characters (most of it) never pays for the Unicode rules.
fn words_into(segment: &str, out: &mut Vec<(usize, usize, usize)>) {
    let bytes = segment.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] != b' ' {
            i += 1;
        }
        let end = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let chunk = &segment[start..end];
        if chunk.is_ascii() || !chunk.chars().any(|c| is_wide(Some(c))) {
            out.push((start, end, i));
            continue;
        }
        let first = out.len();
        for word in WordSeparator::UnicodeBreakProperties.find_words(chunk) {
            let word_start = start + (word.word.as_ptr() as usize - chunk.as_ptr() as usize);
            let word_end = word_start + word.word.len() + word.whitespace.len();
            if let Some(last) = out[first..].last_mut()
                && !is_wide(segment[..word_start].chars().next_back())
                && !is_wide(word.word.chars().next())
            {
                last.1 = word_end;
                last.2 = word_end;
                continue;
            }
            out.push((word_start, word_end, word_end));
        }
        if let Some(last) = out[first..].last_mut() {
            last.2 = i;
        }
    }
}

/// Display width, with a fast path for ASCII (all printable: text is sanitized).
fn width_of(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        display_width(s)
    }
}

fn is_wide(c: Option<char>) -> bool {
    c.and_then(unicode_width::UnicodeWidthChar::width)
        .is_some_and(|w| w > 1)
}

/// Maps pieces of the joined text back to styled spans.
fn spans_of(pieces: &[Piece], joined: &str, runs: &[Run], starts: &[usize]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let run_at = |pos: usize| starts.partition_point(|&s| s <= pos).saturating_sub(1);
    let mut push = |text: &str, run: &Run, contiguous: bool| match spans.last_mut() {
        Some(last) if contiguous && last.style == run.style && last.link == run.link => {
            last.text.push_str(text);
        }
        _ => spans.push(Span {
            text: text.to_owned(),
            style: run.style,
            link: run.link,
        }),
    };
    for piece in pieces {
        match *piece {
            Piece::TooWide(at) => {
                if let Some(run) = runs.get(run_at(at)) {
                    push(TOO_WIDE, run, false);
                }
            }
            Piece::Text(mut start, end) => {
                while start < end {
                    let index = run_at(start);
                    let Some(run) = runs.get(index) else { break };
                    let run_end = starts.get(index + 1).copied().unwrap_or(joined.len());
                    let stop = run_end.min(end);
                    if stop <= start {
                        break;
                    }
                    push(&joined[start..stop], run, true);
                    start = stop;
                }
            }
        }
    }
    spans
}

/// A table, box-drawn if its columns can be made to fit, else one `header: value` line per cell.
fn table(table: &Table, avail: usize, prefix: &Prefix, out: &mut Out) {
    let columns = table.aligns.len();
    if columns == 0 {
        return;
    }
    let mut natural = vec![1usize; columns];
    let mut longest_word = vec![1usize; columns];
    for row in std::iter::once(&table.head).chain(&table.rows) {
        for (i, cell) in row.iter().enumerate().take(columns) {
            let (width, word) = cell_width(cell);
            natural[i] = natural[i].max(width);
            longest_word[i] = longest_word[i].max(word);
        }
    }
    let overhead = 3 * columns + 1;
    let budget = avail.saturating_sub(overhead);
    let widths = if avail < overhead {
        None
    } else {
        column_widths(&natural, &longest_word, budget)
    };
    let Some(widths) = widths else {
        return table_as_lines(table, avail, prefix, out);
    };
    let border = |left: &str, mid: &str, right: &str| {
        let mut s = String::from(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                s.push_str(mid);
            }
            s.push_str(&"─".repeat(w + 2));
        }
        s.push_str(right);
        vec![Span::new(s, Style::role(Role::TableBorder))]
    };
    let mut rows = vec![border("┌", "┬", "┐")];
    table_row(&table.head, &widths, &table.aligns, out.wrap, &mut rows);
    rows.push(border("├", "┼", "┤"));
    for row in &table.rows {
        table_row(row, &widths, &table.aligns, out.wrap, &mut rows);
    }
    rows.push(border("└", "┴", "┘"));
    out.push_prefixed(prefix, rows);
}

/// The widest line of a cell and its widest word.
fn cell_width(cell: &[Run]) -> (usize, usize) {
    // Most cells are one plain run: measure it in place.
    let joined;
    let text = match cell {
        [] => return (0, 0),
        [run] => run.text.as_str(),
        _ => {
            joined = cell.iter().map(|r| r.text.as_str()).collect::<String>();
            joined.as_str()
        }
    };
    let mut widest = 0;
    let mut longest_word = 0;
    let mut found = Vec::new();
    for line in text.split('\n') {
        widest = widest.max(width_of(line));
        found.clear();
        words_into(line, &mut found);
        for &(start, end, _) in &found {
            longest_word = longest_word.max(width_of(&line[start..end]));
        }
    }
    (widest, longest_word)
}

/// A cell's rows at width `w`; a one-line cell that fits is taken as it is.
fn cell_lines(cell: &[Run], w: usize, mode: Wrap) -> Vec<Vec<Span>> {
    let fits = cell.iter().all(|r| !r.text.contains('\n'))
        && cell.iter().map(|r| width_of(&r.text)).sum::<usize>() <= w;
    if !fits {
        return wrap(cell, w, mode);
    }
    if cell.is_empty() {
        return Vec::new();
    }
    let line = cell
        .iter()
        .map(|r| Span {
            text: r.text.clone(),
            style: r.style,
            link: r.link,
        })
        .collect();
    vec![line]
}

/// Columns that fit in `budget`: natural widths if they fit, else the widest shrunk first,
/// never narrower than a column's longest word (up to 16 columns). `None` when that does not fit.
fn column_widths(natural: &[usize], longest_word: &[usize], budget: usize) -> Option<Vec<usize>> {
    const WORD_FLOOR_CAP: usize = 16;
    let total: usize = natural.iter().sum();
    if total <= budget {
        return Some(natural.to_vec());
    }
    let word_floors: Vec<usize> = natural
        .iter()
        .zip(longest_word)
        .map(|(&n, &w)| n.min(w).min(WORD_FLOOR_CAP))
        .collect();
    // Breaking words inside cells reads worse than one `header: value` line per cell.
    let floors = word_floors;
    if floors.iter().sum::<usize>() > budget {
        return None;
    }
    let capped = |cap: usize| -> Vec<usize> {
        natural
            .iter()
            .zip(&floors)
            .map(|(&n, &f)| n.min(cap).max(f))
            .collect()
    };
    // The largest cap such that capping every column at it (but not below its floor) fits.
    let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(1));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if capped(mid).iter().sum::<usize>() <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut widths = capped(lo);
    let mut spare = budget.saturating_sub(widths.iter().sum::<usize>());
    for (w, &n) in widths.iter_mut().zip(natural) {
        if spare == 0 {
            break;
        }
        if n > *w {
            *w += 1;
            spare -= 1;
        }
    }
    Some(widths)
}

fn table_row(
    cells: &[Vec<Run>],
    widths: &[usize],
    aligns: &[Align],
    mode: Wrap,
    rows: &mut Vec<Vec<Span>>,
) {
    let wrapped: Vec<Vec<Vec<Span>>> = widths
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            cells
                .get(i)
                .map_or_else(Vec::new, |cell| cell_lines(cell, w, mode))
        })
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let bar = |s: &str| Span::new(s, Style::role(Role::TableBorder));
    for k in 0..height {
        let mut row = vec![bar("│ ")];
        for (i, &w) in widths.iter().enumerate() {
            if i > 0 {
                row.push(bar(" │ "));
            }
            let line = wrapped[i].get(k).cloned().unwrap_or_default();
            let used: usize = line.iter().map(|s| width_of(&s.text)).sum();
            let room = w.saturating_sub(used);
            let (left, right) = match aligns.get(i).copied().unwrap_or_default() {
                Align::Left => (0, room),
                Align::Right => (room, 0),
                Align::Center => (room / 2, room - room / 2),
            };
            if left > 0 {
                row.push(Span::new(" ".repeat(left), Style::default()));
            }
            row.extend(line);
            if right > 0 {
                row.push(Span::new(" ".repeat(right), Style::default()));
            }
        }
        row.push(bar(" │"));
        rows.push(row);
    }
}

/// A table too wide for any grid: each row as `header: value` lines, rows apart by a blank.
fn table_as_lines(table: &Table, avail: usize, prefix: &Prefix, out: &mut Out) {
    if table.rows.is_empty() {
        // Only a header: its cells on one line.
        let mut runs: Vec<Run> = Vec::new();
        for (i, cell) in table.head.iter().enumerate() {
            if i > 0 {
                runs.push(Run {
                    text: " · ".to_owned(),
                    style: Style::role(Role::TableBorder),
                    link: None,
                });
            }
            runs.extend(cell.iter().cloned());
        }
        return out.push_prefixed(prefix, wrap(&runs, avail, out.wrap));
    }
    for (r, row) in table.rows.iter().enumerate() {
        if r > 0 {
            out.push(prefix.rest.clone());
        }
        let mut lines = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            let head = table.head.get(i).map(Vec::as_slice).unwrap_or_default();
            if head.is_empty() && cell.is_empty() {
                continue;
            }
            let mut runs: Vec<Run> = head
                .iter()
                .map(|r| Run {
                    text: r.text.replace('\n', " "),
                    ..r.clone()
                })
                .collect();
            if !head.is_empty() {
                runs.push(Run {
                    text: ": ".to_owned(),
                    style: Style::role(Role::TableHeader),
                    link: None,
                });
            }
            runs.extend(cell.iter().cloned());
            // A value's wrapped lines hang under its header, when there is room to.
            let hang = if avail >= 12 { 2 } else { 0 };
            for (k, mut line) in wrap(&runs, avail - hang, out.wrap).into_iter().enumerate() {
                if k > 0 && hang > 0 {
                    line.insert(0, Span::new(" ".repeat(hang), Style::default()));
                }
                lines.push(line);
            }
        }
        if lines.is_empty() {
            lines.push(Vec::new());
        }
        out.push_prefixed(prefix, lines);
    }
}

/// Where each link's spans ended up: one place per contiguous piece on a row.
fn link_places(doc: &Document, lines: &Rows) -> Vec<LinkTarget> {
    let mut links: Vec<LinkTarget> = doc
        .links
        .iter()
        .enumerate()
        .map(|(i, link)| LinkTarget {
            number: i + 1,
            url: link.url.clone(),
            text: link.text.clone(),
            places: Vec::new(),
        })
        .collect();
    for (row, line) in lines.iter().enumerate() {
        let mut col = 0;
        for span in line.spans() {
            let w = width_of(span.text);
            // A span of zero-width characters is nowhere to click or focus.
            if w == 0 {
                continue;
            }
            if let Some(target) = span.link.and_then(|n| links.get_mut(n.wrapping_sub(1))) {
                match target.places.last_mut() {
                    Some(place) if place.0 == row && place.2 == col => place.2 = col + w,
                    _ => target.places.push((row, col, col + w)),
                }
            }
            col += w;
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<Run> {
        vec![Run {
            text: text.to_owned(),
            style: Style::default(),
            link: None,
        }]
    }

    fn texts(lines: &[Vec<Span>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    fn rows(text: &str, width: usize, mode: Wrap) -> Vec<String> {
        texts(&wrap(&runs(text), width, mode))
    }

    fn squared_slack(rows: &[String], width: usize) -> usize {
        let prose = &rows[..rows.len().saturating_sub(1)];
        prose
            .iter()
            .map(|r| (width - display_width(r)).pow(2))
            .sum()
    }

    #[test]
    fn greedy_fills_each_row_before_the_next() {
        let lines = rows("the quick brown fox jumps", 10, Wrap::Greedy);
        assert_eq!(lines, ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn optimal_fit_evens_out_the_right_edge() {
        // First fit packs "aaa bb" and leaves "cc" and "ddddd" ragged below it.
        let text = "aaa bb cc ddddd";
        let greedy = rows(text, 6, Wrap::Greedy);
        let optimal = rows(text, 6, Wrap::Optimal);
        assert_eq!(greedy, ["aaa bb", "cc", "ddddd"]);
        assert_eq!(optimal, ["aaa", "bb cc", "ddddd"]);
        assert!(squared_slack(&optimal, 6) < squared_slack(&greedy, 6));
    }

    #[test]
    fn optimal_fit_that_would_overflow_a_row_falls_back_to_first_fit() {
        // Regression: textwrap's optimal fit joins these into one 51-column row at width 50,
        // since one column of overflow costs it less than the 42-column gap after "aaaaaaaa".
        let long = "b".repeat(42);
        let text = format!("aaaaaaaa {long}");
        let found = {
            let mut found = Vec::new();
            words_into(&text, &mut found);
            found
        };
        let words: Vec<Word> = found
            .iter()
            .map(|&(start, end, space_end)| Word {
                start,
                end,
                space_end,
                width: end - start,
                too_wide: false,
            })
            .collect();
        let unchecked = wrap_optimal_fit(&words, &[50.0], &Penalties::new()).unwrap_or_default();
        assert_eq!(unchecked.iter().map(|r| row_width(r)).max(), Some(51));
        assert_eq!(rows(&text, 50, Wrap::Optimal), ["aaaaaaaa", long.as_str()]);
    }

    #[test]
    fn a_paragraph_past_the_word_cap_is_filled_first_fit() {
        let text = "aaa bb cc ddddd ".repeat(OPTIMAL_FIT_MAX_WORDS / 4 + 1);
        let greedy = rows(&text, 6, Wrap::Greedy);
        assert_eq!(rows(&text, 6, Wrap::Optimal), greedy);
        assert_eq!(greedy[..3], ["aaa bb", "cc", "ddddd"]);
    }

    #[test]
    fn cjk_breaks_between_characters() {
        for mode in [Wrap::Greedy, Wrap::Optimal] {
            let lines = rows("日本語のテキスト", 6, mode);
            assert_eq!(lines, ["日本語", "のテキ", "スト"], "{mode:?}");
        }
    }

    #[test]
    fn long_words_are_broken_not_cut() {
        for mode in [Wrap::Greedy, Wrap::Optimal] {
            assert_eq!(rows("abcdefghij", 4, mode), ["abcd", "efgh", "ij"]);
            assert_eq!(
                rows("ab abcdefghij c", 4, mode),
                ["ab", "abcd", "efgh", "ij c"]
            );
        }
    }

    #[test]
    fn wide_characters_at_width_one_become_a_stand_in() {
        for mode in [Wrap::Greedy, Wrap::Optimal] {
            let lines = rows("日x", 1, mode);
            assert_eq!(lines, [TOO_WIDE, "x"]);
        }
    }

    #[test]
    fn emoji_sequences_break_between_clusters_at_their_terminal_width() {
        // Regression: textwrap counts `❤️` as one column (the selector adds none) and may split
        // `👩‍💻` at its joiner; the terminal shows both two columns wide.
        for mode in [Wrap::Greedy, Wrap::Optimal] {
            assert_eq!(rows("❤️❤️❤️", 3, mode), ["❤️", "❤️", "❤️"]);
            assert_eq!(rows("👩‍💻👩‍💻👩‍💻", 5, mode), ["👩‍💻👩‍💻", "👩‍💻"]);
        }
    }

    #[test]
    fn hard_breaks_end_rows_and_leading_spaces_after_them_vanish() {
        for mode in [Wrap::Greedy, Wrap::Optimal] {
            let lines = rows("one two\n\n   three\n", 20, mode);
            assert_eq!(lines, ["one two", "", "three"]);
        }
    }

    #[test]
    fn spans_keep_their_styles_and_links_across_rows() {
        let link = Style::role(Role::Link);
        let runs = vec![
            Run {
                text: "see ".to_owned(),
                style: Style::default(),
                link: None,
            },
            Run {
                text: "the linked words".to_owned(),
                style: link,
                link: Some(1),
            },
            Run {
                text: " after".to_owned(),
                style: Style::default(),
                link: None,
            },
        ];
        for mode in [Wrap::Greedy, Wrap::Optimal] {
            let lines = wrap(&runs, 10, mode);
            let linked: String = lines
                .iter()
                .flatten()
                .filter(|s| s.link == Some(1))
                .map(|s| s.text.trim())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(linked, "the linked words", "{mode:?}");
            assert!(
                lines
                    .iter()
                    .flatten()
                    .all(|s| (s.link == Some(1)) == (s.style == link))
            );
        }
    }

    #[test]
    fn wrap_mode_reads_and_writes_as_lowercase_words() {
        let modes: Vec<Wrap> = serde_json::from_str(r#"["optimal", "greedy"]"#).unwrap_or_default();
        assert_eq!(modes, [Wrap::Optimal, Wrap::Greedy]);
        assert_eq!(
            serde_json::to_string(&Wrap::Greedy).ok().as_deref(),
            Some(r#""greedy""#)
        );
        assert_eq!(Wrap::default(), Wrap::Optimal);
    }

    #[test]
    fn a_window_is_the_whole_layouts_rows_from_its_first_block() {
        let markdown = "# Head\n\n> quoted text that wraps at this width\n\n- a\n- b\n  - c\n\n\
                        Some words in a paragraph.\n\n"
            .repeat(30);
        let doc = crate::markdown::parse::parse_markdown(&markdown);
        let whole = layout(&doc, 24).lines.to_lines();
        let placed = layout(&doc, 24).blocks;
        for block in placed.iter().step_by(5) {
            let window = layout_window(&doc, 24, Wrap::Optimal, block.block, false, 10);
            let rows = window.lines.to_lines();
            let from = block.rows.start;
            assert!(rows.len() >= 10.min(whole.len() - from));
            assert_eq!(
                rows[..],
                whole[from..from + rows.len()],
                "from block {}",
                block.block
            );
        }
        let top = layout_window(&doc, 24, Wrap::Optimal, 0, true, 10)
            .lines
            .to_lines();
        assert_eq!(top[..], whole[..top.len()]);
    }

    #[test]
    fn every_block_has_its_rows_in_order() {
        // Laid out run by run, the same rows: tests/it/markdown_runs.rs.
        let markdown =
            "# Head\n\nSome words in a paragraph that wraps.\n\n> quoted\n\n- a\n- b\n\n"
                .repeat(40);
        let doc = crate::markdown::parse::parse_markdown(&markdown);
        for wrap in [Wrap::Optimal, Wrap::Greedy] {
            let single = layout_with(&doc, 24, wrap);
            let single_rows = &single.blocks;
            assert_eq!(single_rows.len(), doc.blocks.len());
            assert!(
                single_rows
                    .windows(2)
                    .all(|w| w[0].rows.end <= w[1].rows.start)
            );
        }
    }

    #[test]
    fn link_at_and_heading_row_point_into_the_layout() {
        let doc = crate::markdown::parse::parse_markdown("# Top\n\nSee [it](https://x.y) now");
        let l = layout(&doc, 40);
        assert_eq!(l.heading_row("top"), Some(0));
        assert_eq!(l.link_at(3, 4), Some(1));
        assert_eq!(l.link_at(3, 0), None);
        assert_eq!(l.link_at(99, 0), None);
    }

    #[test]
    fn columns_shrink_widest_first() {
        assert_eq!(
            column_widths(&[5, 30, 10], &[5, 5, 5], 30),
            Some(vec![5, 15, 10])
        );
        assert_eq!(column_widths(&[5, 5], &[5, 5], 20), Some(vec![5, 5]));
        assert_eq!(column_widths(&[9; 10], &[9; 10], 20), None);
        // Whole words stay whole when they can.
        assert_eq!(column_widths(&[4, 79], &[4, 11], 20), Some(vec![4, 16]));
    }

    #[test]
    fn a_link_of_zero_width_text_has_no_place() {
        for source in [
            "| <a href=\"https://a.org\">\u{200b}</a> |\n|---|\n",
            "[\u{200b}](https://a.org) and [seen](https://b.org)\n",
            "<a href=\"</a>\">\u{200b}\u{200d}</a> x\n",
        ] {
            let doc = crate::markdown::parse::parse_markdown(source);
            for width in [1, 3, 40] {
                for link in &layout(&doc, width).links {
                    for &(_, start, end) in &link.places {
                        assert!(start < end, "{source:?} at {width}: {:?}", link.places);
                    }
                }
            }
        }
    }

    #[test]
    fn the_header_shows_a_titles_inline_markdown_styled_without_its_marks() {
        let meta = crate::library::Meta {
            title: "Why `async fn` took *years*".to_owned(),
            description: Some("The **short** story".to_owned()),
            ..crate::library::Meta::default()
        };
        let doc = crate::markdown::parse::parse_article(&meta, "Body.\n");
        let l = layout(&doc, 60);
        let first = l.lines.get(0).expect("a first row");
        assert_eq!(first.text(), "Why async fn took years");
        let code = first.spans().find(|s| s.text == "async fn");
        assert_eq!(code.map(|s| s.style.role), Some(Role::InlineCode));
        let years = first.spans().find(|s| s.text == "years");
        assert!(years.is_some_and(|s| s.style.emphasis && s.style.role == Role::Title));
        let description = l.plain_lines();
        assert!(
            description.iter().any(|r| r == "The short story"),
            "{description:?}"
        );
    }

    #[test]
    fn top_level_code_blocks_are_runs_of_their_own_and_runs_cover_the_document() {
        let piece = "Text.\n\n```rust\nlet a = 1;\n```\n\n- item\n\n  ```rust\n  nested\n  ```\n\n\
                     ```rust\nlet b = 2;\n```\n\nAfter.\n\n";
        let doc = crate::markdown::parse::parse_markdown(&piece.repeat(300));
        let is_code = |b: &Block| matches!(b.kind, BlockKind::Code { .. });
        let runs = stream_runs_apart(&doc, is_code);
        let mut next = 0;
        for run in &runs {
            assert_eq!(run.start, next, "runs are contiguous");
            assert!(run.start < run.end);
            assert!(doc.blocks[run.start].containers.is_empty(), "{run:?}");
            next = run.end;
        }
        assert_eq!(next, doc.blocks.len());
        for (i, block) in doc.blocks.iter().enumerate() {
            if is_code(block) && block.containers.is_empty() {
                // Alone in its run but for the list right after it.
                let run = runs.iter().find(|r| r.start == i);
                assert!(
                    run.is_some_and(|r| doc.blocks[i + 1..r.end]
                        .iter()
                        .all(|b| !b.containers.is_empty())),
                    "block {i}: {run:?}"
                );
            }
        }
        let alone = runs
            .iter()
            .filter(|r| r.len() == 1 && is_code(&doc.blocks[r.start]))
            .count();
        assert_eq!(alone, 300);
        assert!(runs.len() > stream_runs(&doc).len());
    }
}
