//! Front matter: split a `---` YAML or `+++` TOML block from the body, and read its fields.
//!
//! Parsing goes through one small value type ([`Value`]) with a hand-written `Deserialize`, so
//! neither format can hand us anything we did not ask for, and a field of the wrong type is a
//! problem message rather than a failed article. serde_yaml caps recursion and alias expansion;
//! we also refuse bracket nesting deeper than [`MAX_DEPTH`] before parsing, so no input can
//! exhaust a scanning thread's stack.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::article::Date;
use crate::text::sanitize_line;

/// Deeper `[`/`{` nesting than any real front matter uses; refused before parsing.
pub(crate) const MAX_DEPTH: usize = 64;

/// Which fences opened the block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Toml,
}

/// A text cut into its front matter and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The block's format, `None` when the text has no (closed) front matter.
    pub format: Option<Format>,
    /// The block between the fences.
    pub raw: &'a str,
    /// The 1-based line of the file where `raw` starts (for error messages).
    pub raw_line: usize,
    /// Everything after the closing fence (the whole text when there is no front matter).
    pub body: &'a str,
    /// An opened but never closed block.
    pub unterminated: bool,
}

/// Cuts `text` (line endings already `\n`, no byte-order mark) into front matter and body.
pub(crate) fn split(text: &str) -> Split<'_> {
    let none = Split {
        format: None,
        raw: "",
        raw_line: 1,
        body: text,
        unterminated: false,
    };
    let (first, rest) = match text.split_once('\n') {
        Some(parts) => parts,
        None => (text, ""),
    };
    let (format, closers): (Format, &[&str]) = match first.trim_end_matches([' ', '\t']) {
        "---" => (Format::Yaml, &["---", "..."]),
        "+++" => (Format::Toml, &["+++"]),
        _ => return none,
    };
    let start = first.len() + 1;
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end_matches([' ', '\t']);
        if closers.contains(&bare) {
            let raw = text.get(start.min(text.len())..offset).unwrap_or("");
            let body = text.get(offset + line.len()..).unwrap_or("");
            return Split {
                format: Some(format),
                raw,
                raw_line: 2,
                body,
                unterminated: false,
            };
        }
        offset += line.len();
    }
    Split {
        unterminated: true,
        ..none
    }
}

/// The fields folio reads, before the file-based fallbacks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub source: Option<String>,
}

/// Parses a block and reads its fields. Every failure is a human-readable problem; the fields
/// that could be read are kept.
pub(crate) fn parse(format: Format, raw: &str, raw_line: usize) -> (Fields, Vec<String>) {
    let mut problems = Vec::new();
    let name = match format {
        Format::Yaml => "YAML",
        Format::Toml => "TOML",
    };
    if nesting_depth(raw) > MAX_DEPTH {
        problems.push(format!(
            "front matter is nested more than {MAX_DEPTH} levels deep; ignored"
        ));
        return (Fields::default(), problems);
    }
    let value = match format {
        Format::Yaml => serde_yaml::from_str::<Value>(raw)
            .map_err(|e| yaml_error(&e.to_string(), e.location().map(|l| l.line()))),
        Format::Toml => toml::from_str::<Value>(raw).map_err(|e| {
            let line = e.span().map(|s| line_of(raw, s.start));
            (line, e.message().to_owned())
        }),
    };
    let value = match value {
        Ok(value) => value,
        Err((line, message)) => {
            let message = sanitize_line(&message);
            problems.push(match line {
                Some(line) => format!(
                    "invalid {name} front matter at line {}: {message}",
                    file_line(raw, raw_line, line)
                ),
                None => format!("invalid {name} front matter: {message}"),
            });
            return (Fields::default(), problems);
        }
    };
    let entries = match value {
        Value::Map(entries) => entries,
        Value::Null => return (Fields::default(), problems),
        other => {
            problems.push(format!(
                "front matter should be a map of `key: value` fields, not {}",
                other.kind()
            ));
            return (Fields::default(), problems);
        }
    };
    (read_fields(entries, &mut problems), problems)
}

/// The value of one front-matter field, whatever the format.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// Something neither format should produce for a field folio reads (tagged YAML, bytes).
    Other,
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a true/false value",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Other => "an unsupported value",
        }
    }

    /// Text for a field that wants text: strings, and numbers or booleans written bare.
    fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::Float(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

const TOML_DATETIME: &str = "$__toml_private_datetime";

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a front-matter value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Value, E> {
        Ok(Value::Other)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        de::Deserialize::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        de::Deserialize::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Value>()? {
            let value = map.next_value::<Value>()?;
            let key = match key {
                // TOML hands its date-times over as a one-entry map.
                Value::Str(k) if k == TOML_DATETIME && entries.is_empty() => {
                    return Ok(value);
                }
                Value::Str(k) => k,
                other => match other.scalar_text() {
                    Some(k) => k,
                    None => continue,
                },
            };
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML `!tag value`: keep the value, forget the tag.
        use de::VariantAccess;
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant::<Value>()
    }
}

/// The deepest `[`/`{` nesting, counted without regard to quoting: an overestimate that is
/// cheap and safe. Block-style YAML nesting is bounded by serde_yaml's own recursion limit.
fn nesting_depth(raw: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in raw.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn line_of(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A 1-based line of `raw` as a line of the file. Both parsers place an error they meet at the
/// end of the block after its last line, on the closing fence or a trailing blank line: the
/// last line with something on it is where the reader has to look.
fn file_line(raw: &str, raw_line: usize, line: usize) -> usize {
    let last = raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .last()
        .map_or(1, |(i, _)| i + 1);
    raw_line + line.clamp(1, last) - 1
}

/// serde_yaml says "X at line L column C, while scanning Y at line M column N", with lines
/// counted in the block. The line returned (in the block's numbering) is the one holding the
/// broken value; the message keeps X and names Y in plain words.
fn yaml_error(message: &str, at: Option<usize>) -> (Option<usize>, String) {
    let (what, context) = match message.split_once(", while ") {
        Some((what, context)) => (cut_location(what), Some(context)),
        None => (cut_location(message), None),
    };
    // "scanning a quoted scalar at line 1 column 8" → ("a quoted scalar", Some(1)).
    let Some((construct, started)) = context.and_then(|context| {
        let (_, construct) = context.split_once(' ')?;
        let started = construct
            .split_once(" at line ")
            .and_then(|(_, rest)| rest.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok());
        let construct = cut_location(construct);
        (construct.starts_with("a ") || construct.starts_with("an "))
            .then_some((construct, started))
    }) else {
        return (at, what.to_owned());
    };
    // An unclosed quote or bracket, or a key without its `:`, is noticed only where the scanner
    // gives up, often lines later at the end of the block: the value's own line is where it
    // starts. Other constructs (a block mapping is the whole front matter) start too far away,
    // so there the place the scanner stopped is the better guess.
    let (line, words) = match construct {
        "a quoted scalar" => (started, "a quoted text"),
        "a flow sequence" => (started, "a [...] list"),
        "a flow mapping" => (started, "a {...} map"),
        "a simple key" => (started, "a key"),
        "a plain scalar" => (at, "a text"),
        "a block scalar" => (at, "a block of text"),
        "a block mapping" | "a block collection" => (at, "a block of `key: value` fields"),
        other => (at, other),
    };
    (line.or(at), format!("{what} in {words}"))
}

fn cut_location(message: &str) -> &str {
    let cut = message.find(" at line ").unwrap_or(message.len());
    message[..cut].trim_end_matches([',', ' '])
}

const DESCRIPTION_KEYS: [&str; 4] = ["description", "summary", "subtitle", "excerpt"];
const DATE_KEYS: [&str; 3] = ["date", "pubdate", "published"];
/// The page's address on its site, which often carries its date (Zola's
/// `path = "2019/10/15/Rustup-1.20.0"`, Jekyll's permalinks): read when no date key is given.
const ADDRESS_KEYS: [&str; 4] = ["path", "slug", "permalink", "url"];
const AUTHOR_KEYS: [&str; 2] = ["author", "authors"];
const TAG_KEYS: [&str; 3] = ["tags", "categories", "keywords"];
/// Where the article came from, in the order tried. `source` and `original` may name a place
/// in words, as they always could; the other keys are often the page's own site-relative
/// address (Hugo's `url: /commands/hugo_build/`, Jekyll's `permalink`), so they count only
/// when they hold an absolute web address.
const SOURCE_KEYS: [(&str, Source); 8] = [
    ("source", Source::Text),
    ("url", Source::WebAddress),
    ("link", Source::WebAddress),
    ("permalink", Source::WebAddress),
    ("canonical_url", Source::WebAddress),
    ("canonical", Source::WebAddress),
    ("original", Source::Text),
    ("source_url", Source::WebAddress),
];

/// What a source key must hold to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Text,
    WebAddress,
}

/// An absolute `http`/`https` URL with a host: the only kind of address that is surely
/// somewhere on the web rather than a path on the article's own site.
pub(crate) fn is_web_address(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

fn read_fields(entries: Vec<(String, Value)>, problems: &mut Vec<String>) -> Fields {
    // Keys match case-insensitively; the first of duplicate keys wins.
    let mut fields: Vec<(String, Value)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let key = key.to_lowercase();
        if fields.iter().any(|(k, _)| *k == key) {
            if is_known(&key) {
                problems.push(format!(
                    "`{}` is given twice; the first one is used",
                    sanitize_line(&key)
                ));
            }
            continue;
        }
        fields.push((key, value));
    }
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);

    let mut out = Fields {
        title: get("title").and_then(|v| text_field("title", v, problems)),
        ..Fields::default()
    };
    out.description = DESCRIPTION_KEYS
        .iter()
        .find_map(|key| get(key).and_then(|v| text_field(key, v, problems)));
    out.date = DATE_KEYS
        .iter()
        .find_map(|key| get(key).and_then(|v| date_field(key, v, problems)))
        .or_else(|| {
            ADDRESS_KEYS.iter().find_map(|key| match get(key) {
                Some(Value::Str(address)) => Date::find_in(address),
                _ => None,
            })
        });
    for key in AUTHOR_KEYS {
        if let Some(v) = get(key) {
            push_unique(&mut out.authors, names(key, v, problems));
        }
    }
    for key in TAG_KEYS {
        if let Some(v) = get(key) {
            push_unique(&mut out.tags, tags(key, v, problems));
        }
    }
    out.source = SOURCE_KEYS.iter().find_map(|&(key, kind)| {
        get(key)
            .and_then(|v| text_field(key, v, problems))
            .filter(|s| kind == Source::Text || is_web_address(s))
    });
    out
}

fn is_known(key: &str) -> bool {
    key == "title"
        || DESCRIPTION_KEYS.contains(&key)
        || DATE_KEYS.contains(&key)
        || ADDRESS_KEYS.contains(&key)
        || AUTHOR_KEYS.contains(&key)
        || TAG_KEYS.contains(&key)
        || SOURCE_KEYS.iter().any(|&(k, _)| k == key)
}

fn wrong_type(key: &str, want: &str, got: &Value, problems: &mut Vec<String>) {
    problems.push(format!("`{key}` should be {want}, not {}", got.kind()));
}

/// A one-line text field; empty text counts as absent.
fn text_field(key: &str, value: &Value, problems: &mut Vec<String>) -> Option<String> {
    if *value == Value::Null {
        return None;
    }
    match value.scalar_text() {
        Some(s) => Some(sanitize_line(&s)).filter(|s| !s.is_empty()),
        None => {
            wrong_type(key, "text", value, problems);
            None
        }
    }
}

fn date_field(key: &str, value: &Value, problems: &mut Vec<String>) -> Option<Date> {
    match value {
        Value::Null => None,
        Value::Str(s) => {
            let date = Date::parse_iso(s);
            if date.is_none() {
                let shown: String = sanitize_line(s).chars().take(40).collect();
                problems.push(format!("`{key}` \"{shown}\" is not a YYYY-MM-DD date"));
            }
            date
        }
        other => {
            wrong_type(key, "a YYYY-MM-DD date", other, problems);
            None
        }
    }
}

fn names(key: &str, value: &Value, problems: &mut Vec<String>) -> Vec<String> {
    let name_of = |v: &Value| match v {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("name"))
            .and_then(|(_, v)| v.scalar_text()),
        other => other.scalar_text(),
    };
    let list: Vec<&Value> = match value {
        Value::Null => return Vec::new(),
        Value::List(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut out = Vec::new();
    for item in list {
        match name_of(item) {
            Some(name) => out.push(sanitize_line(&name)),
            None => wrong_type(
                key,
                "a name, a list of names or maps with a `name`",
                item,
                problems,
            ),
        }
    }
    out
}

fn tags(key: &str, value: &Value, problems: &mut Vec<String>) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::Str(s) => s.split(',').map(sanitize_line).collect(),
        Value::List(items) => {
            let mut out = Vec::new();
            for item in items {
                match item.scalar_text() {
                    Some(tag) => out.push(sanitize_line(&tag)),
                    None => wrong_type(key, "a list of words", item, problems),
                }
            }
            out
        }
        other => match other.scalar_text() {
            Some(tag) => vec![sanitize_line(&tag)],
            None => {
                wrong_type(key, "a list or a comma-separated text", other, problems);
                Vec::new()
            }
        },
    }
}

/// Appends the non-empty items not already present (case-insensitively).
fn push_unique(into: &mut Vec<String>, items: Vec<String>) {
    for item in items {
        if !item.is_empty() && !into.iter().any(|t| t.to_lowercase() == item.to_lowercase()) {
            into.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(raw: &str) -> (Fields, Vec<String>) {
        parse(Format::Yaml, raw, 2)
    }

    #[test]
    fn split_finds_yaml_and_toml_blocks() {
        let s = split("---\ntitle: A\n---\n# Body\n");
        assert_eq!(s.format, Some(Format::Yaml));
        assert_eq!(s.raw, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        let s = split("+++  \ntitle = 'A'\n+++\nbody");
        assert_eq!(s.format, Some(Format::Toml));
        assert_eq!(s.raw, "title = 'A'\n");
        assert_eq!(s.body, "body");
        let s = split("---\ntitle: A\n...\nbody");
        assert_eq!(s.body, "body");
        let s = split("---\n---");
        assert_eq!((s.format, s.raw, s.body), (Some(Format::Yaml), "", ""));
    }

    #[test]
    fn split_without_fences_is_all_body() {
        for text in [
            "# Title\n",
            "",
            "--- \n",
            "----\ntitle: x\n----\n",
            " ---\na: b\n---\n",
        ] {
            let s = split(text);
            assert_eq!(s.format, None, "{text:?}");
            assert_eq!(s.body, text);
        }
        let s = split("---\ntitle: never closed\n");
        assert!(s.unterminated);
        assert_eq!(s.format, None);
    }

    #[test]
    fn fields_follow_blog_conventions() {
        let (f, p) = yaml(
            "Title: Hello\nSummary: Short\npubDate: 2024-05-06T08:00:00Z\n\
             authors: [{name: Ana}, Bo]\ntags: rust, cli\ncategories: [Rust, notes]\n\
             canonical_url: https://example.com/a\n",
        );
        assert_eq!(p, Vec::<String>::new());
        assert_eq!(f.title.as_deref(), Some("Hello"));
        assert_eq!(f.description.as_deref(), Some("Short"));
        assert_eq!(f.date, Date::new(2024, 5, 6));
        assert_eq!(f.authors, ["Ana", "Bo"]);
        assert_eq!(f.tags, ["rust", "cli", "notes"]);
        assert_eq!(f.source.as_deref(), Some("https://example.com/a"));
    }

    #[test]
    fn an_address_gives_the_date_when_no_date_key_does() {
        let (f, p) = parse(
            Format::Toml,
            "title = \"Announcing Rustup 1.20.0\"\npath = \"2019/10/15/Rustup-1.20.0\"\n",
            2,
        );
        assert_eq!((f.date, p), (Date::new(2019, 10, 15), Vec::<String>::new()));
        for key in ["slug", "permalink", "url"] {
            let (f, _) = yaml(&format!("{key}: /blog/2019-10-15-title/\n"));
            assert_eq!(f.date, Date::new(2019, 10, 15), "{key}");
        }
    }

    #[test]
    fn a_date_key_wins_over_an_address() {
        let (f, _) = yaml("date: 2021-01-01\npath: 2019/10/15/x\n");
        assert_eq!(f.date, Date::new(2021, 1, 1));
    }

    #[test]
    fn an_address_with_an_impossible_date_gives_none() {
        let (f, p) = yaml("path: 2019/13/40/title\n");
        assert_eq!((f.date, p), (None, Vec::<String>::new()));
    }

    #[test]
    fn a_site_relative_url_is_not_a_source() {
        // Hugo's `url` is the page's own address on its site.
        let (f, p) = yaml("title: hugo build\nurl: /commands/hugo_build/\n");
        assert_eq!((f.source, p), (None, Vec::<String>::new()));
        let (f, _) = yaml("permalink: /2019/10/15/title/\nlink: ftp://example.com/a\n");
        assert_eq!(f.source, None);
        let (f, _) = yaml("url: //example.com/a\ncanonical_url: example.com/a\n");
        assert_eq!(f.source, None);
    }

    #[test]
    fn an_absolute_web_address_is_a_source_under_any_source_key() {
        for key in ["url", "link", "permalink", "canonical_url", "source_url"] {
            let (f, _) = yaml(&format!("{key}: https://example.com/a?b=1\n"));
            assert_eq!(
                f.source.as_deref(),
                Some("https://example.com/a?b=1"),
                "{key}"
            );
        }
        let (f, _) = yaml("url: HTTP://Example.com\n");
        assert_eq!(f.source.as_deref(), Some("HTTP://Example.com"));
    }

    #[test]
    fn a_relative_url_gives_way_to_a_later_web_address() {
        let (f, _) = yaml("url: /docs/a/\ncanonical_url: https://example.com/docs/a/\n");
        assert_eq!(f.source.as_deref(), Some("https://example.com/docs/a/"));
    }

    #[test]
    fn source_and_original_keep_any_text_as_before() {
        let (f, _) = yaml("source: Hacker News\nurl: https://example.com/a\n");
        assert_eq!(f.source.as_deref(), Some("Hacker News"));
        let (f, _) = yaml("original: /local/copy\n");
        assert_eq!(f.source.as_deref(), Some("/local/copy"));
    }

    #[test]
    fn toml_dates_and_fields_are_read() {
        let (f, p) = parse(
            Format::Toml,
            "title = \"T\"\ndate = 2023-01-02T03:04:05Z\nauthor = \"A\"\n[extra]\nx = 1\n",
            2,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(f.title.as_deref(), Some("T"));
        assert_eq!(f.date, Date::new(2023, 1, 2));
        assert_eq!(f.authors, ["A"]);
        let (f, _) = parse(Format::Toml, "date = 2023-01-02\n", 2);
        assert_eq!(f.date, Date::new(2023, 1, 2));
    }

    #[test]
    fn wrong_types_become_problems_and_keep_the_rest() {
        let (f, p) = yaml("title: [a, b]\ndate: 2024\ntags: {a: b}\nauthor: {x: 1}\nsource: hi\n");
        assert_eq!(f.title, None);
        assert_eq!(f.date, None);
        assert_eq!(f.source.as_deref(), Some("hi"));
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p[0].contains("`title` should be text, not a list"), "{p:?}");
    }

    /// The line of the file each broken block is reported at (the block starts on line 2).
    fn line_reported(format: Format, raw: &str) -> String {
        let (_, p) = parse(format, raw, 2);
        assert_eq!(p.len(), 1, "{raw:?}: {p:?}");
        p[0].split(": ").next().unwrap_or_default().to_owned()
    }

    #[test]
    fn invalid_yaml_names_the_line_of_the_broken_value() {
        for (raw, line) in [
            // Regression: an unclosed quote on line 2 of the file was "line 4" (end of stream).
            ("title: \"unclosed\ndate: 2020-01-01\n", 2),
            ("title: [a\n", 2),
            ("title: ok\ndate: {a\n", 3),
            ("title: ok\ndate: a: b\n", 3),
            ("title: ok\nbroken line\n", 3),
            ("title: ok\n  bad: indent\n", 3),
            ("tags: [a,\n  b,\n  c\ntitle: x\n", 2),
            ("title: ok\ndate: ok\nlast: 'x\n\n\n", 4),
            ("title: ok\ndate: ok\n- x\n", 4),
            ("a: ok\n\tb: 1\n", 3),
        ] {
            assert_eq!(
                line_reported(Format::Yaml, raw),
                format!("invalid YAML front matter at line {line}"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn invalid_toml_names_the_line_of_the_broken_value() {
        for (raw, line) in [
            ("title = \n", 2),
            ("a = 1\ntitle = \n", 3),
            ("a = 1\nb = 2\nc = \"x\n", 4),
            ("a = 1\nb = \"\"\"never closed\n\n", 3),
            ("a = 1\na = 2\n", 3),
        ] {
            assert_eq!(
                line_reported(Format::Toml, raw),
                format!("invalid TOML front matter at line {line}"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn yaml_errors_name_the_broken_construct_in_plain_words() {
        let (_, p) = yaml("title: \"unclosed\n");
        assert_eq!(
            p,
            [
                "invalid YAML front matter at line 2: found unexpected end of stream in a quoted text"
            ]
        );
        let (_, p) = yaml("title: [a\n");
        assert_eq!(
            p,
            [
                "invalid YAML front matter at line 2: did not find expected ',' or ']' in a [...] list"
            ]
        );
    }

    #[test]
    fn non_map_front_matter_is_a_problem() {
        let (_, p) = yaml("- a\n- b\n");
        assert!(p[0].contains("not a list"), "{p:?}");
        let (_, p) = yaml("just words\n");
        assert!(p[0].contains("not text"), "{p:?}");
        let (f, p) = yaml("");
        assert_eq!((f, p), (Fields::default(), Vec::<String>::new()));
    }

    #[test]
    fn duplicate_keys_keep_the_first() {
        let (f, p) = yaml("title: One\nTITLE: Two\n");
        assert_eq!(f.title.as_deref(), Some("One"));
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn hostile_yaml_is_refused_quickly() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n\
                    title: bomb\n";
        let (_, p) = yaml(bomb);
        assert_eq!(p.len(), 1, "{p:?}");
        let deep = format!("title: {}", "[".repeat(100_000));
        let (_, p) = yaml(&deep);
        assert!(p[0].contains("nested"), "{p:?}");
        let block = format!("title: x\nk: {}1\n", "- ".repeat(20_000));
        let (_, p) = yaml(&block);
        assert_eq!(p.len(), 1, "{p:?}");
    }
}
