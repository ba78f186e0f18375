//! Fence info strings → a grammar of bat's syntax set.

use syntect::parsing::SyntaxReference;

use super::SYNTAXES;

/// What highlights a block.
pub(crate) enum Grammar {
    Syntax(&'static SyntaxReference),
    /// A console session: commands after a prompt in this shell's grammar, the rest output.
    Console(&'static SyntaxReference),
}

impl Grammar {
    /// Names the grammar in cache keys: `rs` and `rust` blocks of the same text are one.
    pub(crate) fn key(&self) -> &'static str {
        match self {
            Grammar::Syntax(syntax) => &syntax.name,
            Grammar::Console(_) => "console",
        }
    }
}

/// The language of a fence's info string as people write it: `rust`, `rust,ignore`, `rust=`,
/// `{.rust}`, `{.rust .numberLines}`, `sh title="x"`, `{r, echo=FALSE}`, `language-rust`.
pub(crate) fn fence_language(info: &str) -> Option<String> {
    let info = info.trim();
    let word = if let Some(inner) = info.strip_prefix('{') {
        let inner = inner.trim_end_matches('}');
        let words: Vec<&str> = inner
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        // Pandoc's `{.rust}`: the first class; R Markdown's `{r, echo=FALSE}`: the first word.
        words.iter().find_map(|w| w.strip_prefix('.')).or_else(|| {
            words
                .iter()
                .find(|w| !w.contains('=') && !w.starts_with('#'))
                .copied()
        })?
    } else {
        info.split(|c: char| c.is_whitespace() || matches!(c, ',' | '=' | '{' | ':'))
            .next()?
    };
    let word = word.strip_prefix("language-").unwrap_or(word);
    let word = crate::text::sanitize_line(word);
    (!word.is_empty()).then_some(word)
}

/// Names bat's set does not know by these spellings.
const ALIASES: &[(&str, &str)] = &[
    ("sh", "bash"),
    ("shell", "bash"),
    ("zsh", "bash"),
    ("ksh", "bash"),
    ("ash", "bash"),
    ("dash", "bash"),
    ("fish", "fish"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("jsonl", "json"),
    ("ndjson", "json"),
    ("geojson", "json"),
    ("tsx", "tsx"),
    ("jsx", "jsx"),
    ("javascript", "js"),
    ("node", "js"),
    ("mjs", "js"),
    ("cjs", "js"),
    ("typescript", "ts"),
    ("golang", "go"),
    ("c++", "cpp"),
    ("cxx", "cpp"),
    ("objc", "m"),
    ("objective-c", "m"),
    ("objectivec", "m"),
    ("py3", "py"),
    ("python3", "py"),
    ("rb", "rb"),
    ("ps", "ps1"),
    ("powershell", "ps1"),
    ("pwsh", "ps1"),
    ("make", "makefile"),
    ("docker", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("patch", "diff"),
    ("udiff", "diff"),
    ("yml", "yaml"),
    ("hs", "haskell"),
    ("elisp", "lisp"),
    ("emacs-lisp", "lisp"),
    ("el", "lisp"),
    ("asm", "asm"),
    ("nasm", "asm"),
    ("llvm", "ll"),
    ("llvm-ir", "ll"),
    ("proto", "proto"),
    ("protobuf", "proto"),
    ("tf", "tf"),
    ("hcl", "tf"),
    ("terraform", "tf"),
    ("viml", "vim"),
    ("vimscript", "vim"),
    ("kt", "kt"),
    ("kotlin", "kt"),
    ("cs", "cs"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("fsharp", "fs"),
    ("f#", "fs"),
    ("ex", "ex"),
    ("elixir", "ex"),
    ("erl", "erl"),
    ("erlang", "erl"),
    ("md", "md"),
    ("markdown", "md"),
    ("tex", "tex"),
    ("latex", "tex"),
    ("html", "html"),
    ("xhtml", "html"),
    ("xml", "xml"),
    ("svg", "xml"),
    ("ini", "ini"),
    ("conf", "ini"),
    ("cfg", "ini"),
    ("env", "sh"),
    ("dotenv", "sh"),
    ("sql", "sql"),
    ("postgres", "sql"),
    ("postgresql", "sql"),
    ("mysql", "sql"),
    ("nginx", "nginx"),
    ("vue", "vue"),
    ("svelte", "svelte"),
    ("zig", "zig"),
    ("nix", "nix"),
    ("gql", "graphql"),
    ("graphql", "graphql"),
];

/// Console sessions; bat's set has no grammar for them, so folio splits prompt and output.
const CONSOLES: &[&str] = &[
    "console",
    "shell-session",
    "shellsession",
    "sh-session",
    "terminal",
    "bash-session",
    "session",
];

/// Languages that mean "no highlighting".
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "none", "output", "log"];

/// The grammar for a fence language, if bat's set has one.
pub(crate) fn grammar(lang: &str) -> Option<Grammar> {
    let lower = lang.trim().to_ascii_lowercase();
    if lower.is_empty() || PLAIN.contains(&lower.as_str()) {
        return None;
    }
    if CONSOLES.contains(&lower.as_str()) {
        return syntax("bash").map(Grammar::Console);
    }
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, name)| name);
    syntax(name).or_else(|| syntax(&lower)).map(Grammar::Syntax)
}

fn syntax(token: &str) -> Option<&'static SyntaxReference> {
    let set = &*SYNTAXES;
    set.find_syntax_by_token(token)
}

/// The length of a console line's prompt (`$ `, `# `, `> `, `% `, with any indentation), or
/// `None` for an output line.
pub(crate) fn prompt_len(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    ["$ ", "# ", "> ", "% "]
        .iter()
        .find(|p| rest.starts_with(**p))
        .map(|p| indent + p.len())
        .or_else(|| (rest == "$" || rest == "#").then_some(line.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_info_strings_as_people_write_them() {
        for (info, lang) in [
            ("rust", Some("rust")),
            ("rust,ignore", Some("rust")),
            ("rust=", Some("rust")),
            ("rust title=\"main.rs\"", Some("rust")),
            ("{.rust}", Some("rust")),
            ("{.rust .numberLines}", Some("rust")),
            ("{#id .python}", Some("python")),
            ("{r, echo=FALSE}", Some("r")),
            ("sh title=\"x\"", Some("sh")),
            ("language-toml", Some("toml")),
            ("  yaml  ", Some("yaml")),
            ("", None),
            ("{}", None),
        ] {
            assert_eq!(fence_language(info).as_deref(), lang, "{info:?}");
        }
    }

    #[test]
    fn aliases_and_names_find_grammars_and_unknown_is_plain() {
        for lang in [
            "rust",
            "Rust",
            "rs",
            "zsh",
            "sh",
            "bash",
            "jsonc",
            "tsx",
            "ts",
            "toml",
            "yaml",
            "html",
            "haskell",
            "llvm",
            "llvm-ir",
            "diff",
            "python",
            "c++",
            "dockerfile",
            "go",
        ] {
            assert!(grammar(lang).is_some(), "{lang}");
        }
        for lang in ["console", "shell-session"] {
            assert!(matches!(grammar(lang), Some(Grammar::Console(_))), "{lang}");
        }
        for lang in ["no-such-lang", "text", ""] {
            assert!(grammar(lang).is_none(), "{lang}");
        }
    }

    #[test]
    fn prompts_are_told_from_output() {
        assert_eq!(prompt_len("$ ls"), Some(2));
        assert_eq!(prompt_len("  # apt install x"), Some(4));
        assert_eq!(prompt_len("> more"), Some(2));
        assert_eq!(prompt_len("$"), Some(1));
        assert_eq!(prompt_len("total 0"), None);
        assert_eq!(prompt_len("$HOME is set"), None);
    }
}
