//! The document model: blocks of inline runs with semantic styles.
//!
//! The model is flat on purpose: a [`Block`] is a leaf (paragraph, heading, code, table, rule)
//! and carries the containers it sits in (quotes, list items) as a short list, outermost first.
//! Nothing walks it recursively, so a document nested 20,000 quotes deep costs no stack.

/// What a run of text *is*; the theme decides what it looks like.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    #[default]
    Body,
    /// Article header (from front matter).
    Title,
    Byline,
    Description,
    SourceHost,
    /// A heading of level 1..=6.
    Heading(u8),
    /// The rule drawn under level 1–2 headings.
    HeadingRule,
    Link,
    /// The `[3]` after a link or image.
    LinkNumber,
    Image,
    InlineCode,
    CodeBlock,
    CodeLabel,
    /// The mark at the start of a wrapped code line's continuation.
    Continuation,
    QuoteGutter,
    Quote,
    ListMarker,
    TaskDone,
    TaskOpen,
    TableBorder,
    TableHeader,
    Rule,
    FootnoteRef,
    FootnoteLabel,
    AlertNote,
    AlertTip,
    AlertImportant,
    AlertWarning,
    AlertCaution,
    /// Secondary text (notes section title, problems).
    Dim,
    Problem,
}

impl Role {
    /// A short stable name, for tests and debugging output.
    pub fn name(self) -> String {
        match self {
            Role::Heading(n) => format!("h{n}"),
            other => {
                let debug = format!("{other:?}");
                let mut name = String::with_capacity(debug.len() + 2);
                for (i, c) in debug.chars().enumerate() {
                    if c.is_uppercase() && i > 0 {
                        name.push('-');
                    }
                    name.extend(c.to_lowercase());
                }
                name
            }
        }
    }
}

/// What a piece of highlighted code is; the theme's `code.*` entries give each its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    Keyword,
    /// An operator or a sigil (`->`, `&&`, `=`).
    Operator,
    Type,
    Function,
    Macro,
    String,
    /// An escape inside a string (`\n`) or a placeholder (`{name}`).
    Escape,
    Number,
    Comment,
    /// An attribute, decorator or annotation (`#[derive]`, `@cache`).
    Attribute,
    Lifetime,
    /// A built-in or user constant (`true`, `None`, `MAX`).
    Constant,
    /// A variable or parameter the grammar singles out (`$HOME`, `self`).
    Variable,
    /// A key in a configuration file, an HTML tag or attribute name.
    Key,
    Punctuation,
    DiffAdded,
    DiffRemoved,
    /// A diff's file and hunk headers.
    DiffHeader,
    /// The prompt of a console session (`$ `).
    Prompt,
    /// A console session's output lines.
    Output,
}

impl Token {
    /// The part after `code.` in a theme: `keyword`, `diff.added` …
    pub const fn name(self) -> &'static str {
        match self {
            Token::Keyword => "keyword",
            Token::Operator => "operator",
            Token::Type => "type",
            Token::Function => "function",
            Token::Macro => "macro",
            Token::String => "string",
            Token::Escape => "escape",
            Token::Number => "number",
            Token::Comment => "comment",
            Token::Attribute => "attribute",
            Token::Lifetime => "lifetime",
            Token::Constant => "constant",
            Token::Variable => "variable",
            Token::Key => "key",
            Token::Punctuation => "punctuation",
            Token::DiffAdded => "diff.added",
            Token::DiffRemoved => "diff.removed",
            Token::DiffHeader => "diff.header",
            Token::Prompt => "prompt",
            Token::Output => "output",
        }
    }
}

/// Semantic style of a run: a role plus inline emphasis flags; `token` only in highlighted code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub role: Role,
    pub strong: bool,
    pub emphasis: bool,
    pub strike: bool,
    pub token: Option<Token>,
}

impl Style {
    pub const fn role(role: Role) -> Self {
        Style {
            role,
            strong: false,
            emphasis: false,
            strike: false,
            token: None,
        }
    }

    /// The same flags and token with another role.
    pub const fn with_role(self, role: Role) -> Self {
        Style { role, ..self }
    }
}

/// A run of inline text in one style. `link` is the 1-based link number, when it is one.
///
/// A `'\n'` inside `text` is a hard line break; all other text is already sanitized and
/// free of control characters and tabs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub style: Style,
    pub link: Option<usize>,
}

/// The kinds of GFM alert (`> [!NOTE]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl AlertKind {
    pub const fn role(self) -> Role {
        match self {
            AlertKind::Note => Role::AlertNote,
            AlertKind::Tip => Role::AlertTip,
            AlertKind::Important => Role::AlertImportant,
            AlertKind::Warning => Role::AlertWarning,
            AlertKind::Caution => Role::AlertCaution,
        }
    }

    /// The label line shown at the top of the alert.
    pub const fn label(self) -> &'static str {
        match self {
            AlertKind::Note => "ⓘ Note",
            AlertKind::Tip => "✦ Tip",
            AlertKind::Important => "❢ Important",
            AlertKind::Warning => "⚠ Warning",
            AlertKind::Caution => "⊘ Caution",
        }
    }
}

/// What marks the first line of a list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// An unordered item at list depth `depth` (0-based): •, ◦, ▪.
    Bullet { depth: usize },
    /// An ordered item; `list` indexes [`Document::lists`] for the width of the widest number.
    Number { number: u64, list: usize },
    /// A task item, done or not.
    Task { done: bool },
    /// A footnote definition in the notes section; `width` is the widest number's.
    Note { number: usize, width: usize },
}

/// A container a block sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Quote { alert: Option<AlertKind> },
    Item { marker: Marker },
}

/// One container of a block; `id` tells the same container apart from a sibling of the same
/// kind, and `first` is true only on the first block of a list item (where its marker shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Container {
    pub id: u32,
    pub kind: ContainerKind,
    pub first: bool,
}

/// A table cell's horizontal alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A table: its header row, body rows and column alignments. Every row has `aligns.len()` cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub aligns: Vec<Align>,
    pub head: Vec<Vec<Run>>,
    pub rows: Vec<Vec<Vec<Run>>>,
}

/// A leaf block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph(Vec<Run>),
    Heading {
        level: u8,
        runs: Vec<Run>,
        /// Plain text of the heading.
        text: String,
        anchor: String,
    },
    /// A code block: lines already sanitized and tab-expanded, each a list of runs (several when
    /// highlighted).
    Code {
        lang: Option<String>,
        lines: Vec<Vec<Run>>,
    },
    Table(Table),
    Rule,
    /// A template tag (Hugo shortcode, Liquid or Tera tag) shown dimmed, line for line, under
    /// the name of the tag it opens (none for end tags). Lines as in [`BlockKind::Code`].
    Shortcode {
        label: Option<String>,
        lines: Vec<Vec<Run>>,
    },
    /// The label line of a GFM alert.
    AlertLabel(AlertKind),
    /// The title of the notes section.
    NotesTitle,
}

/// A leaf block and where it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Enclosing quotes and list items, outermost first (capped at [`MAX_DEPTH`]).
    pub containers: Vec<Container>,
    /// Whether a blank line separates this block from the one before (false in tight lists).
    pub gap_before: bool,
}

/// How many containers a block keeps; deeper ones add no indentation.
pub const MAX_DEPTH: usize = 12;

/// An ordered list's numbering, for right-aligned numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListInfo {
    /// Columns of the widest number (without the `.`).
    pub number_width: usize,
}

/// A link or image target, numbered in reading order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// The link's text (an image's alt text).
    pub text: String,
    /// For a local image, what its file holds (filled in after parsing by whoever may read
    /// files); `None` for links and for images that stay labels.
    pub picture: Option<Picture>,
}

/// A local image as its file's header describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picture {
    /// One folio can draw: the file and its size in pixels.
    File {
        path: std::path::PathBuf,
        width: u32,
        height: u32,
    },
    /// One that cannot be shown, and why (already sanitized).
    Problem(String),
}

/// How pictures are fitted to the text column: the terminal cell's size in pixels (width,
/// height) and the most rows one may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PictureFit {
    pub cell: (u16, u16),
    pub max_rows: u16,
}

impl Default for PictureFit {
    fn default() -> Self {
        PictureFit {
            cell: (10, 20),
            max_rows: 12,
        }
    }
}

impl Document {
    /// Whether any image has a file to draw: only then does the pictures' fit change rows.
    pub fn has_pictures(&self) -> bool {
        self.links
            .iter()
            .any(|l| matches!(l.picture, Some(Picture::File { .. })))
    }
}

/// The header built from front matter. Every field sanitized; empty ones are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// The title as plain text (what headings, anchors and search use).
    pub title: String,
    /// The title's inline Markdown (`` `async fn` ``, `*emphasis*`) as styled runs.
    pub title_runs: Vec<Run>,
    /// `date · authors · tags`.
    pub byline: String,
    pub description: String,
    /// The description's inline Markdown as styled runs.
    pub description_runs: Vec<Run>,
    /// The host of the source URL.
    pub source_host: String,
    /// The anchor of the body's first heading when it repeated the title and was folded into it.
    pub title_anchor: Option<String>,
}

impl Header {
    pub fn is_empty(&self) -> bool {
        self.title.is_empty()
            && self.byline.is_empty()
            && self.description.is_empty()
            && self.source_host.is_empty()
    }
}

/// A parsed article: header and blocks (the notes section already appended at the end).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub header: Header,
    pub blocks: Vec<Block>,
    /// Link `n` is `links[n - 1]`.
    pub links: Vec<Link>,
    pub lists: Vec<ListInfo>,
    /// How local pictures are sized, set with their [`Link::picture`]s.
    pub picture_fit: PictureFit,
}
