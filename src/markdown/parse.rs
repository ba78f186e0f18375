//! The one pulldown-cmark event loop: Markdown text → [`Document`].
//!
//! The `match` in [`Builder::event`] is the index of what folio supports; each construct's
//! handling is a method of its own. The builder keeps small stacks (containers, inline styles,
//! links) and emits flat leaf blocks, so nothing here recurses over nesting depth.

use std::borrow::Cow;
use std::collections::HashMap;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options as CmarkOptions, Tag,
    TagEnd,
};

use super::highlight;
use super::model::{
    AlertKind, Align, Block, BlockKind, Container, ContainerKind, Document, Header, Link, ListInfo,
    MAX_DEPTH, Marker, Role, Run, Style, Table,
};
use super::shortcode::{self, Item, Shortcodes};
use super::split;
use crate::library::Meta;
use crate::links::{host_of, may_open};
use crate::text::{sanitize, sanitize_line};

/// Tab stops in code blocks.
pub const TAB_STOP: usize = 4;

/// Choices that change how a document is built but never its layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Colour code blocks (only worth it when colour can show).
    pub highlight: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { highlight: true }
    }
}

/// Parses an article body, with a header built from its metadata.
pub fn parse_article(meta: &Meta, body: &str) -> Document {
    parse_article_with(meta, body, Options::default())
}

/// [`parse_article`] with explicit [`Options`].
pub fn parse_article_with(meta: &Meta, body: &str, options: Options) -> Document {
    let mut doc = parse_body(body, options);
    doc.header = header(meta);
    fold_title_heading(&mut doc);
    doc
}

/// Parses Markdown alone, without a header.
pub fn parse_markdown(body: &str) -> Document {
    parse_body(body, Options::default())
}

fn cmark_options(body: &str) -> CmarkOptions {
    // pulldown-cmark also takes a `---` line inside a block quote at the top for the start of
    // a metadata block and swallows the rest; only a body that opens with one has front matter.
    let body = body.trim_start_matches('\u{feff}');
    let metadata = if body.starts_with("---") || body.starts_with("+++") {
        CmarkOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | CmarkOptions::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
    } else {
        CmarkOptions::empty()
    };
    metadata
        | CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_GFM
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

fn parse_body(body: &str, options: Options) -> Document {
    parse_body_until(body, options, PIECE_BYTES, usize::MAX).0
}

/// Parses Markdown alone in pieces of at least `piece_bytes` (`usize::MAX`: in one), for tests
/// that check the pieces add up to the single parse.
#[doc(hidden)]
pub fn parse_markdown_in_pieces(body: &str, piece_bytes: usize) -> Document {
    parse_body_until(body, Options::default(), piece_bytes, usize::MAX).0
}

/// Source bytes parsed at a time: pulldown-cmark keeps a tree of its whole input, so a big
/// body goes through it in pieces of about this size, cut between top-level blocks.
pub const PIECE_BYTES: usize = 16 * 1024;

/// Parses the body's first top-level blocks, at least `min_bytes` of its source (whole pieces
/// of [`PIECE_BYTES`]), for a first screen before the rest is read. Returns the document and
/// whether it is the whole body. A partial document is a prefix of the whole one: the same
/// blocks, link numbers and note marks, only without the notes section and later blocks.
pub fn parse_article_part(
    meta: &Meta,
    body: &str,
    options: Options,
    min_bytes: usize,
) -> (Document, bool) {
    let (mut doc, complete) = parse_body_until(body, options, PIECE_BYTES, min_bytes);
    doc.header = header(meta);
    fold_title_heading(&mut doc);
    (doc, complete)
}

/// Every image target the parser numbers, written as its [`Link::url`] will be, in reading
/// order and without repeats: Markdown images, HTML `<img>` and Hugo `figure`/`img`
/// shortcodes. Only the events are read, no document is built: whoever may read files looks
/// these up before the article is parsed, so the rows for its pictures are known at once.
pub fn image_targets(body: &str) -> Vec<String> {
    let body = without_escapes(body);
    let body = body.as_ref();
    let cmark = cmark_options(body);
    let (body, shortcodes) = shortcode::prepare(body, cmark);
    let mut found: Vec<String> = Vec::new();
    // A set beside the list: a hostile article may hold a million different targets.
    let mut seen = std::collections::HashSet::new();
    let mut add = |url: &str| {
        let url = sanitize_line(&shortcodes.expand(url));
        if seen.insert(url.clone()) {
            found.push(url);
        }
    };
    let mut html = HtmlStripper::default();
    // Inside an image's alt text: what is there is words only.
    let mut in_image = 0usize;
    let mut in_code = false;
    for event in pulldown_cmark::Parser::new_ext(&body, cmark) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                if in_image == 0 {
                    add(&dest_url);
                }
                in_image += 1;
            }
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                if let CodeBlockKind::Fenced(info) = kind
                    && let Some(Item::Image { src, .. }) =
                        shortcodes.fence(&info).and_then(|c| shortcodes.get(c))
                    && let Some(src) = followable(src)
                {
                    add(&src);
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Html(raw) | Event::InlineHtml(raw) if !in_code => {
                let mut pieces = HtmlPieces::default();
                html.feed(&sanitize(&raw), &mut pieces);
                for piece in pieces.list {
                    if let HtmlPiece::Image { src: Some(src), .. } = piece
                        && in_image == 0
                    {
                        add(&src);
                    }
                }
            }
            Event::Text(text) if !in_code && in_image == 0 && !html.skipping() => {
                for c in text.chars() {
                    if let Some(Item::Image { src, .. }) = shortcodes.get(c)
                        && let Some(src) = followable(src)
                    {
                        add(&src);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The body with its escape sequences gone whole before Markdown sees them: the parser splits
/// text at `[` and `]`, and a sequence cut in two leaves its tail (`[31m`, `]0;title`) as
/// visible text.
fn without_escapes(body: &str) -> std::borrow::Cow<'_, str> {
    if body.contains([
        '\u{1b}', '\u{90}', '\u{98}', '\u{9b}', '\u{9d}', '\u{9e}', '\u{9f}',
    ]) {
        std::borrow::Cow::Owned(sanitize(body))
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// Parses pieces of the body until `limit` bytes of source are read (or all of it).
fn parse_body_until(
    body: &str,
    options: Options,
    piece_bytes: usize,
    limit: usize,
) -> (Document, bool) {
    let body = without_escapes(body);
    let body = body.as_ref();
    let cmark = cmark_options(body);
    // Shortcodes and template tags are found first: Markdown would reflow them as prose.
    let (body, shortcodes) = shortcode::prepare(body, cmark);
    let mut builder = Builder::new(options, shortcodes);
    // With metadata blocks on (a body that opens with `---`), pulldown-cmark may take any later
    // `---` line for the start of another one, across blank lines: such a body is not cut.
    let metadata = cmark.intersects(
        CmarkOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | CmarkOptions::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS,
    );
    if body.len() <= piece_bytes || metadata {
        for event in pulldown_cmark::Parser::new_ext(&body, cmark) {
            builder.event(event);
        }
        return (builder.finish(), true);
    }
    let scan = split::scan(&body);
    let later = cmark
        - CmarkOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS
        - CmarkOptions::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let pieces = split::pieces(body.len(), &scan, piece_bytes);
    let mut others = OtherPieces {
        body: &body,
        pieces: &pieces,
        options: later,
        scan: &scan,
        read: HashMap::new(),
        notes: HashMap::new(),
    };
    let mut next = 0;
    while next < pieces.len() {
        let first = next;
        if pieces[first].start >= limit {
            return (builder.finish_partial(), false);
        }
        // A piece whose last block runs to its end (a fence or HTML block the line scan took
        // for closed) is parsed again joined with the pieces after it, more each time.
        let mut take = 1;
        loop {
            let last = (first + take).min(pieces.len()) - 1;
            let range = pieces[first].start..pieces[last].end;
            let (text, skip) = piece_text(&body, &range, first == 0, &scan, &mut others);
            let own = skip..skip + range.len();
            let options = if first == 0 { cmark } else { later };
            let (events, closed) = piece_events(&text, own, &range, options, &mut others);
            if !closed && last + 1 < pieces.len() {
                take *= 2;
                continue;
            }
            for event in events {
                builder.event(event);
            }
            next = last + 1;
            break;
        }
    }
    (builder.finish(), true)
}

/// The definitions of pieces other than the one being parsed, as the parser reads them: each
/// piece holding a pre-scanned definition that is used is parsed once more, block pass only.
struct OtherPieces<'b> {
    body: &'b str,
    pieces: &'b [std::ops::Range<usize>],
    options: CmarkOptions,
    scan: &'b split::Scan,
    /// Piece index → its definitions (normalized label → url, title).
    read: HashMap<usize, HashMap<String, (String, String)>>,
    /// Piece index → the notes it defines (normalized labels).
    notes: HashMap<usize, std::collections::HashSet<String>>,
}

impl OtherPieces<'_> {
    /// Whether the parser reads one of the lines at `offsets` outside `current` as the
    /// definition of note `label`.
    fn defines_note(
        &mut self,
        label: &str,
        offsets: &[usize],
        current: &std::ops::Range<usize>,
    ) -> bool {
        let (body, options) = (self.body, self.options);
        for at in offsets.iter().filter(|at| !current.contains(at)) {
            let index = self.pieces.partition_point(|p| p.end <= *at);
            let Some(piece) = self.pieces.get(index).cloned() else {
                continue;
            };
            let defined = self.notes.entry(index).or_insert_with(|| {
                pulldown_cmark::Parser::new_ext(&body[piece], options)
                    .filter_map(|event| match event {
                        Event::Start(Tag::FootnoteDefinition(label)) => {
                            Some(split::normalize(&label))
                        }
                        _ => None,
                    })
                    .collect()
            });
            if defined.contains(label) {
                return true;
            }
        }
        false
    }

    fn resolve(
        &mut self,
        reference: &str,
        current: &std::ops::Range<usize>,
    ) -> Option<(String, String)> {
        let label = split::normalize(reference);
        let (body, options) = (self.body, self.options);
        for at in self.scan.refs.get(&label)? {
            if current.contains(at) {
                // The parser saw this piece whole and did not take the line for a definition.
                continue;
            }
            let index = self.pieces.partition_point(|p| p.end <= *at);
            let Some(piece) = self.pieces.get(index).cloned() else {
                continue;
            };
            let defs = self.read.entry(index).or_insert_with(|| {
                let parser = pulldown_cmark::Parser::new_ext(&body[piece], options);
                parser
                    .reference_definitions()
                    .iter()
                    .map(|(label, def)| {
                        let title = def.title.as_deref().unwrap_or_default().to_owned();
                        (split::normalize(label), (def.dest.to_string(), title))
                    })
                    .collect()
            });
            if let Some(def) = defs.get(&label) {
                return Some(def.clone());
            }
        }
        None
    }
}

/// The text the parser gets for `body[range]`, and where the piece starts in it.
fn piece_text<'b>(
    body: &'b str,
    range: &std::ops::Range<usize>,
    first: bool,
    scan: &split::Scan,
    others: &mut OtherPieces<'_>,
) -> (Cow<'b, str>, usize) {
    let piece = &body[range.clone()];
    // A note defined in another piece gets a stand-in definition, so that its reference
    // reads as one; the stand-ins' own events are skipped. They go before the piece (an
    // unclosed fence at its end would swallow them), except in the first piece, which may
    // open with front matter or indentation.
    let notes: Vec<&str> = split::foreign_notes(piece, range, scan)
        .into_iter()
        .filter(|(label, offsets)| others.defines_note(label, offsets, range))
        .map(|(label, _)| label)
        .collect();
    if notes.is_empty() {
        (Cow::Borrowed(piece), 0)
    } else {
        let mut stand_ins = String::with_capacity(notes.len() * 16);
        for note in notes {
            stand_ins.push_str("[^");
            stand_ins.push_str(note);
            stand_ins.push_str("]: .\n\n");
        }
        if first {
            (Cow::Owned(format!("{piece}\n\n{stand_ins}")), 0)
        } else {
            let skip = stand_ins.len();
            (Cow::Owned(format!("{stand_ins}{piece}")), skip)
        }
    }
}

/// Parses a piece's text alone: the events of its own part (from `own`), and false when its
/// last top-level block is a fence or HTML block that runs on to its very end (unclosed here:
/// the cut after it was wrong).
fn piece_events<'t>(
    text: &'t str,
    own: std::ops::Range<usize>,
    range: &std::ops::Range<usize>,
    options: CmarkOptions,
    others: &mut OtherPieces<'_>,
) -> (Vec<Event<'t>>, bool) {
    // References defined in other pieces resolve through the pre-scan, confirmed by the
    // parser on the piece that holds the definition (a line that looks like one may be text).
    let resolve = |link: pulldown_cmark::BrokenLink<'_>| {
        let (url, title) = others.resolve(&link.reference, range)?;
        Some((
            pulldown_cmark::CowStr::from(url),
            pulldown_cmark::CowStr::from(title),
        ))
    };
    let parser =
        pulldown_cmark::Parser::new_with_broken_link_callback(text, options, Some(resolve));
    let mut events = Vec::new();
    let mut depth = 0usize;
    // The last top-level fence or HTML block's end, while it is the last block.
    let mut open_end: Option<usize> = None;
    for (event, span) in parser.into_offset_iter() {
        let top = depth == 0;
        match &event {
            Event::Start(tag) => {
                if top {
                    open_end = matches!(
                        tag,
                        Tag::CodeBlock(CodeBlockKind::Fenced(_)) | Tag::HtmlBlock
                    )
                    .then_some(span.end);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if top => open_end = None,
            _ => {}
        }
        if own.contains(&span.start) {
            events.push(event);
        }
    }
    // The piece ends after a blank line: a block closed in it ends before that line.
    let closed = open_end.is_none_or(|end| end < own.end);
    (events, closed)
}

/// The header from front matter: title, `date · authors · tags`, description, source host.
fn header(meta: &Meta) -> Header {
    let mut byline = Vec::new();
    if let Some(date) = meta.date {
        byline.push(date.to_string());
    }
    let authors: Vec<String> = meta
        .authors
        .iter()
        .map(|a| sanitize_line(a))
        .filter(|a| !a.is_empty())
        .collect();
    if !authors.is_empty() {
        byline.push(authors.join(", "));
    }
    let tags: Vec<String> = meta
        .tags
        .iter()
        .map(|t| sanitize_line(t))
        .filter(|t| !t.is_empty())
        .map(|t| format!("#{t}"))
        .collect();
    if !tags.is_empty() {
        byline.push(tags.join(" "));
    }
    let description = meta.description.as_deref().unwrap_or_default();
    Header {
        title_runs: styled_runs(&meta.title, Role::Title),
        description_runs: styled_runs(description, Role::Description),
        title: super::inline::plain(&meta.title),
        byline: byline.join(" · "),
        description: meta
            .description
            .as_deref()
            .map(super::inline::plain)
            .unwrap_or_default(),
        source_host: meta.source.as_deref().map(host_of).unwrap_or_default(),
        title_anchor: None,
    }
}

/// What stands for an image: `[image: alt]`, or without alt text the file name, which says
/// more than nothing.
fn image_label(alt: &str, url: &str) -> String {
    let name = if alt.is_empty() {
        file_name(url)
    } else {
        alt.to_owned()
    };
    if name.is_empty() {
        "[image]".to_owned()
    } else {
        format!("[image: {name}]")
    }
}

/// A one-line field's inline Markdown as runs in `role`: inline code takes the code role,
/// emphasis, strong and strikethrough their flags.
fn styled_runs(field: &str, role: Role) -> Vec<Run> {
    super::inline::runs(field)
        .into_iter()
        .map(|run| Run {
            style: Style {
                role: if run.code { Role::InlineCode } else { role },
                strong: run.strong,
                emphasis: run.emphasis,
                strike: run.struck,
                token: None,
            },
            text: run.text,
            link: None,
        })
        .collect()
}

/// The last path segment of a URL, without query or fragment (`/img/a.png?x` → `a.png`).
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    match path.rsplit_once('/') {
        Some((_, name)) => name.to_owned(),
        None if url.contains("://") => String::new(),
        None => path.to_owned(),
    }
}

/// An article whose body starts with `# Its Title` would show the title twice: drop the heading
/// and let the header stand for it.
fn fold_title_heading(doc: &mut Document) {
    let Some(first) = doc.blocks.first() else {
        return;
    };
    if let BlockKind::Heading {
        level: 1,
        text,
        anchor,
        ..
    } = &first.kind
        && first.containers.is_empty()
        && !doc.header.title.is_empty()
        && text.trim().eq_ignore_ascii_case(doc.header.title.trim())
    {
        doc.header.title_anchor = Some(anchor.clone());
        doc.blocks.remove(0);
        if let Some(next) = doc.blocks.first_mut() {
            next.gap_before = false;
        }
    }
}

/// GitHub's heading slug: lower case, spaces to `-`, punctuation dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Superscript digits for footnote marks.
fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .bytes()
        .map(|b| DIGITS[usize::from(b - b'0')])
        .collect()
}

/// One open container or construct in the builder's stack.
#[derive(Debug)]
enum Frame {
    Quote {
        id: u32,
        alert: Option<AlertKind>,
    },
    List {
        /// Index into `Document::lists` (ordered lists) — unused for bullets.
        list: usize,
        next_number: Option<u64>,
        depth: usize,
        tight: bool,
        /// A block has been emitted inside this list (or a list nested in it).
        emitted: bool,
    },
    Item {
        id: u32,
        marker: Marker,
        emitted: bool,
    },
    /// A footnote definition: containers outside it do not apply to its blocks.
    Note {
        label: String,
    },
}

/// A table being read.
#[derive(Debug, Default)]
struct TableState {
    table: Table,
    in_head: bool,
    row: Vec<Vec<Run>>,
}

/// What inline text is being collected into besides the runs.
#[derive(Debug, Default)]
struct InlineState {
    strong: u32,
    emphasis: u32,
    strike: u32,
    /// Open links (their numbers), innermost last.
    links: Vec<usize>,
    /// Open images: (link number, alt text so far).
    images: Vec<(usize, String)>,
    heading: Option<(u8, Option<String>)>,
}

/// What raw HTML shows, piece by piece.
#[derive(Clone, Debug, PartialEq, Eq)]
enum HtmlPiece {
    Text(String),
    Break,
    /// `<a>`: its target, when it is one a reader may follow.
    LinkStart(Option<String>),
    LinkEnd,
    /// `<img>`: its source (when it may be followed) and alt text.
    Image {
        src: Option<String>,
        alt: String,
    },
}

/// What one feed of HTML produced; whitespace collapses across its pieces.
#[derive(Debug, Default)]
struct HtmlPieces {
    list: Vec<HtmlPiece>,
    /// Whether text came last (so a space may follow), and whether anything came at all.
    after_text: bool,
    started: bool,
}

impl HtmlPieces {
    /// Text between tags: every named and numeric entity decoded (html-escape), whitespace
    /// collapsed.
    ///
    /// The decoded text is sanitized again: `&#x9b;` decodes to a C1 CSI and `&#x202e;` to a
    /// bidi override, which the sanitizer that ran over the raw HTML could not see.
    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let decoded = html_escape::decode_html_entities(text);
        let mut kept = String::new();
        for c in sanitize(&decoded).chars() {
            if c.is_whitespace() {
                if self.after_text {
                    kept.push(' ');
                    self.after_text = false;
                }
            } else {
                kept.push(c);
                self.after_text = true;
                self.started = true;
            }
        }
        if kept.is_empty() {
            return;
        }
        match self.list.last_mut() {
            Some(HtmlPiece::Text(last)) => last.push_str(&kept),
            _ => self.list.push(HtmlPiece::Text(kept)),
        }
    }

    /// A line break; a block tag's (`soft`) only after something, and never two in a row.
    fn line_break(&mut self, soft: bool) {
        if soft && (!self.started || matches!(self.list.last(), Some(HtmlPiece::Break))) {
            return;
        }
        self.list.push(HtmlPiece::Break);
        self.after_text = false;
        self.started = true;
    }

    fn push(&mut self, piece: HtmlPiece) {
        if matches!(piece, HtmlPiece::Image { .. }) {
            self.after_text = true;
            self.started = true;
        }
        self.list.push(piece);
    }
}

/// Reads raw HTML for what a reader needs: text, line breaks, links and images. Comments
/// and script/style contents are dropped.
#[derive(Debug, Default)]
struct HtmlStripper {
    in_comment: bool,
    /// Inside `<script>` or `<style>`: the closing tag that ends the skip.
    skip_until: Option<&'static str>,
}

impl HtmlStripper {
    fn skipping(&self) -> bool {
        self.in_comment || self.skip_until.is_some()
    }

    /// Feeds raw HTML; what it shows goes to `out`.
    fn feed(&mut self, html: &str, out: &mut HtmlPieces) {
        // A quote that never closes in this text cannot close for a later tag either.
        let mut unclosed = [false; 2];
        let mut rest = html;
        while !rest.is_empty() {
            if self.in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        rest = &rest[end + 3..];
                    }
                    None => return,
                }
                continue;
            }
            if let Some(close) = self.skip_until {
                match find_ascii_ci(rest, close) {
                    Some(at) => {
                        self.skip_until = None;
                        rest = &rest[at..];
                    }
                    None => return,
                }
            }
            match rest.find('<') {
                None => {
                    out.text(rest);
                    return;
                }
                Some(lt) => {
                    out.text(&rest[..lt]);
                    rest = &rest[lt..];
                    if rest.starts_with("<!--") {
                        self.in_comment = true;
                        rest = &rest[4..];
                        continue;
                    }
                    let end = tag_end(rest, &mut unclosed);
                    self.tag(&rest[..end], out);
                    rest = &rest[end..];
                }
            }
        }
    }

    fn tag(&mut self, tag: &str, out: &mut HtmlPieces) {
        let inner = tag.trim_start_matches('<').trim_start_matches('/');
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let closing = tag.starts_with("</");
        match name.as_str() {
            "script" if !closing && !tag.ends_with("/>") => self.skip_until = Some("</script"),
            "style" if !closing && !tag.ends_with("/>") => self.skip_until = Some("</style"),
            "br" => out.line_break(false),
            "a" if closing => out.push(HtmlPiece::LinkEnd),
            "a" => {
                let target = attribute(tag, "href").and_then(|href| followable(&href));
                out.push(HtmlPiece::LinkStart(target));
            }
            "img" if !closing => {
                let alt = attribute(tag, "alt")
                    .filter(|alt| !alt.trim().is_empty())
                    .or_else(|| attribute(tag, "title"))
                    .map(|alt| sanitize_line(&alt))
                    .unwrap_or_default();
                let src = attribute(tag, "src").and_then(|src| followable(&src));
                out.push(HtmlPiece::Image { src, alt });
            }
            // GitHub draws a disclosure triangle before a summary.
            "summary" if !closing => {
                out.line_break(true);
                out.text("▸ ");
            }
            "td" | "th" if !closing => out.text(" "),
            "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
            | "pre" | "table" | "ul" | "ol" | "hr" | "details" | "summary" | "figure"
            | "figcaption" | "section" | "article" | "header" | "footer" | "aside" | "nav"
            | "main" | "dl" | "dt" | "dd" | "center" | "caption" => out.line_break(true),
            _ => {}
        }
    }
}

/// The length of the tag `rest` starts with: up to the first `>` outside a quoted attribute
/// value. A quote that never closes is no quote, so one stray `"` cannot hide what follows.
fn tag_end(rest: &str, unclosed: &mut [bool; 2]) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => {
                after_equals = true;
                i += 1;
                continue;
            }
            quote @ (b'"' | b'\'') if after_equals => {
                let which = usize::from(quote == b'\'');
                if !unclosed[which] {
                    match rest[i + 1..].find(char::from(quote)) {
                        Some(len) => {
                            i += len + 2;
                            after_equals = false;
                            continue;
                        }
                        None => unclosed[which] = true,
                    }
                }
            }
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        after_equals = false;
        i += 1;
    }
    rest.len()
}

/// The value of the attribute `wanted` in a start tag, entities decoded.
fn attribute(tag: &str, wanted: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let len = bytes.len();
    let space = |b: u8| b.is_ascii_whitespace();
    let mut i = 1;
    while i < len && !(space(bytes[i]) || bytes[i] == b'>' || bytes[i] == b'/') {
        i += 1;
    }
    loop {
        while i < len && (space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= len || bytes[i] == b'>' {
            return None;
        }
        let start = i;
        while i < len && !(space(bytes[i]) || matches!(bytes[i], b'=' | b'>' | b'/')) {
            i += 1;
        }
        let name = &tag[start..i];
        if i == start {
            i += 1;
            continue;
        }
        while i < len && space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if i < len && bytes[i] == b'=' {
            i += 1;
            while i < len && space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let from = i + 1;
                    i = from;
                    while i < len && bytes[i] != quote {
                        i += 1;
                    }
                    value = &tag[from..i];
                    i += 1;
                }
                _ => {
                    let from = i;
                    while i < len && !(space(bytes[i]) || bytes[i] == b'>') {
                        i += 1;
                    }
                    value = &tag[from..i];
                }
            }
        }
        if name.eq_ignore_ascii_case(wanted) {
            return Some(html_escape::decode_html_entities(value).into_owned());
        }
    }
}

/// A link or image target from raw HTML or a template tag, when a reader may follow it: a web
/// address or a relative one, never `javascript:` or `data:`. Checked as decoded and as it
/// will be kept.
fn followable(target: &str) -> Option<String> {
    let kept = sanitize_line(target);
    (may_open(target) && may_open(&kept)).then_some(kept)
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let hay = haystack.as_bytes();
    let needle = needle.as_bytes();
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

struct Builder {
    options: Options,
    doc: Document,
    frames: Vec<Frame>,
    /// Inline runs of the paragraph, heading or cell being read.
    runs: Vec<Run>,
    inline: InlineState,
    html: HtmlStripper,
    /// Links opened by `<a>` and not yet closed (`None`: one that may not be followed).
    html_links: Vec<Option<usize>>,
    /// The template tags the text was prepared with, and the one the code block being read
    /// stands for.
    shortcodes: Shortcodes,
    shortcode_fence: Option<char>,
    /// Text of the code block being read, and its language.
    code: Option<(Option<String>, String)>,
    table: Option<TableState>,
    in_metadata: bool,
    /// The next block follows an alert's label line directly.
    no_gap: bool,
    next_id: u32,
    /// Slugs already used, for `-1`, `-2` suffixes.
    anchors: HashMap<String, usize>,
    /// Footnote label → number, in order of first reference.
    note_numbers: HashMap<String, usize>,
    /// Footnote definitions: label and blocks, in source order.
    notes: Vec<(String, Vec<Block>)>,
    /// A footnote definition being read collects its blocks here.
    /// (innermost last; definitions inside definitions are not expected, but cost nothing).
    note_blocks: Vec<Vec<Block>>,
}

impl Builder {
    fn new(options: Options, shortcodes: Shortcodes) -> Self {
        Builder {
            options,
            doc: Document::default(),
            frames: Vec::new(),
            runs: Vec::new(),
            inline: InlineState::default(),
            html: HtmlStripper::default(),
            html_links: Vec::new(),
            shortcodes,
            shortcode_fence: None,
            code: None,
            table: None,
            in_metadata: false,
            no_gap: false,
            next_id: 0,
            anchors: HashMap::new(),
            note_numbers: HashMap::new(),
            notes: Vec::new(),
            note_blocks: Vec::new(),
        }
    }

    fn id(&mut self) -> u32 {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    /// The index of supported constructs.
    fn event(&mut self, event: Event<'_>) {
        if self.in_metadata {
            if let Event::End(TagEnd::MetadataBlock(_)) = event {
                self.in_metadata = false;
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline_code(&code),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.inline_code(&math),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.hard_break(),
            Event::Rule => self.rule(),
            Event::TaskListMarker(done) => self.task_marker(done),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.start_paragraph(),
            Tag::Heading { level, id, .. } => self.start_heading(level, id.map(|i| i.to_string())),
            Tag::BlockQuote(kind) => self.start_quote(kind),
            Tag::CodeBlock(kind) => self.start_code(kind),
            Tag::HtmlBlock => self.flush_paragraph(),
            Tag::List(start) => self.start_list(start),
            Tag::Item => self.start_item(),
            Tag::FootnoteDefinition(label) => self.start_note(&label),
            Tag::Table(aligns) => self.start_table(&aligns),
            Tag::TableHead => self.start_table_head(),
            Tag::TableRow | Tag::TableCell => {}
            Tag::Emphasis => self.inline.emphasis = self.inline.emphasis.saturating_add(1),
            Tag::Strong => self.inline.strong = self.inline.strong.saturating_add(1),
            Tag::Strikethrough => self.inline.strike = self.inline.strike.saturating_add(1),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.start_link(link_type, &dest_url),
            Tag::Image { dest_url, .. } => self.start_image(&dest_url),
            Tag::MetadataBlock(_) => self.in_metadata = true,
            // Not enabled; their text still shows.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.end_paragraph(),
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::BlockQuote(_) => self.end_quote(),
            TagEnd::CodeBlock => self.end_code(),
            TagEnd::List(_) => self.end_list(),
            TagEnd::Item => self.end_item(),
            TagEnd::FootnoteDefinition => self.end_note(),
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead => self.end_table_row(),
            TagEnd::TableRow => self.end_table_row(),
            TagEnd::TableCell => self.end_table_cell(),
            TagEnd::Emphasis => self.inline.emphasis = self.inline.emphasis.saturating_sub(1),
            TagEnd::Strong => self.inline.strong = self.inline.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.inline.strike = self.inline.strike.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            TagEnd::MetadataBlock(_) => self.in_metadata = false,
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
        }
    }

    // ---- inline text ----

    /// The style of inline text at this point.
    fn style(&self, role: Role) -> Style {
        let role = if role != Role::Body {
            role
        } else if !self.inline.links.is_empty() {
            Role::Link
        } else if let Some((level, _)) = self.inline.heading {
            Role::Heading(level)
        } else if self.table.as_ref().is_some_and(|t| t.in_head) {
            Role::TableHeader
        } else if self.in_quote() {
            Role::Quote
        } else {
            Role::Body
        };
        Style {
            role,
            strong: self.inline.strong > 0,
            emphasis: self.inline.emphasis > 0,
            strike: self.inline.strike > 0,
            token: None,
        }
    }

    fn in_quote(&self) -> bool {
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Quote { .. } => return true,
                Frame::Note { .. } => return false,
                _ => {}
            }
        }
        false
    }

    fn text(&mut self, text: &str) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(text);
            return;
        }
        if self.html.skipping() {
            return;
        }
        // Most text is printable ASCII on one line: nothing to clean, nothing to copy.
        if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            self.push_text(text);
        } else {
            let clean = sanitize(text).replace(['\n', '\t'], " ");
            self.push_prose(&clean);
        }
    }

    /// [`Builder::push_text`], with the template tags the text's sentinels stand for.
    fn push_prose(&mut self, text: &str) {
        if !self.shortcodes.in_text(text) {
            return self.push_text(text);
        }
        let mut plain = 0;
        for (at, c) in text.char_indices() {
            let Some(item) = self.shortcodes.get(c).cloned() else {
                continue;
            };
            self.push_text(&text[plain..at]);
            plain = at + c.len_utf8();
            self.inline_shortcode(item);
        }
        self.push_text(&text[plain..]);
    }

    /// A template tag inside a line: an image, or its text dimmed.
    fn inline_shortcode(&mut self, item: Item) {
        if let Item::Image { src, alt, caption } = item {
            let alt = if alt.is_empty() { caption } else { alt };
            let src = followable(&src);
            return self.add_image(src, &sanitize_line(&alt));
        }
        let text = sanitize_line(&item.inline_text());
        if let Some((_, alt)) = self.inline.images.last_mut() {
            alt.push_str(&text);
            return;
        }
        let style = self.style(Role::Dim);
        let link = self.inline.links.last().copied();
        self.push_run(&text, style, link);
    }

    /// A template tag alone on its lines, where the fence that stands for it was.
    fn shortcode_block(&mut self, item: Item) {
        match item {
            Item::Tags { label, lines } => {
                let style = Style::role(Role::Dim);
                let lines = lines
                    .iter()
                    .map(|line| {
                        let line = expand_tabs(&sanitize(line));
                        if line.is_empty() {
                            Vec::new()
                        } else {
                            vec![Run {
                                text: line,
                                style,
                                link: None,
                            }]
                        }
                    })
                    .collect();
                let label = label.map(|l| sanitize_line(&l)).filter(|l| !l.is_empty());
                self.emit(BlockKind::Shortcode { label, lines });
            }
            Item::Code { lang, text } => {
                let lang = lang.and_then(|lang| highlight::fence_language(&lang));
                self.emit_code(lang, &text);
            }
            Item::Image { src, alt, caption } => {
                let (alt, caption) = (sanitize_line(&alt), sanitize_line(&caption));
                let label = if alt.is_empty() { &caption } else { &alt };
                self.add_image(followable(&src), label);
                if !alt.is_empty() && !caption.is_empty() && caption != alt {
                    self.hard_break();
                    let style = Style {
                        emphasis: true,
                        ..self.style(Role::Body)
                    };
                    self.push_run(&caption, style, None);
                }
                self.flush_paragraph();
            }
            Item::Inline(_) => {
                self.inline_shortcode(item);
                self.flush_paragraph();
            }
        }
    }

    /// Adds text in the current style, to the open image's alt text if there is one.
    fn push_text(&mut self, text: &str) {
        if let Some((_, alt)) = self.inline.images.last_mut() {
            alt.push_str(text);
            return;
        }
        let style = self.style(Role::Body);
        let link = self.inline.links.last().copied();
        self.push_run(text, style, link);
    }

    fn push_run(&mut self, text: &str, style: Style, link: Option<usize>) {
        if text.is_empty() {
            return;
        }
        if let Some(n) = link
            && style.role != Role::LinkNumber
            && let Some(target) = self.doc.links.get_mut(n - 1)
        {
            target.text.push_str(text);
        }
        match self.runs.last_mut() {
            Some(last) if last.style == style && last.link == link => last.text.push_str(text),
            _ => self.runs.push(Run {
                text: text.to_owned(),
                style,
                link,
            }),
        }
    }

    fn inline_code(&mut self, code: &str) {
        if self.html.skipping() {
            return;
        }
        let clean = sanitize(code).replace(['\n', '\t'], " ");
        if let Some((_, alt)) = self.inline.images.last_mut() {
            alt.push_str(&clean);
            return;
        }
        let style = self.style(Role::InlineCode);
        let link = self.inline.links.last().copied();
        self.push_run(&clean, style, link);
    }

    fn hard_break(&mut self) {
        if self.inline.images.is_empty() {
            let style = self.style(Role::Body);
            self.push_run("\n", style, None);
        } else {
            self.push_text(" ");
        }
    }

    /// Raw HTML, block or inline: text kept, `<br>` breaks the line, `<a>` and `<img>` are
    /// links and images as in Markdown, other tags dropped.
    fn html(&mut self, html: &str) {
        let mut pieces = HtmlPieces::default();
        self.html.feed(&sanitize(html), &mut pieces);
        for piece in pieces.list {
            match piece {
                HtmlPiece::Text(text) => self.push_prose(&text),
                HtmlPiece::Break => {
                    // Block tags in a row make one break, never an empty line.
                    let at_break = self.runs.last().is_none_or(|r| r.text.ends_with('\n'));
                    if !at_break {
                        self.hard_break();
                    }
                }
                HtmlPiece::LinkStart(target) => self.start_html_link(target),
                HtmlPiece::LinkEnd => self.end_html_link(),
                HtmlPiece::Image { src, alt } => self.add_image(src, &alt),
            }
        }
    }

    fn start_html_link(&mut self, target: Option<String>) {
        // Links do not nest in HTML: a new `<a>` ends the one before.
        self.close_html_links();
        // In an image's alt text only the words count.
        let target = target.filter(|_| self.inline.images.is_empty());
        let number = target.map(|url| {
            self.doc.links.push(Link {
                picture: None,
                url: self.shortcodes.expand(&url).into_owned(),
                text: String::new(),
            });
            let n = self.doc.links.len();
            self.inline.links.push(n);
            n
        });
        self.html_links.push(number);
    }

    fn end_html_link(&mut self) {
        let Some(Some(n)) = self.html_links.pop() else {
            return;
        };
        if let Some(at) = self.inline.links.iter().rposition(|&open| open == n) {
            self.inline.links.remove(at);
        }
        self.link_number(n);
    }

    /// Ends the `<a>` links left open where their block ends.
    fn close_html_links(&mut self) {
        while !self.html_links.is_empty() {
            self.end_html_link();
        }
    }

    /// An image from HTML or a shortcode: numbered when its source may be followed.
    fn add_image(&mut self, src: Option<String>, alt: &str) {
        if let Some((_, outer)) = self.inline.images.last_mut() {
            outer.push_str(alt);
            return;
        }
        match src {
            Some(src) => {
                self.start_image(&src);
                if let Some((_, own)) = self.inline.images.last_mut() {
                    own.push_str(alt);
                }
                self.end_image();
            }
            None => {
                let style = self.style(Role::Image);
                let link = self.inline.links.last().copied();
                self.push_run(&image_label(alt, ""), style, link);
            }
        }
    }

    fn footnote_reference(&mut self, label: &str) {
        let next = self.note_numbers.len() + 1;
        let number = *self.note_numbers.entry(label.to_owned()).or_insert(next);
        let style = self.style(Role::FootnoteRef);
        self.push_run(&superscript(number), style, None);
    }

    fn start_link(&mut self, link_type: pulldown_cmark::LinkType, url: &str) {
        let mut url = sanitize_line(&self.shortcodes.expand(url));
        if link_type == pulldown_cmark::LinkType::Email && !url.starts_with("mailto:") {
            url.insert_str(0, "mailto:");
        }
        self.doc.links.push(Link {
            picture: None,
            url,
            text: String::new(),
        });
        self.inline.links.push(self.doc.links.len());
    }

    fn end_link(&mut self) {
        // The innermost Markdown link: an `<a>` inside it may still be open.
        let html = &self.html_links;
        let at = self
            .inline
            .links
            .iter()
            .rposition(|n| !html.contains(&Some(*n)));
        if let Some(at) = at {
            let n = self.inline.links.remove(at);
            self.link_number(n);
        }
    }

    /// The visible `[n]` after a link or image.
    fn link_number(&mut self, n: usize) {
        if !self.inline.images.is_empty() {
            return;
        }
        let style = Style {
            role: Role::LinkNumber,
            ..self.style(Role::LinkNumber)
        };
        self.push_run(&format!("[{n}]"), style, Some(n));
    }

    fn start_image(&mut self, url: &str) {
        self.doc.links.push(Link {
            picture: None,
            url: sanitize_line(&self.shortcodes.expand(url)),
            text: String::new(),
        });
        self.inline
            .images
            .push((self.doc.links.len(), String::new()));
    }

    fn end_image(&mut self) {
        let Some((n, alt)) = self.inline.images.pop() else {
            return;
        };
        let alt = sanitize_line(&alt);
        if let Some((_, outer)) = self.inline.images.last_mut() {
            // An image inside an image's alt text: keep its words only.
            outer.push_str(&alt);
            return;
        }
        if let Some(target) = self.doc.links.get_mut(n - 1) {
            target.text = alt.clone();
        }
        let url = self
            .doc
            .links
            .get(n - 1)
            .map(|l| l.url.as_str())
            .unwrap_or_default();
        let label = image_label(&alt, url);
        let style = self.style(Role::Image);
        // An image inside a link is that link's text too.
        if let Some(&outer) = self.inline.links.last()
            && let Some(target) = self.doc.links.get_mut(outer - 1)
        {
            target.text.push_str(&label);
        }
        // The label is the image's own place, so it is pushed as is rather than merged.
        self.runs.push(Run {
            text: label,
            style,
            link: Some(n),
        });
        self.link_number(n);
    }

    // ---- leaf blocks ----

    fn start_paragraph(&mut self) {
        self.flush_paragraph();
        // A paragraph directly inside a list item makes the list loose.
        if let Some(Frame::Item { .. }) = self.frames.last() {
            let len = self.frames.len();
            if len >= 2
                && let Some(Frame::List { tight, .. }) = self.frames.get_mut(len - 2)
            {
                *tight = false;
            }
        }
    }

    /// Emits the pending inline runs as a paragraph.
    fn flush_paragraph(&mut self) {
        self.close_html_links();
        // Only whitespace (e.g. a soft break between two dropped HTML tags) makes no paragraph.
        if self.runs.iter().all(|r| r.text.trim().is_empty()) {
            self.runs.clear();
            return;
        }
        let mut runs = self.runs.drain(..).collect::<Vec<Run>>();
        trim_runs(&mut runs);
        self.emit(BlockKind::Paragraph(runs));
    }

    /// The end of a paragraph or HTML block: an unclosed `<script>` or comment stops here
    /// instead of hiding the rest of the article.
    fn end_paragraph(&mut self) {
        self.flush_paragraph();
        self.html = HtmlStripper::default();
    }

    fn start_heading(&mut self, level: HeadingLevel, id: Option<String>) {
        self.flush_paragraph();
        self.inline.heading = Some((level as u8, id));
    }

    fn end_heading(&mut self) {
        self.close_html_links();
        let Some((level, id)) = self.inline.heading.take() else {
            return;
        };
        let mut runs = self.runs.drain(..).collect::<Vec<Run>>();
        trim_runs(&mut runs);
        // The heading's words only: no `[1]` link numbers or footnote marks in text or anchor.
        let text: String = runs
            .iter()
            .filter(|r| !matches!(r.style.role, Role::LinkNumber | Role::FootnoteRef))
            .map(|r| r.text.as_str())
            .collect::<String>();
        let text = text.replace('\n', " ").trim().to_owned();
        let base = match id {
            Some(id) => sanitize_line(&id),
            None => slug(&text),
        };
        let seen = self.anchors.entry(base.clone()).or_insert(0);
        let anchor = if *seen == 0 {
            base
        } else {
            format!("{base}-{seen}")
        };
        *seen += 1;
        self.emit(BlockKind::Heading {
            level,
            runs,
            text,
            anchor,
        });
    }

    fn start_code(&mut self, kind: CodeBlockKind<'_>) {
        self.flush_paragraph();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => {
                // An empty fence the shortcode pre-pass put where a template tag stood.
                self.shortcode_fence = self.shortcodes.fence(&info);
                highlight::fence_language(&info)
            }
            CodeBlockKind::Indented => None,
        };
        self.code = Some((lang, String::new()));
    }

    fn end_code(&mut self) {
        let Some((lang, text)) = self.code.take() else {
            return;
        };
        if let Some(sentinel) = self.shortcode_fence.take()
            && let Some(item) = self.shortcodes.get(sentinel).cloned()
        {
            return self.shortcode_block(item);
        }
        // A tag rewritten where Markdown then read code (a lazy line indented as code).
        let text = self.shortcodes.expand(&text).into_owned();
        self.emit_code(lang, &text);
    }

    /// A code block of `text`, plain for now: `finish` colours the blocks it has budget for.
    fn emit_code(&mut self, lang: Option<String>, text: &str) {
        let clean = sanitize(text);
        // Blank lines at either end of a block would read as extra space between blocks.
        let all: Vec<&str> = clean.split('\n').collect();
        let first = all.iter().position(|l| !l.trim().is_empty());
        let last = all.iter().rposition(|l| !l.trim().is_empty());
        let kept = match (first, last) {
            (Some(first), Some(last)) => &all[first..=last],
            _ => &all[..0],
        };
        let plain = Style::role(Role::CodeBlock);
        let lines = kept
            .iter()
            .map(|line| {
                if line.is_empty() {
                    Vec::new()
                } else {
                    vec![Run {
                        text: expand_tabs(line),
                        style: plain,
                        link: None,
                    }]
                }
            })
            .collect();
        self.emit(BlockKind::Code { lang, lines });
    }

    fn rule(&mut self) {
        self.flush_paragraph();
        self.emit(BlockKind::Rule);
    }

    fn task_marker(&mut self, done: bool) {
        if let Some(Frame::Item { marker, .. }) = self
            .frames
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Frame::Item { .. }))
        {
            *marker = Marker::Task { done };
        }
    }

    // ---- containers ----

    fn start_quote(&mut self, kind: Option<BlockQuoteKind>) {
        self.flush_paragraph();
        let alert = kind.map(|k| match k {
            BlockQuoteKind::Note => AlertKind::Note,
            BlockQuoteKind::Tip => AlertKind::Tip,
            BlockQuoteKind::Important => AlertKind::Important,
            BlockQuoteKind::Warning => AlertKind::Warning,
            BlockQuoteKind::Caution => AlertKind::Caution,
        });
        let id = self.id();
        self.frames.push(Frame::Quote { id, alert });
        if let Some(alert) = alert {
            self.emit(BlockKind::AlertLabel(alert));
            self.no_gap = true;
        }
    }

    fn end_quote(&mut self) {
        self.flush_paragraph();
        if let Some(Frame::Quote { .. }) = self.frames.last() {
            self.frames.pop();
        }
    }

    fn list_depth(&self) -> usize {
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::List { depth, .. } => return depth + 1,
                Frame::Note { .. } => return 0,
                _ => {}
            }
        }
        0
    }

    fn start_list(&mut self, start: Option<u64>) {
        self.flush_paragraph();
        let depth = self.list_depth();
        let list = self.doc.lists.len();
        if start.is_some() {
            self.doc.lists.push(ListInfo { number_width: 1 });
        }
        self.frames.push(Frame::List {
            list,
            next_number: start,
            depth,
            tight: true,
            emitted: false,
        });
    }

    fn end_list(&mut self) {
        self.flush_paragraph();
        if let Some(Frame::List { emitted, .. }) = self.frames.last() {
            let emitted = *emitted;
            self.frames.pop();
            // The enclosing list (if any) now has content too.
            if emitted {
                for frame in self.frames.iter_mut().rev() {
                    match frame {
                        Frame::List { emitted, .. } => {
                            *emitted = true;
                            break;
                        }
                        Frame::Note { .. } => break,
                        _ => {}
                    }
                }
            }
        }
    }

    fn start_item(&mut self) {
        self.flush_paragraph();
        let marker = match self.frames.last_mut() {
            Some(Frame::List {
                list,
                next_number: Some(number),
                ..
            }) => {
                let marker = Marker::Number {
                    number: *number,
                    list: *list,
                };
                let width = number.to_string().len();
                *number = number.saturating_add(1);
                if let Some(info) = self.doc.lists.get_mut(*list) {
                    info.number_width = info.number_width.max(width);
                }
                marker
            }
            Some(Frame::List { depth, .. }) => Marker::Bullet { depth: *depth },
            _ => Marker::Bullet { depth: 0 },
        };
        let id = self.id();
        self.frames.push(Frame::Item {
            id,
            marker,
            emitted: false,
        });
    }

    fn end_item(&mut self) {
        self.flush_paragraph();
        if let Some(Frame::Item { emitted, .. }) = self.frames.last() {
            // An empty item still shows its marker.
            if !emitted {
                self.emit(BlockKind::Paragraph(Vec::new()));
            }
            self.frames.pop();
        }
    }

    fn start_note(&mut self, label: &str) {
        self.flush_paragraph();
        self.frames.push(Frame::Note {
            label: label.to_owned(),
        });
        self.note_blocks.push(Vec::new());
    }

    fn end_note(&mut self) {
        self.flush_paragraph();
        if let Some(Frame::Note { .. }) = self.frames.last()
            && let Some(Frame::Note { label }) = self.frames.pop()
        {
            let blocks = self.note_blocks.pop().unwrap_or_default();
            self.notes.push((label, blocks));
        }
    }

    fn start_table(&mut self, aligns: &[Alignment]) {
        self.flush_paragraph();
        let aligns = aligns
            .iter()
            .map(|a| match a {
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
                Alignment::Left | Alignment::None => Align::Left,
            })
            .collect();
        self.table = Some(TableState {
            table: Table {
                aligns,
                ..Table::default()
            },
            ..TableState::default()
        });
    }

    fn start_table_head(&mut self) {
        if let Some(table) = &mut self.table {
            table.in_head = true;
        }
    }

    fn end_table_cell(&mut self) {
        self.close_html_links();
        let mut runs = self.runs.drain(..).collect::<Vec<Run>>();
        trim_runs(&mut runs);
        if let Some(table) = &mut self.table {
            table.row.push(runs);
        }
    }

    fn end_table_row(&mut self) {
        if let Some(table) = &mut self.table {
            let mut row = std::mem::take(&mut table.row);
            row.resize(table.table.aligns.len(), Vec::new());
            if table.in_head {
                table.table.head = row;
                table.in_head = false;
            } else {
                table.table.rows.push(row);
            }
        }
    }

    fn end_table(&mut self) {
        if let Some(state) = self.table.take() {
            self.emit(BlockKind::Table(state.table));
        }
    }

    /// Adds a leaf block where the builder stands: containers snapshotted, blank-line decided.
    fn emit(&mut self, kind: BlockKind) {
        let gap_before = !std::mem::take(&mut self.no_gap) && self.gap_before();
        let start = self
            .frames
            .iter()
            .rposition(|f| matches!(f, Frame::Note { .. }))
            .map_or(0, |i| i + 1);
        let mut containers = Vec::new();
        let mut depth = 0;
        let mut innermost = None;
        for frame in &mut self.frames[start..] {
            let container = match frame {
                Frame::Quote { id, alert } => Container {
                    id: *id,
                    kind: ContainerKind::Quote { alert: *alert },
                    first: false,
                },
                Frame::Item {
                    id,
                    marker,
                    emitted,
                } => {
                    let c = Container {
                        id: *id,
                        kind: ContainerKind::Item { marker: *marker },
                        first: !*emitted,
                    };
                    *emitted = true;
                    c
                }
                Frame::List { emitted, .. } => {
                    *emitted = true;
                    continue;
                }
                Frame::Note { .. } => continue,
            };
            depth += 1;
            if depth < MAX_DEPTH {
                containers.push(container);
            } else {
                innermost = Some(container);
            }
        }
        // Past the cap, only the innermost container still shows (its marker or gutter).
        containers.extend(innermost);
        containers.shrink_to_fit();
        let mut kind = kind;
        compact(&mut kind);
        let block = Block {
            kind,
            containers,
            gap_before,
        };
        match self.note_blocks.last_mut() {
            Some(blocks) => blocks.push(block),
            None => self.doc.blocks.push(block),
        }
    }

    /// No blank line between the blocks of a tight list; one everywhere else.
    fn gap_before(&self) -> bool {
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::List {
                    tight,
                    emitted: true,
                    ..
                } => return !*tight,
                // A nested list's first block follows its parent item's text: look further out.
                Frame::Note { .. } => return true,
                _ => {}
            }
        }
        true
    }

    /// Appends the notes section and numbers links in reading order.
    fn finish(mut self) -> Document {
        self.flush_paragraph();
        self.append_notes();
        renumber_links(&mut self.doc);
        if self.options.highlight {
            highlight::highlight_document(&mut self.doc);
        }
        self.doc
    }

    /// The blocks read so far, links numbered, without the notes section (more is to come).
    fn finish_partial(mut self) -> Document {
        self.flush_paragraph();
        renumber_links(&mut self.doc);
        if self.options.highlight {
            highlight::highlight_document(&mut self.doc);
        }
        self.doc
    }

    fn append_notes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        let mut notes = std::mem::take(&mut self.notes);
        let mut next = self.note_numbers.len() + 1;
        let mut numbered: Vec<(usize, Vec<Block>)> = notes
            .drain(..)
            .map(|(label, blocks)| {
                let number = match self.note_numbers.get(&label) {
                    Some(n) => *n,
                    None => {
                        next += 1;
                        next - 1
                    }
                };
                (number, blocks)
            })
            .collect();
        numbered.sort_by_key(|(n, _)| *n);
        let width = numbered.last().map_or(1, |(n, _)| n.to_string().len());
        let title_gap = !self.doc.blocks.is_empty();
        self.doc.blocks.push(Block {
            kind: BlockKind::NotesTitle,
            containers: Vec::new(),
            gap_before: title_gap,
        });
        for (index, (number, mut blocks)) in numbered.into_iter().enumerate() {
            if blocks.is_empty() {
                blocks.push(Block {
                    kind: BlockKind::Paragraph(Vec::new()),
                    containers: Vec::new(),
                    gap_before: true,
                });
            }
            let id = self.id();
            for (i, block) in blocks.iter_mut().enumerate() {
                block.containers.insert(
                    0,
                    Container {
                        id,
                        kind: ContainerKind::Item {
                            marker: Marker::Note { number, width },
                        },
                        first: i == 0,
                    },
                );
                block.containers.truncate(MAX_DEPTH);
                if i == 0 {
                    block.gap_before = index == 0;
                }
            }
            self.doc.blocks.extend(blocks);
        }
    }
}

/// Links are numbered as they are read, but footnotes move to the end: renumber in the order
/// the reader meets them, rewriting the visible `[n]`.
fn renumber_links(doc: &mut Document) {
    let count = doc.links.len();
    let mut map = vec![0usize; count + 1];
    let mut order = Vec::with_capacity(count);
    for block in &mut doc.blocks {
        for_each_run(&mut block.kind, &mut |run| {
            let Some(old) = run.link else { return };
            if old == 0 || old > count {
                run.link = None;
                return;
            }
            if map[old] == 0 {
                order.push(old);
                map[old] = order.len();
            }
            let new = map[old];
            run.link = Some(new);
            if run.style.role == Role::LinkNumber {
                run.text = format!("[{new}]");
            }
        });
    }
    let mut old_links = std::mem::take(&mut doc.links);
    doc.links = order
        .iter()
        .map(|&old| std::mem::take(&mut old_links[old - 1]))
        .collect();
}

/// Gives back the room text and lists grew into while the block was read: a big article
/// keeps hundreds of thousands of runs, and growth by doubling left a third of it unused.
fn compact(kind: &mut BlockKind) {
    let runs = |runs: &mut Vec<Run>| {
        runs.shrink_to_fit();
        for run in runs {
            run.text.shrink_to_fit();
        }
    };
    match kind {
        BlockKind::Paragraph(list) | BlockKind::Heading { runs: list, .. } => runs(list),
        BlockKind::Code { lines, .. } | BlockKind::Shortcode { lines, .. } => {
            lines.shrink_to_fit();
            lines.iter_mut().for_each(runs);
        }
        BlockKind::Table(table) => {
            for row in std::iter::once(&mut table.head).chain(table.rows.iter_mut()) {
                row.iter_mut().for_each(runs);
            }
        }
        BlockKind::Rule | BlockKind::AlertLabel(_) | BlockKind::NotesTitle => {}
    }
}

fn for_each_run(kind: &mut BlockKind, f: &mut impl FnMut(&mut Run)) {
    match kind {
        BlockKind::Paragraph(runs) | BlockKind::Heading { runs, .. } => runs.iter_mut().for_each(f),
        BlockKind::Table(table) => {
            for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                cell.iter_mut().for_each(&mut *f);
            }
        }
        BlockKind::Code { .. }
        | BlockKind::Shortcode { .. }
        | BlockKind::Rule
        | BlockKind::AlertLabel(_)
        | BlockKind::NotesTitle => {}
    }
}

/// Drops leading and trailing spaces (and breaks) of an inline sequence.
fn trim_runs(runs: &mut Vec<Run>) {
    while let Some(first) = runs.first_mut() {
        let trimmed = first.text.trim_start_matches([' ', '\n']);
        if trimmed.is_empty() {
            runs.remove(0);
        } else {
            first.text = trimmed.to_owned();
            break;
        }
    }
    while let Some(last) = runs.last_mut() {
        let trimmed = last.text.trim_end_matches([' ', '\n']);
        if trimmed.is_empty() {
            runs.pop();
        } else {
            last.text.truncate(trimmed.len());
            break;
        }
    }
}

/// Expands tabs to [`TAB_STOP`] columns.
pub fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB_STOP - col % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("Rust's `async` story"), "rusts-async-story");
        assert_eq!(slug("A  b"), "a--b");
    }

    #[test]
    fn file_names_come_from_the_path() {
        assert_eq!(file_name("/img/fot7.jpeg"), "fot7.jpeg");
        assert_eq!(file_name("https://x.org/a/b.png?s=1#f"), "b.png");
        assert_eq!(file_name("https://x.org"), "");
        assert_eq!(file_name("pic.gif"), "pic.gif");
    }

    #[test]
    fn tabs_expand_to_stops_of_four() {
        assert_eq!(expand_tabs("a\tb\t\tc"), "a   b       c");
    }

    /// What one feed shows, as text: breaks as newlines, links as `<url|`…`|`, images as
    /// `[image: alt](src)`.
    fn stripped(html: &str) -> String {
        let mut pieces = HtmlPieces::default();
        HtmlStripper::default().feed(html, &mut pieces);
        let mut out = String::new();
        for piece in pieces.list {
            match piece {
                HtmlPiece::Text(text) => out.push_str(&text),
                HtmlPiece::Break => out.push('\n'),
                HtmlPiece::LinkStart(target) => {
                    out.push_str(&format!("<{}|", target.unwrap_or_default()));
                }
                HtmlPiece::LinkEnd => out.push('|'),
                HtmlPiece::Image { src, alt } => {
                    out.push_str(&format!("[image: {alt}]({})", src.unwrap_or_default()));
                }
            }
        }
        out
    }

    #[test]
    fn html_keeps_text_and_drops_scripts_and_comments() {
        assert_eq!(
            stripped(
                "<p>Hi <b>there</b><!-- secret --><script>evil()</script> &amp; bye<br>next</p>"
            ),
            "Hi there & bye\nnext\n"
        );
    }

    #[test]
    fn html_links_and_images_keep_their_targets() {
        assert_eq!(
            stripped(r#"See <a href="https://x.org/?a=1&amp;b=2" title='a > b'>the docs</a>."#),
            "See <https://x.org/?a=1&b=2|the docs|."
        );
        assert_eq!(
            stripped(r#"<img alt="A &quot;logo&quot;" src=logo.png><img src="/p/pic.gif">"#),
            "[image: A \"logo\"](logo.png)[image: ](/p/pic.gif)"
        );
        assert_eq!(
            stripped(
                "<details><summary>More</summary>Hidden <kbd>Ctrl</kbd>+<sup>2</sup></details>"
            ),
            "▸ More\nHidden Ctrl+2\n"
        );
    }

    #[test]
    fn html_links_that_may_not_be_followed_stay_text() {
        for href in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java&#x09;script:alert(1)",
            "&#106;avascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:x",
            "file:///etc/passwd",
            "//evil.example/x",
            "",
        ] {
            let html = format!("<a href=\"{href}\">click</a><img src=\"{href}\" alt=x>");
            assert_eq!(stripped(&html), "<|click|[image: x]()", "{href:?}");
        }
        for href in [
            "https://ok.example",
            "mailto:a@b.c",
            "other.md#part",
            "#top",
        ] {
            let html = format!("<a href='{href}'>ok</a>");
            assert_eq!(stripped(&html), format!("<{href}|ok|"));
        }
    }

    #[test]
    fn hostile_tags_end_where_they_can() {
        // An unterminated quote does not hide the text after the tag.
        assert_eq!(stripped(r#"<a href="x>text</a> after"#), "<x>|text| after");
        assert_eq!(stripped("<a href=x"), "<x|");
        assert_eq!(stripped("<img"), "[image: ]()");
        assert_eq!(stripped("<a =x href>y"), "<|y");
        // Thousands of unterminated quotes on one line take linear time.
        let line = r#"<a href="x>"#.repeat(50_000);
        let started = std::time::Instant::now();
        let _ = stripped(&line);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let huge = format!("<a href=\"https://e.com/{}\">big</a>", "a".repeat(1 << 20));
        assert!(stripped(&huge).ends_with("|big|"));
    }

    #[test]
    fn html_decodes_every_named_and_numeric_entity() {
        // Regression: `<p>caf&eacute; &hellip;</p>` showed `caf&eacute; &hellip;`.
        assert_eq!(stripped("<p>caf&eacute; &hellip;</p>"), "café …\n");
        assert_eq!(
            stripped("&mdash;&#8212;&#x2014;&euro;&lt;b&gt;&quot;&apos;&#39;"),
            "———€<b>\"''"
        );
        assert_eq!(stripped("a&nbsp;&nbsp; b"), "a b");
        // Decoded once, never twice; unknown names stay as written.
        assert_eq!(stripped("&amp;lt; &bogus; &amp"), "&lt; &bogus; &amp");
    }

    #[test]
    fn decoded_entities_cannot_put_controls_on_screen() {
        for (html, shown) in [
            // A C1 CSI decoded from an entity: removed with its parameters.
            ("<p>a&#x9b;31mb</p>", "ab\n"),
            ("<p>a&#155;1;31mb</p>", "ab\n"),
            // ESC and NUL are not decoded by html-escape; they stay harmless text.
            ("<p>a&#x1b;[31mb&#0;</p>", "a&#x1b;[31mb&#0;\n"),
            ("<p>x&#x202e;y&#x2066;z&#x85;w&#x7f;v</p>", "xyzwv\n"),
            ("<p>&#x9d;0;title&#x9c;t</p>", "t\n"),
        ] {
            assert_eq!(stripped(html), shown, "{html}");
        }
        let layout = crate::markdown::render(
            &Meta::default(),
            "<p>&#x9b;2J&#x9d;52;c;aGk=&#x9c;&#7;&#x202e;&#xd800;&#x110000;ok</p>\n",
            80,
        );
        let text: String = layout
            .lines
            .iter()
            .flat_map(|l| l.spans().map(|s| s.text))
            .collect();
        assert!(text.contains("ok"), "{text:?}");
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{text:?}"
        );
    }
}
