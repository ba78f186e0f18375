//! Syntax highlighting of code blocks: a small table-driven lexer per language family.
//!
//! A regex-grammar highlighter (syntect, as mdcat and bat use) costs tens of milliseconds to
//! load and compile before the first line, and runs at a few MB/s. Readers want colour that
//! tells keywords, strings, comments, numbers and types apart; a lexer that knows each
//! language's comment and string syntax and its keywords does that at hundreds of MB/s with no
//! start-up cost, so every code block of any document is coloured. Highlighting only sets
//! colours: a highlighted block's text is exactly the plain one's, so layout never depends on it.

use super::model::{BlockKind, Document, Rgb, Role, Run, Style};

/// Colours every code block whose language is known. Text is never changed.
pub fn apply(doc: &mut Document) {
    for block in &mut doc.blocks {
        if let BlockKind::Code {
            lang: Some(lang),
            lines,
        } = &mut block.kind
        {
            let texts: Vec<String> = lines
                .iter()
                .map(|l| l.iter().map(|r| r.text.as_str()).collect())
                .collect();
            if let Some(coloured) = highlight(lang, &texts) {
                *lines = coloured;
            }
        }
    }
}

/// What a piece of code is; each has one colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Keyword,
    Type,
    String,
    Comment,
    Number,
    /// A function or macro name at a call or definition.
    Function,
    /// A key in a configuration file, an attribute or decorator, a shell variable.
    Key,
    Added,
    Removed,
}

impl Token {
    /// Mid-tone colours that read on dark and light backgrounds alike.
    fn colour(self) -> Option<Rgb> {
        match self {
            Token::Plain => None,
            Token::Keyword => Some(Rgb(175, 95, 215)),
            Token::Type => Some(Rgb(0, 160, 170)),
            Token::String => Some(Rgb(110, 160, 40)),
            Token::Comment => Some(Rgb(128, 128, 128)),
            Token::Number => Some(Rgb(215, 120, 40)),
            Token::Function => Some(Rgb(60, 130, 230)),
            Token::Key => Some(Rgb(200, 150, 0)),
            Token::Added => Some(Rgb(80, 170, 60)),
            Token::Removed => Some(Rgb(215, 70, 70)),
        }
    }
}

/// How one family of languages writes comments, strings and words.
struct Lang {
    line_comments: &'static [&'static str],
    block_comment: Option<(&'static str, &'static str)>,
    /// Quote characters that open a string.
    quotes: &'static [char],
    /// `"""` strings that may span lines (Python).
    triple_quotes: bool,
    keywords: &'static [&'static str],
    types: &'static [&'static str],
    /// Capitalised words are types (Rust, Go, Java, Swift ...).
    capitalised_types: bool,
    /// `name!` is a macro (Rust); `@name`/`#[...]` are attributes.
    macros: bool,
    /// `$name` is a variable (shells).
    dollar_variables: bool,
    /// Words may contain `-` (shell commands, CSS properties).
    dashed_words: bool,
    /// `key =` / `key:` at the start of a line is a key (TOML, YAML, INI).
    line_keys: bool,
}

const BASE: Lang = Lang {
    line_comments: &[],
    block_comment: None,
    quotes: &['"', '\''],
    triple_quotes: false,
    keywords: &[],
    types: &[],
    capitalised_types: false,
    macros: false,
    dollar_variables: false,
    dashed_words: false,
    line_keys: false,
};

const C_LIKE: Lang = Lang {
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    capitalised_types: true,
    ..BASE
};

#[rustfmt::skip]
const RUST: Lang = Lang {
    keywords: &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while", "yield",
    ],
    types: &[
        "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64",
    ],
    quotes: &['"'],
    macros: true,
    ..C_LIKE
};

#[rustfmt::skip]
const C: Lang = Lang {
    keywords: &[
        "auto", "break", "case", "class", "const", "constexpr", "continue", "default", "delete",
        "do", "else", "enum", "extern", "false", "for", "goto", "if", "inline", "namespace", "new",
        "nullptr", "private", "protected", "public", "register", "return", "sizeof", "static",
        "struct", "switch", "template", "this", "true", "typedef", "typename", "union", "using",
        "virtual", "volatile", "while", "#include", "#define", "#ifdef", "#ifndef", "#endif",
        "#if", "#else", "#pragma",
    ],
    types: &[
        "bool", "char", "double", "float", "int", "long", "short", "signed", "unsigned", "void",
        "size_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t",
        "int64_t", "ssize_t",
    ],
    ..C_LIKE
};

#[rustfmt::skip]
const GO: Lang = Lang {
    keywords: &[
        "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
        "false", "for", "func", "go", "goto", "if", "import", "interface", "map", "nil", "package",
        "range", "return", "select", "struct", "switch", "true", "type", "var",
    ],
    types: &[
        "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8",
        "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64",
        "uintptr", "any",
    ],
    quotes: &['"', '\'', '`'],
    ..C_LIKE
};

#[rustfmt::skip]
const JAVA_LIKE: Lang = Lang {
    keywords: &[
        "abstract", "as", "async", "await", "break", "case", "catch", "class", "const", "continue",
        "data", "def", "default", "delete", "do", "else", "enum", "export", "extends", "false",
        "final", "finally", "for", "from", "fun", "func", "function", "guard", "if", "implements",
        "import", "in", "instanceof", "interface", "is", "let", "new", "null", "object",
        "override", "package", "private", "protected", "public", "return", "static", "struct",
        "super", "switch", "this", "throw", "throws", "true", "try", "type", "typeof", "undefined",
        "val", "var", "void", "when", "while", "yield",
    ],
    types: &[
        "boolean", "byte", "char", "double", "float", "int", "long", "short", "string", "number",
        "any", "unknown", "never", "Int", "String", "Bool", "Double",
    ],
    quotes: &['"', '\'', '`'],
    macros: true,
    ..C_LIKE
};

#[rustfmt::skip]
const PYTHON: Lang = Lang {
    line_comments: &["#"],
    triple_quotes: true,
    keywords: &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "False", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "None", "nonlocal", "not", "or", "pass", "raise", "return", "True",
        "try", "while", "with", "yield", "self",
    ],
    types: &[
        "bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple",
    ],
    capitalised_types: true,
    macros: true,
    ..BASE
};

#[rustfmt::skip]
const RUBY: Lang = Lang {
    line_comments: &["#"],
    keywords: &[
        "alias", "and", "begin", "break", "case", "class", "def", "do", "else", "elsif", "end",
        "ensure", "false", "for", "if", "in", "module", "next", "nil", "not", "or", "redo",
        "require", "rescue", "retry", "return", "self", "super", "then", "true", "unless", "until",
        "when", "while", "yield",
    ],
    capitalised_types: true,
    ..BASE
};

#[rustfmt::skip]
const SHELL: Lang = Lang {
    line_comments: &["#"],
    keywords: &[
        "case", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function", "if",
        "in", "local", "return", "select", "then", "until", "while", "echo", "cd", "sudo", "cargo",
        "git", "set", "exit",
    ],
    dollar_variables: true,
    dashed_words: true,
    ..BASE
};

#[rustfmt::skip]
const TOML: Lang = Lang {
    line_comments: &["#"],
    keywords: &["true", "false"],
    line_keys: true,
    dashed_words: true,
    ..BASE
};

#[rustfmt::skip]
const YAML: Lang = Lang {
    line_comments: &["#"],
    keywords: &["true", "false", "null", "yes", "no", "on", "off", "~"],
    line_keys: true,
    dashed_words: true,
    ..BASE
};

#[rustfmt::skip]
const JSON: Lang = Lang {
    quotes: &['"'],
    keywords: &["true", "false", "null"],
    ..BASE
};

#[rustfmt::skip]
const CSS: Lang = Lang {
    block_comment: Some(("/*", "*/")),
    line_keys: true,
    dashed_words: true,
    keywords: &[
        "!important", "@media", "@import", "@font-face", "@keyframes",
    ],
    ..BASE
};

#[rustfmt::skip]
const SQL: Lang = Lang {
    line_comments: &["--"],
    block_comment: Some(("/*", "*/")),
    quotes: &['\''],
    keywords: &[
        "select", "from", "where", "insert", "into", "values", "update", "set", "delete", "create",
        "table", "index", "drop", "alter", "join", "left", "right", "inner", "outer", "on", "and",
        "or", "not", "null", "as", "order", "by", "group", "having", "limit", "primary", "key",
        "references", "SELECT", "FROM", "WHERE", "INSERT", "INTO", "VALUES", "UPDATE", "SET",
        "DELETE", "CREATE", "TABLE", "INDEX", "DROP", "ALTER", "JOIN", "LEFT", "RIGHT", "INNER",
        "OUTER", "ON", "AND", "OR", "NOT", "NULL", "AS", "ORDER", "BY", "GROUP", "HAVING", "LIMIT",
        "PRIMARY", "KEY", "REFERENCES",
    ],
    types: &[
        "int", "integer", "text", "varchar", "boolean", "timestamp", "INT", "INTEGER", "TEXT",
        "VARCHAR", "BOOLEAN", "TIMESTAMP",
    ],
    ..BASE
};

/// The lexer for a fenced block's language word, `None` when unknown.
fn lang_for(word: &str) -> Option<&'static Lang> {
    let word = word.trim().to_ascii_lowercase();
    Some(match word.as_str() {
        "rust" | "rs" => &RUST,
        "c" | "h" | "cpp" | "c++" | "cc" | "hpp" | "cxx" | "objc" => &C,
        "go" | "golang" => &GO,
        "java" | "kotlin" | "kt" | "swift" | "javascript" | "js" | "jsx" | "mjs" | "typescript"
        | "ts" | "tsx" | "scala" | "dart" | "csharp" | "cs" | "c#" | "php" | "zig" => &JAVA_LIKE,
        "python" | "py" | "python3" => &PYTHON,
        "ruby" | "rb" => &RUBY,
        "bash" | "sh" | "shell" | "zsh" | "fish" | "console" | "shell-session" | "dockerfile"
        | "make" | "makefile" => &SHELL,
        "toml" | "ini" | "cfg" | "conf" => &TOML,
        "yaml" | "yml" => &YAML,
        "json" | "jsonc" | "json5" => &JSON,
        "css" | "scss" | "less" => &CSS,
        "sql" | "postgres" | "postgresql" | "mysql" | "sqlite" => &SQL,
        _ => return None,
    })
}

/// Colours `lines` as `lang`; `None` when the language is unknown. Each returned line's runs
/// concatenate to exactly the input line.
pub fn highlight(lang: &str, lines: &[String]) -> Option<Vec<Vec<Run>>> {
    let word = lang.trim().to_ascii_lowercase();
    if matches!(word.as_str(), "diff" | "patch") {
        return Some(lines.iter().map(|l| diff_line(l)).collect());
    }
    let spec = lang_for(&word)?;
    let mut state = State::Code;
    Some(
        lines
            .iter()
            .map(|line| {
                let mut tokens = Vec::new();
                state = lex_line(spec, line, state, &mut tokens);
                runs(line, &tokens)
            })
            .collect(),
    )
}

fn diff_line(line: &str) -> Vec<Run> {
    let token = if line.starts_with("+++") || line.starts_with("---") {
        Token::Keyword
    } else if line.starts_with('+') {
        Token::Added
    } else if line.starts_with('-') {
        Token::Removed
    } else if line.starts_with("@@") {
        Token::Function
    } else {
        Token::Plain
    };
    runs(line, &[(0, line.len(), token)])
}

/// What carries over from one line to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Code,
    BlockComment,
    /// Inside a string that spans lines, closed by this quote (three times when triple).
    String(char, bool),
}

/// Appends `(start, end, token)` byte ranges covering the line, and says how it ends.
fn lex_line(
    lang: &Lang,
    line: &str,
    mut state: State,
    out: &mut Vec<(usize, usize, Token)>,
) -> State {
    let mut i = 0;
    // Continue what the previous line left open.
    match state {
        State::BlockComment => {
            let close = lang.block_comment.map_or("*/", |(_, close)| close);
            match line.find(close) {
                Some(at) => {
                    out.push((0, at + close.len(), Token::Comment));
                    i = at + close.len();
                    state = State::Code;
                }
                None => {
                    out.push((0, line.len(), Token::Comment));
                    return state;
                }
            }
        }
        State::String(quote, triple) => match string_end(line, 0, quote, triple) {
            Some(end) => {
                out.push((0, end, Token::String));
                i = end;
                state = State::Code;
            }
            None => {
                out.push((0, line.len(), Token::String));
                return state;
            }
        },
        State::Code => {}
    }
    if lang.line_keys && i == 0 {
        if let Some(end) = line_key(line) {
            let start = line.len() - line.trim_start().len();
            out.push((start, end, Token::Key));
            i = end;
        }
    }
    let mut at_word_start = true;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if let Some(prefix) = lang.line_comments.iter().find(|p| rest.starts_with(**p)) {
            // A shell `#` only starts a comment at the start of a word (`a#b` is a word).
            if *prefix != "#" || at_word_start || !lang.dollar_variables {
                out.push((i, line.len(), Token::Comment));
                return State::Code;
            }
        }
        if let Some((open, close)) = lang.block_comment {
            if let Some(inside) = rest.strip_prefix(open) {
                match inside.find(close) {
                    Some(at) => {
                        let end = i + open.len() + at + close.len();
                        out.push((i, end, Token::Comment));
                        i = end;
                        continue;
                    }
                    None => {
                        out.push((i, line.len(), Token::Comment));
                        return State::BlockComment;
                    }
                }
            }
        }
        if lang.quotes.contains(&c) {
            let triple = lang.triple_quotes && rest.starts_with(&c.to_string().repeat(3));
            let open = if triple { 3 } else { 1 };
            match string_end(line, i + open, c, triple) {
                Some(end) => {
                    out.push((i, end, Token::String));
                    i = end;
                }
                None if triple || c == '`' => {
                    out.push((i, line.len(), Token::String));
                    return State::String(c, triple);
                }
                None => {
                    out.push((i, line.len(), Token::String));
                    return State::Code;
                }
            }
            at_word_start = false;
            continue;
        }
        if c.is_ascii_digit() {
            let end = i + rest
                .char_indices()
                .find(|&(_, d)| !(d.is_ascii_alphanumeric() || d == '_' || d == '.'))
                .map_or(rest.len(), |(n, _)| n);
            out.push((i, end, Token::Number));
            i = end;
            at_word_start = false;
            continue;
        }
        let sigil = (lang.dollar_variables && c == '$')
            || (lang.macros && (c == '@' || rest.starts_with("#[") || rest.starts_with("#!")));
        if sigil {
            let end = if rest.starts_with("#[") || rest.starts_with("#!") {
                rest.find(']').map_or(line.len(), |n| i + n + 1)
            } else {
                i + 1 + word_len(&rest[1..], lang)
            };
            out.push((i, end.max(i + 1), Token::Key));
            i = end.max(i + 1);
            at_word_start = false;
            continue;
        }
        if c.is_alphabetic() || c == '_' || (c == '#' && !lang.keywords.is_empty()) {
            let len = if c == '#' {
                1 + word_len(&rest[1..], lang)
            } else {
                word_len(rest, lang)
            };
            let word = &rest[..len.max(1)];
            let end = i + word.len();
            let after = line[end..].trim_start();
            let token = if lang.keywords.contains(&word) {
                Token::Keyword
            } else if lang.types.contains(&word)
                || (lang.capitalised_types && word.starts_with(|c: char| c.is_ascii_uppercase()))
            {
                Token::Type
            } else if lang.macros && line[end..].starts_with('!') && !line[end..].starts_with("!=")
            {
                out.push((i, end + 1, Token::Function));
                i = end + 1;
                at_word_start = false;
                continue;
            } else if after.starts_with('(') && !lang.line_keys {
                Token::Function
            } else {
                Token::Plain
            };
            out.push((i, end, token));
            i = end;
            at_word_start = false;
            continue;
        }
        let end = i + c.len_utf8();
        out.push((i, end, Token::Plain));
        at_word_start = c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | '{');
        i = end;
    }
    state
}

/// The length of the identifier at the start of `s`.
fn word_len(s: &str, lang: &Lang) -> usize {
    s.char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || (lang.dashed_words && c == '-')))
        .map_or(s.len(), |(n, _)| n)
}

/// Where the string that began before `from` ends (just past its closing quote), honouring
/// backslash escapes; `None` when it does not end on this line.
fn string_end(line: &str, from: usize, quote: char, triple: bool) -> Option<usize> {
    let closing = if triple {
        quote.to_string().repeat(3)
    } else {
        quote.to_string()
    };
    let mut escaped = false;
    let rest = line.get(from..)?;
    for (n, c) in rest.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' && quote != '`' {
            escaped = true;
            continue;
        }
        if rest[n..].starts_with(&closing) {
            return Some(from + n + closing.len());
        }
    }
    None
}

/// `key =` (TOML), `key:` (YAML, CSS), `- key:`, `[section]`: the end of the key.
fn line_key(line: &str) -> Option<usize> {
    let start = line.len() - line.trim_start().len();
    let body = &line[start..];
    if body.starts_with('[') {
        return body.find(']').map(|n| start + n + 1);
    }
    let body_start = if body.starts_with("- ") {
        start + 2
    } else {
        start
    };
    let body = &line[body_start..];
    let end = body
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"')))
        .map_or(body.len(), |(n, _)| n);
    if end == 0 {
        return None;
    }
    let after = body[end..].trim_start();
    (after.starts_with('=') && !after.starts_with("==") || after.starts_with(':'))
        .then_some(body_start + end)
}

/// Byte ranges and tokens → runs of text with colours; gaps stay plain.
fn runs(line: &str, tokens: &[(usize, usize, Token)]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut push = |text: &str, token: Token| {
        if text.is_empty() {
            return;
        }
        let style = Style {
            fg: token.colour(),
            ..Style::role(Role::CodeBlock)
        };
        match out.last_mut() {
            Some(last) if last.style == style => last.text.push_str(text),
            _ => out.push(Run {
                text: text.to_owned(),
                style,
                link: None,
            }),
        }
    };
    let mut at = 0;
    for &(start, end, token) in tokens {
        let (start, end) = (start.max(at), end.min(line.len()));
        if start >= end || !line.is_char_boundary(start) || !line.is_char_boundary(end) {
            continue;
        }
        push(&line[at..start], Token::Plain);
        push(&line[start..end], token);
        at = end;
    }
    push(&line[at..], Token::Plain);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(lang: &str, code: &str) -> Vec<(String, Option<Rgb>)> {
        let lines: Vec<String> = code.lines().map(str::to_owned).collect();
        highlight(lang, &lines)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .map(|r| (r.text, r.style.fg))
            .collect()
    }

    fn colour_of(lang: &str, code: &str, piece: &str) -> Option<Rgb> {
        tokens(lang, code)
            .into_iter()
            .find(|(text, _)| text == piece)
            .and_then(|(_, fg)| fg)
    }

    #[test]
    fn rust_keywords_types_strings_comments_macros_and_calls() {
        let code =
            "fn main<'a>(x: &'a str) -> u32 { // note\n    println!(\"hi {}\", 42); Vec::new() }";
        assert_eq!(colour_of("rust", code, "fn"), Token::Keyword.colour());
        assert_eq!(colour_of("rust", code, "u32"), Token::Type.colour());
        assert_eq!(colour_of("rust", code, "// note"), Token::Comment.colour());
        assert_eq!(
            colour_of("rust", code, "println!"),
            Token::Function.colour()
        );
        assert_eq!(colour_of("rust", code, "\"hi {}\""), Token::String.colour());
        assert_eq!(colour_of("rust", code, "42"), Token::Number.colour());
        assert_eq!(colour_of("rust", code, "Vec"), Token::Type.colour());
        assert_eq!(colour_of("rust", code, "new"), Token::Function.colour());
    }

    #[test]
    fn block_comments_and_python_triple_strings_span_lines() {
        let c = tokens("c", "int x; /* one\ntwo */ return 0;");
        assert!(
            c.contains(&("two */".to_owned(), Token::Comment.colour())),
            "{c:?}"
        );
        let py = tokens("python", "s = \"\"\"doc\nmore\"\"\" # c");
        assert!(
            py.contains(&("more\"\"\"".to_owned(), Token::String.colour())),
            "{py:?}"
        );
        assert!(
            py.contains(&("# c".to_owned(), Token::Comment.colour())),
            "{py:?}"
        );
    }

    #[test]
    fn configuration_keys_shell_variables_and_diffs() {
        assert_eq!(
            colour_of("toml", "name = \"folio\"", "name"),
            Token::Key.colour()
        );
        assert_eq!(
            colour_of("toml", "[dependencies]", "[dependencies]"),
            Token::Key.colour()
        );
        assert_eq!(
            colour_of("yaml", "  title: Hi # x", "title"),
            Token::Key.colour()
        );
        assert_eq!(
            colour_of("bash", "echo \"$HOME\" # done", "# done"),
            Token::Comment.colour()
        );
        assert_eq!(colour_of("sh", "cd $DIR", "$DIR"), Token::Key.colour());
        assert_eq!(colour_of("sh", "git log a#b", "a"), None);
        let diff = tokens("diff", "+added\n-removed\n context");
        assert_eq!(diff[0].1, Token::Added.colour());
        assert_eq!(diff[1].1, Token::Removed.colour());
        assert_eq!(diff[2].1, None);
    }

    #[test]
    fn text_is_kept_exactly_and_unknown_languages_stay_plain() {
        let samples = [
            ("rust", "let s = \"unterminated\\\" é 日本 👩‍💻"),
            ("go", "x := `raw\nstill raw` + 'c'"),
            ("json", "{\"a\": [1, 2.5e3, true, null]}"),
            ("css", "a { color: red; } /* c */"),
            ("sql", "SELECT * FROM t WHERE x = 'y' -- c"),
            ("python", "@decorator\ndef f(): return 'x'"),
        ];
        for (lang, code) in samples {
            let lines: Vec<String> = code.lines().map(str::to_owned).collect();
            let out = highlight(lang, &lines).unwrap_or_default();
            assert_eq!(out.len(), lines.len(), "{lang}");
            for (runs, line) in out.iter().zip(&lines) {
                let joined: String = runs.iter().map(|r| r.text.as_str()).collect();
                assert_eq!(&joined, line, "{lang}");
            }
        }
        assert!(highlight("no-such-language", &["x".to_owned()]).is_none());
    }
}
