//! Cutting a Markdown body into pieces that parse alone, and the line-based pre-scan that lets
//! them: where top-level blocks may start, and every `[label]: url` and `[^note]:` definition.
//!
//! pulldown-cmark runs its block pass over its whole input before the first event, and keeps a
//! tree of it all. Fed a piece at a time (each piece ending where a top-level block ends), the
//! reader can show the first screen of a big article after parsing only the first piece, and a
//! whole parse holds one piece's tree at a time instead of the whole document's.
//!
//! A piece may start only at a line that begins at column 0 with something that is neither a
//! list item, a quote nor indentation, right after a blank line, outside fenced code, outside
//! HTML blocks that run to an end marker (`<pre>`, `<!-- -->` …) and outside front matter.
//! Such a line ends every open container in CommonMark, so the blocks on either side are the
//! same as in a single parse. The scan is a heuristic, and the parser has the last word: a
//! piece whose last fence or HTML block runs to its end is joined with the next one (see
//! `parse::parse_body_until`), and a line that looks like a definition only counts once the
//! parser, given the piece that holds it, takes it for one.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// What the pre-scan found: where pieces may start, and the definitions all pieces share.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scan {
    /// Byte offsets of lines where a piece may start, ascending (0 not included).
    pub cuts: Vec<usize>,
    /// Normalized reference label → byte offsets of the lines that look like its definition
    /// (the parser has the last word on which are).
    pub refs: HashMap<String, Vec<usize>>,
    /// Normalized footnote label → byte offset of its first definition.
    pub notes: HashMap<String, Vec<usize>>,
}

/// Pieces of at least `size` bytes (the last may be shorter), at the cuts of `scan`.
pub(crate) fn pieces(len: usize, scan: &Scan, size: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for &cut in &scan.cuts {
        if cut >= len {
            break;
        }
        if cut - start >= size {
            out.push(start..cut);
            start = cut;
        }
    }
    out.push(start..len);
    out
}

/// The label as CommonMark matches it: case-folded, inner whitespace collapsed.
pub(crate) fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Scans `body` line by line.
pub(crate) fn scan(body: &str) -> Scan {
    let mut scan = Scan::default();
    let mut fence: Option<(u8, usize)> = None;
    let mut html_end: Option<&'static str> = None;
    let mut front: Option<&'static str> = None;
    let mut previous_blank = false;
    let mut offset = 0;
    let trimmed = body.trim_start_matches('\u{feff}');
    if trimmed.starts_with("---") {
        front = Some("---");
    } else if trimmed.starts_with("+++") {
        front = Some("+++");
    }
    let metadata = front.is_some();
    let mut first = true;
    // Whether the line before continues a paragraph (a definition cannot interrupt one).
    let mut para_open = false;
    // Whether the lines since the paragraph opened were all link definitions.
    let mut in_definitions = false;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let after_definitions = std::mem::take(&mut in_definitions);
        let text = line.trim_end_matches(['\n', '\r']);
        if let Some(delimiter) = front {
            if !first && (text.trim_end() == delimiter || (delimiter == "---" && text == "...")) {
                front = None;
                previous_blank = false;
            }
            first = false;
            continue;
        }
        first = false;
        let blank = text.trim().is_empty();
        if let Some((c, n)) = fence {
            if closes_fence(text, c, n) {
                fence = None;
            }
            previous_blank = false;
            para_open = false;
            continue;
        }
        if let Some(end) = html_end {
            if if end.is_empty() {
                blank
            } else {
                contains_ci(text, end)
            } {
                html_end = None;
            }
            previous_blank = blank;
            para_open = false;
            continue;
        }
        if blank {
            previous_blank = true;
            para_open = false;
            continue;
        }
        let bytes = text.as_bytes();
        // With front matter, the parser may take a later `---` block for more of it.
        let dashes = metadata && (text.starts_with("---") || text.starts_with("+++"));
        if previous_blank && start > 0 && starts_block(bytes) && !dashes {
            scan.cuts.push(start);
        }
        previous_blank = false;
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        if indent > 3 {
            // Indented code, or a paragraph's continuation.
            continue;
        }
        let rest = &text[indent..];
        if let Some(open) = opens_fence(rest) {
            fence = Some(open);
            para_open = false;
            continue;
        }
        if let Some(end) = html_block_end(rest) {
            if !contains_ci(&rest[1..], end) {
                html_end = Some(end);
            }
            para_open = false;
            continue;
        }
        if opens_html_to_blank(rest, para_open) {
            // An HTML block that ends at a blank line: no fence or definition starts in it.
            html_end = Some("");
            para_open = true;
            continue;
        }
        let inner = strip_quotes(rest);
        if inner.trim().is_empty() || closes_paragraph(inner, para_open) {
            para_open = false;
            continue;
        }
        // A note's definition may interrupt a paragraph; a link's may not, but may follow
        // another (the parser reads link definitions off the start of a paragraph, so what
        // follows them continues that paragraph).
        let note = inner.starts_with("[^");
        let may_define = !para_open || note || after_definitions;
        in_definitions = may_define && definition(inner, start, &mut scan) && !note;
        para_open = true;
    }
    scan
}

/// A line that may start a piece: at column 0, not a list item, quote or table continuation.
fn starts_block(bytes: &[u8]) -> bool {
    let Some(&c) = bytes.first() else {
        return false;
    };
    if c.is_ascii_whitespace() || c == b'>' || c == b'|' {
        return false;
    }
    let after = |i: usize| bytes.get(i).is_none_or(|b| *b == b' ' || *b == b'\t');
    if matches!(c, b'-' | b'+' | b'*') && after(1) {
        return false;
    }
    if c.is_ascii_digit() {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits <= 9 && matches!(bytes.get(digits), Some(b'.' | b')')) && after(digits + 1) {
            return false;
        }
    }
    true
}

/// A fence opener (```` ``` ```` or `~~~`, three or more): its character and length.
fn opens_fence(rest: &str) -> Option<(u8, usize)> {
    let bytes = rest.as_bytes();
    let c = *bytes.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = bytes.iter().take_while(|&&b| b == c).count();
    if n < 3 || (c == b'`' && rest[n..].contains('`')) {
        return None;
    }
    Some((c, n))
}

fn closes_fence(text: &str, c: u8, n: usize) -> bool {
    let indent = text.bytes().take_while(|&b| b == b' ').count();
    if indent > 3 {
        return false;
    }
    let rest = &text.as_bytes()[indent..];
    let count = rest.iter().take_while(|&&b| b == c).count();
    count >= n && rest[count..].iter().all(|b| b.is_ascii_whitespace())
}

/// For a line that opens an HTML block of kinds 1–5 (which run past blank lines), the text
/// that ends it.
fn html_block_end(rest: &str) -> Option<&'static str> {
    let bytes = rest.as_bytes();
    if bytes.first() != Some(&b'<') {
        return None;
    }
    for (tag, end) in [
        ("<script", "</script>"),
        ("<pre", "</pre>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ] {
        if bytes.len() >= tag.len() && bytes[..tag.len()].eq_ignore_ascii_case(tag.as_bytes()) {
            let next = bytes.get(tag.len());
            if next.is_none_or(|b| matches!(b, b' ' | b'\t' | b'>')) {
                return Some(end);
            }
        }
    }
    if rest.starts_with("<!--") {
        return Some("-->");
    }
    if rest.starts_with("<?") {
        return Some("?>");
    }
    if rest.starts_with("<![CDATA[") {
        return Some("]]>");
    }
    if rest.starts_with("<!") && bytes.get(2).is_some_and(u8::is_ascii_alphabetic) {
        return Some(">");
    }
    None
}

/// Tags that open an HTML block of kind 6, which may interrupt a paragraph.
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether the line opens an HTML block that runs to a blank line: a block-level tag (kind 6)
/// anywhere, or any other tag alone on its line (kind 7), which cannot interrupt a paragraph.
fn opens_html_to_blank(rest: &str, para_open: bool) -> bool {
    let Some(tag) = rest.strip_prefix("</").or_else(|| rest.strip_prefix('<')) else {
        return false;
    };
    let name_len = tag
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    if name_len == 0 || !tag.as_bytes()[0].is_ascii_alphabetic() {
        return false;
    }
    let (name, after) = tag.split_at(name_len);
    let block = BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
        && (after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>"));
    if block {
        return true;
    }
    // Kind 7 needs a whole tag and nothing after it but spaces.
    !para_open && after.trim_end().ends_with('>') && !after.contains('<')
}

fn contains_ci(text: &str, needle: &str) -> bool {
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The line without leading `>` quote markers.
fn strip_quotes(mut rest: &str) -> &str {
    while let Some(after) = rest.strip_prefix('>') {
        rest = after.trim_start_matches(' ');
    }
    rest
}

/// A line after which no paragraph continues: an ATX heading, a thematic break or the setext
/// underline of an open paragraph (without one, `===` is text).
fn closes_paragraph(rest: &str, para_open: bool) -> bool {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes)
        && rest[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
    {
        return true;
    }
    // A setext underline ends its paragraph (as a heading).
    let trimmed = rest.trim_end();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b == b'=') {
        return para_open;
    }
    let mut marks = rest.chars().filter(|c| !c.is_whitespace());
    match marks.next() {
        Some(c @ ('*' | '-' | '_')) => {
            rest.chars().filter(|&m| m == c).count() >= 3 && marks.all(|m| m == c)
        }
        _ => false,
    }
}

/// Records a line that looks like a `[label]: url "title"` or `[^label]:` definition (the
/// parser confirms it when it is used); false when the line looks like none.
fn definition(rest: &str, start: usize, scan: &mut Scan) -> bool {
    let Some(after) = rest.strip_prefix('[') else {
        return false;
    };
    let Some(close) = after.find("]:") else {
        return false;
    };
    let label = &after[..close];
    if label.is_empty() || label.len() > 999 || label.contains(['[', ']']) {
        return false;
    }
    if let Some(note) = label.strip_prefix('^') {
        let note = normalize(note);
        if !note.is_empty() && !note.contains(' ') {
            scan.notes.entry(note).or_default().push(start);
        }
        return true;
    }
    let tail = after[close + 2..].trim_start();
    let (url, tail) = if let Some(angled) = tail.strip_prefix('<') {
        match angled.find('>') {
            Some(end) => (&angled[..end], &angled[end + 1..]),
            None => return false,
        }
    } else {
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        (&tail[..end], &tail[end..])
    };
    if url.is_empty() && !rest.contains("<>") {
        return false;
    }
    // Nothing but a title may follow the URL.
    let tail = tail.trim();
    let titled = matches!(
        (tail.chars().next(), tail.chars().last()),
        (Some('"'), Some('"')) | (Some('\''), Some('\'')) | (Some('('), Some(')'))
    ) && tail.len() >= 2;
    if !tail.is_empty() && !titled {
        return false;
    }
    let key = normalize(label);
    if key.is_empty() {
        return false;
    }
    scan.refs.entry(key).or_default().push(start);
    true
}

/// Footnote labels referenced in `piece` (`[^label]`) with a line that looks like their
/// definition outside `range`, and those lines' offsets (the piece may need a stand-in
/// definition to see the reference as one).
pub(crate) fn foreign_notes<'s>(
    piece: &str,
    range: &Range<usize>,
    scan: &'s Scan,
) -> Vec<(&'s str, &'s [usize])> {
    if scan.notes.is_empty() {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut rest = piece;
    while let Some(at) = rest.find("[^") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(']') else {
            break;
        };
        let key = normalize(&rest[..end]);
        if let Some((label, defined)) = scan.notes.get_key_value(&key)
            && defined.iter().any(|at| !range.contains(at))
            && seen.insert(label.as_str())
        {
            out.push((label.as_str(), defined.as_slice()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_only_between_top_level_blocks() {
        let body =
            "# A\n\npara\n\n- item\n\n- item two\n\nafter\n\n```\ncode\n\nnot a cut\n```\n\nlast\n";
        let s = scan(body);
        let at: Vec<&str> = s
            .cuts
            .iter()
            .map(|&c| body[c..].lines().next().unwrap_or(""))
            .collect();
        assert_eq!(at, ["para", "after", "```", "last"]);
    }

    #[test]
    fn html_blocks_and_front_matter_are_not_cut() {
        let body = "---\ntitle: x\n\nmore: y\n---\n\n<!--\n\ninside\n-->\n\nout\n";
        let s = scan(body);
        let at: Vec<&str> = s
            .cuts
            .iter()
            .map(|&c| body[c..].lines().next().unwrap_or(""))
            .collect();
        assert_eq!(at, ["<!--", "out"]);
    }

    #[test]
    fn finds_definitions() {
        let body = "[Foo  Bar]: <https://a.example/x> \"T\"\n> [q]: /q\n[^Note]: text\n\n```\n[no]: /no\n```\n";
        let s = scan(body);
        assert_eq!(s.refs.get("foo bar"), Some(&vec![0]));
        assert!(s.refs.contains_key("q"));
        assert!(!s.refs.contains_key("no"));
        assert!(s.notes.contains_key("note"));
    }
}
