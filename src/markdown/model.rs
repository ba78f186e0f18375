//! The document model: blocks of inline runs with semantic styles.

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

/// An RGB colour chosen by the code highlighter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Semantic style of a run: a role plus inline emphasis flags; `fg` only for highlighted code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub role: Role,
    pub strong: bool,
    pub emphasis: bool,
    pub strike: bool,
    pub fg: Option<Rgb>,
}

impl Style {
    pub const fn role(role: Role) -> Self {
        Style {
            role,
            strong: false,
            emphasis: false,
            strike: false,
            fg: None,
        }
    }
}

/// A parsed article: header and blocks. (Filled in by the markdown work.)
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {}
