//! Hugo shortcodes and Liquid (Jekyll) or Tera (Zola) template tags, found before Markdown
//! reads the text.
//!
//! Left to the Markdown parser, `{{< figure src="a.png" >}}` is prose, a `{{< highlight go >}}`
//! block is reflowed into a paragraph and a closing `>}}` at the start of a line is a block
//! quote. [`prepare`] finds these tags outside code and front matter and rewrites the text the
//! parser reads:
//!
//! - a tag alone on its line (a *block*) becomes an empty fenced code block whose info string
//!   is one private-use character, a *sentinel*, that names an [`Item`]: the builder shows the
//!   item in its place (the tag's lines dimmed, a code block, an image);
//! - a tag inside a line becomes its sentinel alone, shown as dimmed text (or an image);
//! - `ref` and `relref` become the Markdown link they stand for, and Hugo's escaped form
//!   `{{</* x */>}}` the literal text `{{< x >}}` Hugo shows for it (in code too);
//! - Liquid's `{% raw %}` tags go and their content stays as written; `{% comment %}` goes
//!   with its content.
//!
//! Sentinels come from a private-use plane the article does not use, so no text of the
//! article can be taken for one. A tag not closed before a blank line is left as text, and a
//! paired tag whose end is missing is shown as a tag alone: nothing swallows the rest of the
//! article. Every lookup is a binary search in positions found once, so hostile input with
//! thousands of unclosed tags stays linear.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use pulldown_cmark::{Event, Options as CmarkOptions, Parser, Tag};

/// The longest tag (delimiters and arguments) taken for one.
const MAX_TAG: usize = 16 * 1024;
/// Private-use planes sentinels may come from (15 and 16), each with this many characters.
const PLANES: [u32; 2] = [0xF_0000, 0x10_0000];
const PLANE_SIZE: u32 = 0xFFFE;

/// What a link destination made from a `ref` may not hold as written.
const DESTINATION: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'`');

/// What the builder shows for a sentinel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Item {
    /// Tags alone on their lines, shown dimmed line for line under the first one's name.
    Tags {
        label: Option<String>,
        lines: Vec<String>,
    },
    /// `highlight`, `code`, `code-toggle`: a code block.
    Code { lang: Option<String>, text: String },
    /// `figure`, `img`: an image.
    Image {
        src: String,
        alt: String,
        caption: String,
    },
    /// A tag inside a line, shown dimmed as written.
    Inline(String),
}

/// The items of one article and the sentinel of the first.
#[derive(Debug, Default)]
pub(crate) struct Shortcodes {
    items: Vec<Item>,
    base: u32,
}

impl Shortcodes {
    /// The item a character stands for, if it is a sentinel.
    pub(crate) fn get(&self, c: char) -> Option<&Item> {
        let index = u32::from(c).checked_sub(self.base)?;
        self.items.get(usize::try_from(index).ok()?)
    }

    /// The sentinel an info string is, when it is one alone.
    pub(crate) fn fence(&self, info: &str) -> Option<char> {
        let mut chars = info.trim().chars();
        let c = chars.next()?;
        (chars.next().is_none() && self.get(c).is_some()).then_some(c)
    }

    /// Whether `text` holds a sentinel.
    pub(crate) fn in_text(&self, text: &str) -> bool {
        !self.items.is_empty() && text.chars().any(|c| self.get(c).is_some())
    }

    /// `text` with every sentinel written out as its tag's text (for URLs and code).
    pub(crate) fn expand<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !self.in_text(text) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match self.get(c) {
                Some(item) => out.push_str(&item.inline_text()),
                None => out.push(c),
            }
        }
        Cow::Owned(out)
    }
}

impl Item {
    /// The item as one line of text.
    pub(crate) fn inline_text(&self) -> String {
        match self {
            Item::Inline(text) => text.clone(),
            Item::Tags { lines, .. } => collapse(&lines.join(" ")),
            Item::Code { text, .. } => collapse(text),
            Item::Image { alt, caption, .. } => {
                if alt.is_empty() {
                    caption.clone()
                } else {
                    alt.clone()
                }
            }
        }
    }
}

/// Every run of whitespace as one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text Markdown should read, and the items its sentinels stand for.
pub(crate) fn prepare(body: &str, options: CmarkOptions) -> (Cow<'_, str>, Shortcodes) {
    let none = || (Cow::Borrowed(body), Shortcodes::default());
    if !(body.contains("{{<") || body.contains("{{%") || body.contains("{%")) {
        return none();
    }
    let Some(base) = PLANES.into_iter().find(|&plane| {
        !body
            .chars()
            .any(|c| (plane..plane + PLANE_SIZE).contains(&u32::from(c)))
    }) else {
        return none();
    };
    let mut scan = Scan {
        body,
        index: Index::new(body),
        out: String::with_capacity(body.len() + 64),
        copied: 0,
        items: Vec::new(),
        base,
        last_tags: None,
        unpaired: Vec::new(),
    };
    let zones = zones(body, options);
    let mut zone = 0;
    let mut at = 0;
    while let Some(found) = body[at..].find('{') {
        let start = at + found;
        at = start + 1;
        while zone < zones.len() && zones[zone].0.end <= start {
            zone += 1;
        }
        let kind = zones
            .get(zone)
            .filter(|(range, _)| range.start <= start)
            .map(|(range, kind)| (*kind, range.end));
        if let Some((Zone::Meta, end)) = kind {
            at = end.max(at);
            continue;
        }
        let Some(tag) = TagAt::parse(body, start, &scan.index) else {
            continue;
        };
        at = tag.end;
        match kind {
            Some((Zone::Code, _)) => {
                if tag.escaped {
                    scan.replace(tag.start, tag.end, &tag.literal(Literal::Code));
                }
            }
            Some((Zone::Html, _)) => at = scan.tag(&tag, true),
            _ => at = scan.tag(&tag, false),
        }
    }
    scan.finish()
}

/// Where tags are not read as tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    /// Code blocks and inline code: only Hugo's escaped form changes.
    Code,
    /// HTML blocks: no block is made, but tags inside lines are read.
    Html,
    /// Front matter: nothing changes.
    Meta,
}

/// The code, HTML and front matter of `body`, in order, as Markdown reads it.
fn zones(body: &str, options: CmarkOptions) -> Vec<(std::ops::Range<usize>, Zone)> {
    let mut zones = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let zone = match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => Zone::Code,
            Event::InlineMath(_) | Event::DisplayMath(_) => Zone::Code,
            Event::Start(Tag::HtmlBlock) => Zone::Html,
            Event::Start(Tag::MetadataBlock(_)) => Zone::Meta,
            _ => continue,
        };
        zones.push((range, zone));
    }
    zones.sort_by_key(|(range, _)| range.start);
    zones
}

/// Positions found once: line ends, blank lines and closing delimiters.
struct Index {
    newlines: Vec<usize>,
    /// Starts of lines that hold nothing but whitespace.
    blanks: Vec<usize>,
    /// Where `>}}`, `%}}` and `%}` occur.
    closes: [Vec<usize>; 3],
    len: usize,
}

impl Index {
    fn new(body: &str) -> Self {
        let newlines: Vec<usize> = body.match_indices('\n').map(|(i, _)| i).collect();
        let mut blanks = Vec::new();
        let mut line_start = 0;
        for &n in newlines.iter().chain([&body.len()]) {
            if body[line_start..n].trim().is_empty() && line_start > 0 {
                blanks.push(line_start);
            }
            line_start = n + 1;
        }
        let closes = [">}}", "%}}", "%}"].map(|close| {
            body.match_indices(close)
                .map(|(i, _)| i)
                .collect::<Vec<usize>>()
        });
        Index {
            newlines,
            blanks,
            closes,
            len: body.len(),
        }
    }

    /// The start of the line `at` is on.
    fn line_start(&self, at: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < at);
        if i == 0 { 0 } else { self.newlines[i - 1] + 1 }
    }

    /// Just past the newline that ends the line `at` is on (or the end of the text).
    fn line_end(&self, at: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < at);
        self.newlines.get(i).map_or(self.len, |n| n + 1)
    }

    fn next_blank(&self, at: usize) -> usize {
        let i = self.blanks.partition_point(|&b| b <= at);
        self.blanks.get(i).copied().unwrap_or(usize::MAX)
    }

    fn next_close(&self, which: usize, at: usize) -> Option<usize> {
        let closes = &self.closes[which];
        closes.get(closes.partition_point(|&c| c < at)).copied()
    }
}

/// The three tag syntaxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    /// Hugo `{{< name >}}`.
    Angle,
    /// Hugo `{{% name %}}`.
    Percent,
    /// Liquid and Tera `{% name %}`.
    Liquid,
}

impl Syntax {
    const fn delimiters(self) -> (&'static str, &'static str) {
        match self {
            Syntax::Angle => ("{{<", ">}}"),
            Syntax::Percent => ("{{%", "%}}"),
            Syntax::Liquid => ("{%", "%}"),
        }
    }

    const fn hugo(self) -> bool {
        matches!(self, Syntax::Angle | Syntax::Percent)
    }
}

/// Where an escaped tag's literal text goes, which decides how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Literal {
    Code,
    Prose,
    Html,
}

/// One tag in the text.
#[derive(Debug)]
struct TagAt<'a> {
    start: usize,
    end: usize,
    syntax: Syntax,
    /// Hugo's `{{</* name */>}}`.
    escaped: bool,
    /// Between the delimiters.
    inner: &'a str,
    /// `{{< /name >}}`, `{% endname %}`, `{% end %}`.
    closing: bool,
    /// `{{< name />}}`.
    self_closing: bool,
    name: &'a str,
    /// After the name.
    args: &'a str,
}

impl<'a> TagAt<'a> {
    /// The tag starting at `start`, if one does and is closed before a blank line.
    fn parse(body: &'a str, start: usize, index: &Index) -> Option<TagAt<'a>> {
        let rest = &body[start..];
        let (syntax, which) = if rest.starts_with("{{<") {
            (Syntax::Angle, 0)
        } else if rest.starts_with("{{%") {
            (Syntax::Percent, 1)
        } else if rest.starts_with("{%") {
            (Syntax::Liquid, 2)
        } else {
            return None;
        };
        let (open, close) = syntax.delimiters();
        let inner_start = start + open.len();
        let close_at = index.next_close(which, inner_start)?;
        if close_at >= index.next_blank(start) || close_at - inner_start > MAX_TAG {
            return None;
        }
        let inner = &body[inner_start..close_at];
        let end = close_at + close.len();
        let trimmed = inner.trim();
        let escaped = syntax.hugo() && trimmed.starts_with("/*") && trimmed.ends_with("*/");
        let words = if syntax == Syntax::Liquid {
            trimmed.trim_matches('-').trim()
        } else {
            trimmed
        };
        let (closing, words) = match words.strip_prefix('/') {
            Some(words) if syntax.hugo() => (true, words.trim_start()),
            _ => (false, words),
        };
        let (self_closing, words) = match words.strip_suffix('/') {
            Some(words) if syntax.hugo() => (true, words.trim_end()),
            _ => (false, words),
        };
        let name_end = words
            .find(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or(words.len());
        let name = &words[..name_end];
        let args = &words[name_end..];
        let closing = closing || (syntax == Syntax::Liquid && name.starts_with("end"));
        let fits = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
        if !fits && !escaped {
            return None;
        }
        Some(TagAt {
            start,
            end,
            syntax,
            escaped,
            inner,
            closing,
            self_closing,
            name,
            args,
        })
    }

    /// What Hugo shows for an escaped tag, written so that `place` shows it literally.
    fn literal(&self, place: Literal) -> String {
        let (open, close) = self.syntax.delimiters();
        let inner = self.inner.trim();
        let inner = inner.strip_prefix("/*").unwrap_or(inner);
        let inner = inner.strip_suffix("*/").unwrap_or(inner);
        match place {
            Literal::Code => format!("{open}{inner}{close}"),
            // `{{<` would start an HTML tag, and a `>` first on a line a block quote.
            Literal::Prose => {
                let open = open.replace('<', "\\<");
                let mut inner_lines = String::with_capacity(inner.len());
                for (i, line) in inner.split('\n').enumerate() {
                    if i > 0 {
                        inner_lines.push('\n');
                        let trimmed = line.trim_start();
                        if trimmed.starts_with('>') {
                            inner_lines.push_str(&line[..line.len() - trimmed.len()]);
                            inner_lines.push('\\');
                            inner_lines.push_str(trimmed);
                            continue;
                        }
                    }
                    inner_lines.push_str(line);
                }
                format!("{open}{inner_lines}{close}")
            }
            Literal::Html => format!("{}{inner}{close}", open.replace('<', "&lt;")),
        }
    }

    fn lower_name(&self) -> String {
        self.name.to_ascii_lowercase()
    }

    /// Whether `self` closes `open`.
    fn closes(&self, open: &TagAt<'_>) -> bool {
        if !self.closing || self.escaped {
            return false;
        }
        if open.syntax.hugo() {
            self.syntax.hugo() && self.name == open.name
        } else {
            self.syntax == Syntax::Liquid
                && self
                    .name
                    .strip_prefix("end")
                    .is_some_and(|n| n.eq_ignore_ascii_case(open.name))
        }
    }
}

/// The rewriting under way.
struct Scan<'a> {
    body: &'a str,
    index: Index,
    out: String,
    /// `body[..copied]` is dealt with.
    copied: usize,
    items: Vec<Item>,
    base: u32,
    /// The last tags block: its item, the output's length and the text's position after it
    /// (a tag on the very next line joins it).
    last_tags: Option<(usize, usize, usize)>,
    /// Paired tags (by syntax and name) already known to have no end after some point.
    unpaired: Vec<(bool, String)>,
}

impl<'a> Scan<'a> {
    fn finish(mut self) -> (Cow<'a, str>, Shortcodes) {
        if self.copied == 0 && self.out.is_empty() {
            return (Cow::Borrowed(self.body), Shortcodes::default());
        }
        self.out.push_str(&self.body[self.copied..]);
        let shortcodes = Shortcodes {
            items: self.items,
            base: self.base,
        };
        (Cow::Owned(self.out), shortcodes)
    }

    /// Writes `text` for `body[start..end]`.
    fn replace(&mut self, start: usize, end: usize, text: &str) {
        self.out.push_str(&self.body[self.copied..start]);
        self.out.push_str(text);
        self.copied = end;
    }

    /// A new item's sentinel; `None` when a plane's worth are taken.
    fn push_item(&mut self, item: Item) -> Option<char> {
        let index = u32::try_from(self.items.len()).ok()?;
        if index >= PLANE_SIZE {
            return None;
        }
        let c = char::from_u32(self.base + index)?;
        self.items.push(item);
        Some(c)
    }

    /// The line `start..end` is alone on: (line start, what comes before on it, line end), if
    /// only spaces and quote marks come before it and only spaces after.
    fn alone(&self, start: usize, end: usize) -> Option<(usize, &'a str, usize)> {
        let line_start = self.index.line_start(start);
        let prefix = &self.body[line_start..start];
        if line_start < self.copied || !prefix.chars().all(|c| matches!(c, ' ' | '\t' | '>')) {
            return None;
        }
        let line_end = self.index.line_end(end);
        if !self.body[end..line_end].trim().is_empty() {
            return None;
        }
        Some((line_start, prefix, line_end))
    }

    /// Replaces the lines `line_start..after` with an empty fence naming `item`.
    fn fence(&mut self, line_start: usize, prefix: &str, after: usize, item: Item) -> bool {
        let Some(c) = self.push_item(item) else {
            return false;
        };
        self.out.push_str(&self.body[self.copied..line_start]);
        for info in [Some(c), None] {
            self.out.push_str(prefix);
            self.out.push_str("```");
            self.out.extend(info);
            self.out.push('\n');
        }
        self.copied = after;
        true
    }

    /// Replaces `start..end` with the sentinel of `item`.
    fn inline(&mut self, start: usize, end: usize, item: Item) {
        if let Some(c) = self.push_item(item) {
            let mut sentinel = [0u8; 4];
            self.replace(start, end, c.encode_utf8(&mut sentinel));
        }
    }

    /// Deals with one tag; returns where reading goes on.
    fn tag(&mut self, tag: &TagAt<'_>, in_html: bool) -> usize {
        if tag.escaped {
            let place = if in_html {
                Literal::Html
            } else {
                Literal::Prose
            };
            self.replace(tag.start, tag.end, &tag.literal(place));
            return tag.end;
        }
        if !tag.closing {
            let name = tag.lower_name();
            let handled = match (tag.syntax, name.as_str()) {
                (Syntax::Angle | Syntax::Percent, "ref" | "relref") => self.reference(tag, in_html),
                (Syntax::Angle | Syntax::Percent, "figure" | "img") => {
                    self.image(tag, in_html);
                    Some(tag.end)
                }
                (_, "highlight") | (Syntax::Angle | Syntax::Percent, "code-toggle" | "code")
                    if !tag.self_closing && !in_html =>
                {
                    self.code(tag, &name)
                }
                (Syntax::Liquid, "raw") => self.raw(tag, true),
                (Syntax::Liquid, "comment") => self.raw(tag, false),
                _ => None,
            };
            if let Some(next) = handled {
                return next;
            }
        }
        self.plain(tag, in_html);
        tag.end
    }

    /// A tag shown as written: dimmed lines when alone on its lines, dimmed text in a line.
    fn plain(&mut self, tag: &TagAt<'_>, in_html: bool) {
        let alone = if in_html {
            None
        } else {
            self.alone(tag.start, tag.end)
        };
        let Some((line_start, prefix, after)) = alone else {
            let text = collapse(&self.body[tag.start..tag.end]);
            self.inline(tag.start, tag.end, Item::Inline(text));
            return;
        };
        let lines: Vec<String> = self.body[tag.start..tag.end]
            .split('\n')
            .enumerate()
            .map(|(i, line)| {
                let line = line.trim_end_matches('\r');
                if i == 0 {
                    line.to_owned()
                } else {
                    unprefixed(line, prefix).to_owned()
                }
            })
            .collect();
        let label = (!tag.closing).then(|| tag.name.to_owned());
        if let Some((item, out_len, end)) = self.last_tags
            && end == line_start
            && out_len == self.out.len()
            && self.copied == line_start
            && let Some(Item::Tags {
                label: first,
                lines: before,
            }) = self.items.get_mut(item)
        {
            if first.is_none() {
                *first = label;
            }
            before.extend(lines);
            self.copied = after;
            self.last_tags = Some((item, self.out.len(), after));
            return;
        }
        if self.fence(line_start, prefix, after, Item::Tags { label, lines }) {
            self.last_tags = Some((self.items.len() - 1, self.out.len(), after));
        }
    }

    /// `ref` and `relref`: the link they stand for (the bare address inside a link or an
    /// attribute).
    fn reference(&mut self, tag: &TagAt<'_>, in_html: bool) -> Option<usize> {
        let args = Args::parse(tag.args);
        let target = crate::text::sanitize_line(args.named("path").or(args.positional(0))?);
        if target.is_empty() {
            return None;
        }
        let destination = utf8_percent_encode(&target, DESTINATION).to_string();
        let before = &self.body[..tag.start];
        let bare = in_html
            || before.ends_with("](")
            || before.ends_with("=\"")
            || before.ends_with("='")
            || before.ends_with('<')
            || before.trim_end().ends_with("]:");
        let text = if bare {
            destination
        } else {
            format!("[{}]({destination})", markdown_escape(&target))
        };
        self.replace(tag.start, tag.end, &text);
        Some(tag.end)
    }

    /// `figure` and `img`: an image with its alt text or caption.
    fn image(&mut self, tag: &TagAt<'_>, in_html: bool) {
        let args = Args::parse(tag.args);
        let text = |key: &str| args.named(key).map(collapse).unwrap_or_default();
        let item = Item::Image {
            src: args
                .named("src")
                .or(args.positional(0))
                .unwrap_or_default()
                .trim()
                .to_owned(),
            alt: text("alt"),
            caption: args
                .named("caption")
                .or(args.named("title"))
                .map(collapse)
                .unwrap_or_default(),
        };
        let alone = if in_html {
            None
        } else {
            self.alone(tag.start, tag.end)
        };
        match alone {
            Some((line_start, prefix, after)) => {
                self.fence(line_start, prefix, after, item);
            }
            None => self.inline(tag.start, tag.end, item),
        }
    }

    /// `highlight`, `code`, `code-toggle` with their end tag: a code block of what is
    /// between. `None` when the tag is not alone on its line or has no end.
    fn code(&mut self, tag: &TagAt<'_>, name: &str) -> Option<usize> {
        let (line_start, prefix, content_start) = self.alone(tag.start, tag.end)?;
        let (close_start, close_end) = self.end_of(tag)?;
        // The end tag's line goes with it when nothing but code indentation comes before.
        let close_line = self.index.line_start(close_start);
        let content_end = if close_line >= content_start
            && self.body[close_line..close_start]
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '>'))
        {
            close_line
        } else {
            close_start
        };
        let after_line = self.index.line_end(close_end);
        let after = if self.body[close_end..after_line].trim().is_empty() {
            after_line
        } else {
            close_end
        };
        let content = &self.body[content_start.min(content_end)..content_end];
        let text: Vec<&str> = content
            .split('\n')
            .map(|line| unprefixed(line.trim_end_matches('\r'), prefix))
            .collect();
        let text = text.join("\n");
        let args = Args::parse(tag.args);
        let lang = match name {
            "highlight" => args.positional(0).map(str::to_owned),
            "code" => args.named("lang").map(str::to_owned).or_else(|| {
                args.named("file")
                    .and_then(|file| file.rsplit_once('.'))
                    .map(|(_, ext)| ext.to_owned())
            }),
            _ => args
                .named("lang")
                .map(str::to_owned)
                .or_else(|| config_language(&text).map(str::to_owned)),
        };
        if self.fence(line_start, prefix, after, Item::Code { lang, text }) {
            Some(after)
        } else {
            None
        }
    }

    /// Liquid's `{% raw %}` (its content kept as written) and `{% comment %}` (its content
    /// dropped): the tags go, with their lines when they are alone on them.
    fn raw(&mut self, tag: &TagAt<'_>, keep: bool) -> Option<usize> {
        let (close_start, close_end) = self.end_of(tag)?;
        let (open_from, open_to) = self
            .alone(tag.start, tag.end)
            .map_or((tag.start, tag.end), |(from, _, to)| (from, to));
        let close_line = self.index.line_start(close_start);
        let close_alone = close_line >= open_to
            && self.body[close_line..close_start]
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '>'))
            && self.body[close_end..self.index.line_end(close_end)]
                .trim()
                .is_empty();
        let (close_from, close_to) = if close_alone {
            (close_line, self.index.line_end(close_end))
        } else {
            (close_start, close_end)
        };
        self.out.push_str(&self.body[self.copied..open_from]);
        if keep {
            self.out
                .push_str(&self.body[open_to.min(close_from)..close_from]);
        }
        self.copied = close_to;
        Some(close_to)
    }

    /// The end tag of a paired tag: the first after it (such blocks do not nest).
    fn end_of(&mut self, open: &TagAt<'_>) -> Option<(usize, usize)> {
        let key = (open.syntax.hugo(), open.lower_name());
        if self.unpaired.contains(&key) {
            return None;
        }
        let mut at = open.end;
        while let Some(found) = self.body[at..].find('{') {
            let start = at + found;
            at = start + 1;
            if let Some(tag) = TagAt::parse(self.body, start, &self.index) {
                if tag.closes(open) {
                    return Some((tag.start, tag.end));
                }
                at = tag.end;
            }
        }
        // Nothing after this one closes it, so nothing after a later one will either.
        self.unpaired.push(key);
        None
    }
}

/// `line` without the container prefix its block's first line had.
fn unprefixed<'l>(line: &'l str, prefix: &str) -> &'l str {
    match line.strip_prefix(prefix) {
        Some(rest) => rest,
        None if prefix.contains('>') => line.trim_start_matches([' ', '\t', '>']),
        None => line.trim_start_matches([' ', '\t']),
    }
}

/// The language of a `code-toggle` block, guessed from its first line.
fn config_language(text: &str) -> Option<&'static str> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if first.starts_with('{') {
        Some("json")
    } else if first.starts_with('[') || first.split_once('=').is_some_and(|(k, _)| !k.contains(':'))
    {
        Some("toml")
    } else if first.contains(':') {
        Some("yaml")
    } else {
        None
    }
}

/// Backslashes before every ASCII punctuation character, so text stays text in Markdown.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A tag's arguments: `"quoted"`, `` `raw` ``, bare words and `key=value` pairs (also Zola's
/// `name(key="value", …)`).
#[derive(Debug, Default)]
struct Args {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Args {
    fn parse(text: &str) -> Args {
        let chars: Vec<char> = text.chars().collect();
        let mut args = Args::default();
        let separator = |c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')');
        let mut i = 0;
        while i < chars.len() {
            if separator(chars[i]) {
                i += 1;
                continue;
            }
            let start = i;
            let mut key = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-')) {
                key.push(chars[i]);
                i += 1;
            }
            let mut eq = i;
            while eq < chars.len() && chars[eq] == ' ' {
                eq += 1;
            }
            if !key.is_empty() && chars.get(eq) == Some(&'=') {
                i = eq + 1;
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
                let value = read_value(&chars, &mut i);
                args.named.push((key.to_ascii_lowercase(), value));
            } else {
                i = start;
                let value = read_value(&chars, &mut i);
                if i == start {
                    i += 1;
                } else {
                    args.positional.push(value);
                }
            }
        }
        args
    }

    fn named(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn positional(&self, n: usize) -> Option<&str> {
        self.positional.get(n).map(String::as_str)
    }
}

/// A quoted or bare value starting at `i`.
fn read_value(chars: &[char], i: &mut usize) -> String {
    let mut value = String::new();
    match chars.get(*i) {
        Some(&quote @ ('"' | '\'' | '`')) => {
            *i += 1;
            while let Some(&c) = chars.get(*i) {
                *i += 1;
                if c == quote {
                    break;
                }
                if c == '\\'
                    && quote != '`'
                    && let Some(&next) = chars.get(*i)
                {
                    *i += 1;
                    value.push(next);
                    continue;
                }
                value.push(c);
            }
        }
        _ => {
            while let Some(&c) = chars.get(*i) {
                if c.is_whitespace() || matches!(c, ',' | ')') {
                    break;
                }
                value.push(c);
                *i += 1;
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(body: &str) -> (String, Vec<Item>) {
        let (text, shortcodes) = prepare(body, CmarkOptions::empty());
        (text.into_owned(), shortcodes.items)
    }

    #[test]
    fn text_without_tags_is_borrowed() {
        let (text, codes) = prepare("plain {{ liquid }} text", CmarkOptions::empty());
        assert!(matches!(text, Cow::Borrowed(_)));
        assert!(codes.items.is_empty());
    }

    #[test]
    fn a_tag_alone_on_its_line_becomes_an_empty_fence() {
        let (text, items) = prepared("Before.\n\n{{< youtube w7Ft2ymGmfc >}}\n\nAfter.\n");
        assert_eq!(text, "Before.\n\n```\u{F0000}\n```\n\nAfter.\n");
        assert_eq!(
            items,
            [Item::Tags {
                label: Some("youtube".into()),
                lines: vec!["{{< youtube w7Ft2ymGmfc >}}".into()],
            }]
        );
    }

    #[test]
    fn tags_on_following_lines_make_one_block() {
        let (_, items) = prepared("{{< tabs >}}\n{{< tab \"Go\" >}}\n\ntext\n\n{{< /tab >}}\n");
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            Item::Tags {
                label: Some("tabs".into()),
                lines: vec!["{{< tabs >}}".into(), "{{< tab \"Go\" >}}".into()],
            }
        );
        assert_eq!(
            items[1],
            Item::Tags {
                label: None,
                lines: vec!["{{< /tab >}}".into()],
            }
        );
    }

    #[test]
    fn highlight_takes_its_content_and_language() {
        let (text, items) = prepared(
            "> {{< highlight go \"linenos=table\" >}}\n> x := 1\n>   y\n> {{< /highlight >}}\nnext\n",
        );
        assert_eq!(text, "> ```\u{F0000}\n> ```\nnext\n");
        assert_eq!(
            items,
            [Item::Code {
                lang: Some("go".into()),
                text: "x := 1\n  y\n".into(),
            }]
        );
    }

    #[test]
    fn an_unclosed_highlight_is_a_tag_alone() {
        let (text, items) = prepared("{{< highlight go >}}\nx := 1\n\nmore\n");
        assert!(text.ends_with("x := 1\n\nmore\n"), "{text:?}");
        assert!(matches!(&items[0], Item::Tags { label: Some(l), .. } if l == "highlight"));
    }

    #[test]
    fn unclosed_and_broken_tags_stay_text() {
        for body in [
            "{{< figure\n\nsrc=x >}}",
            "{{<",
            "{{< >}}",
            "{% %}",
            "{{% /* */ %}",
            "a {%",
        ] {
            let (text, items) = prepared(body);
            assert_eq!(text, body);
            assert!(items.is_empty(), "{body:?}");
        }
    }

    #[test]
    fn refs_become_links() {
        let (text, _) = prepared(
            "See [the post]({{< ref \"blog/a b.md\" >}}) or {{< relref path=\"x.md#top\" >}}.",
        );
        assert_eq!(
            text,
            "See [the post](blog/a%20b.md) or [x\\.md\\#top](x.md#top)."
        );
    }

    #[test]
    fn escaped_tags_show_literally_everywhere() {
        let (text, items) = prepared(
            "Write {{</* figure src=\"x\" */>}}.\n\n```\n{{</* highlight */>}}\n{{< kept >}}\n```\n",
        );
        assert_eq!(
            text,
            "Write {{\\< figure src=\"x\" >}}.\n\n```\n{{< highlight >}}\n{{< kept >}}\n```\n"
        );
        assert!(items.is_empty());
    }

    #[test]
    fn liquid_raw_keeps_its_content_and_comment_drops_it() {
        let (text, _) = prepared(
            "{% raw %}\n{{ page.title }} {% if %}\n{% endraw %}\n{% comment %}\nhidden\n{% endcomment %}\nend\n",
        );
        assert_eq!(text, "{{ page.title }} {% if %}\nend\n");
    }

    #[test]
    fn front_matter_is_left_alone() {
        let body = "---\ntitle: \"{{< x >}}\"\n---\n\n{{< x >}}\n";
        let (text, shortcodes) = prepare(body, CmarkOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS);
        assert!(
            text.starts_with("---\ntitle: \"{{< x >}}\"\n---\n"),
            "{text:?}"
        );
        assert_eq!(shortcodes.items.len(), 1);
    }

    #[test]
    fn a_used_plane_gives_way_to_the_next() {
        let (text, shortcodes) = prepare("\u{F0000} {{< x >}} y", CmarkOptions::empty());
        assert_eq!(shortcodes.base, 0x10_0000);
        assert_eq!(text, "\u{F0000} \u{100000} y");
    }

    #[test]
    fn arguments_read_quotes_pairs_and_calls() {
        let args = Args::parse(r#" go "a \"b\"" key=v lang = `raw x`"#);
        assert_eq!(args.positional, ["go", "a \"b\""]);
        assert_eq!(args.named("key"), Some("v"));
        assert_eq!(args.named("lang"), Some("raw x"));
        let zola = Args::parse(r#"(id="abc", autoplay=true)"#);
        assert_eq!(zola.named("id"), Some("abc"));
    }

    #[test]
    fn thousands_of_unclosed_tags_take_linear_time() {
        let body = "{{< highlight go >}}\n".repeat(20_000) + &"{{<".repeat(100_000);
        let started = std::time::Instant::now();
        let (_, items) = prepared(&body);
        assert_eq!(items.len(), 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
