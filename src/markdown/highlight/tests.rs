//! Regression tests: each case the hand-written lexer got wrong (issue 11) pinned here.

use super::*;
use crate::markdown::model::{Role, Style};

/// Highlights `code` as `lang`; returns each line's (text, token) pieces.
fn lex(lang: &str, code: &str) -> Vec<Vec<(String, Option<Token>)>> {
    let mut lines: Vec<Vec<Run>> = code
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                Vec::new()
            } else {
                vec![Run {
                    text: l.to_owned(),
                    style: Style::role(Role::CodeBlock),
                    link: None,
                }]
            }
        })
        .collect();
    highlight_block(lang, &mut lines);
    let out: Vec<Vec<(String, Option<Token>)>> = lines
        .iter()
        .map(|runs| {
            runs.iter()
                .map(|r| (r.text.clone(), r.style.token))
                .collect()
        })
        .collect();
    // Highlighting never changes text.
    let text: Vec<String> = out
        .iter()
        .map(|l| l.iter().map(|(t, _)| t.as_str()).collect())
        .collect();
    assert_eq!(text.join("\n"), code);
    out
}

/// The tokens of every byte of `needle` (first occurrence on any line).
fn tokens_of(lines: &[Vec<(String, Option<Token>)>], needle: &str) -> Vec<Option<Token>> {
    for line in lines {
        let text: String = line.iter().map(|(t, _)| t.as_str()).collect();
        if let Some(start) = text.find(needle) {
            let mut tokens = Vec::new();
            let mut at = 0;
            for (piece, token) in line {
                for _ in 0..piece.len() {
                    if at >= start && at < start + needle.len() {
                        tokens.push(*token);
                    }
                    at += 1;
                }
            }
            return tokens;
        }
    }
    panic!("{needle:?} not found in {lines:?}");
}

/// `needle` is one token throughout, and it is `token`.
fn assert_all(lines: &[Vec<(String, Option<Token>)>], needle: &str, token: Token) {
    let tokens = tokens_of(lines, needle);
    assert!(
        tokens.iter().all(|t| *t == Some(token)),
        "{needle:?} should be all {token:?}: {tokens:?}\n{lines:?}"
    );
}

fn first_token(lines: &[Vec<(String, Option<Token>)>], needle: &str) -> Option<Token> {
    tokens_of(lines, needle)[0]
}

#[test]
fn rust_char_quote_is_a_char_not_a_string_to_the_end_of_line() {
    let lines = lex("rust", "let q = '\"'; let n = 1;");
    assert_all(&lines, "'\"'", Token::String);
    assert_eq!(first_token(&lines, "let n"), Some(Token::Keyword));
    assert_eq!(first_token(&lines, "1;"), Some(Token::Number));
}

#[test]
fn rust_static_lifetime_is_a_lifetime_not_a_keyword() {
    let lines = lex(
        "rust",
        "fn f(s: &'static str) -> &'a u8 { static X: u8 = 1; }",
    );
    assert_all(&lines, "'static", Token::Lifetime);
    assert_all(&lines, "'a", Token::Lifetime);
    assert_eq!(first_token(&lines, "static X"), Some(Token::Keyword));
}

#[test]
fn rust_raw_string_with_inner_quotes_is_one_string() {
    let lines = lex("rust", "let s = r#\"He said \"hi\" and left\"#; let t = 2;");
    assert_all(&lines, "r#\"He said \"hi\" and left\"#", Token::String);
    assert_eq!(first_token(&lines, "let t"), Some(Token::Keyword));
}

#[test]
fn rust_raw_string_ends_at_its_quote_despite_a_backslash() {
    let lines = lex("rust", "let p = r\"C:\\path\\\"; let q = 3;");
    assert_all(&lines, "r\"C:\\path\\\"", Token::String);
    assert_eq!(first_token(&lines, "let q"), Some(Token::Keyword));
}

#[test]
fn a_string_spanning_lines_keeps_its_state() {
    let lines = lex(
        "rust",
        "let s = \"first line\nfn still string\nend\"; let x = 1;",
    );
    assert_all(&lines, "fn still string", Token::String);
    assert_eq!(first_token(&lines, "let x"), Some(Token::Keyword));
}

#[test]
fn rust_nested_block_comment_is_one_comment() {
    let lines = lex("rust", "/* a /* b */ c */ let x = 1;");
    assert_all(&lines, "/* a /* b */ c */", Token::Comment);
    assert_eq!(first_token(&lines, "let x"), Some(Token::Keyword));
}

#[test]
fn rust_attribute_with_brackets_in_a_string_ends_at_its_own_bracket() {
    let lines = lex("rust", "#[doc = \"see [x]\"]\nfn f() {}");
    assert_all(&lines, "\"see [x]\"", Token::String);
    assert_eq!(first_token(&lines, "#["), Some(Token::Attribute));
    let close = tokens_of(&lines, "\"]");
    assert_eq!(close[1], Some(Token::Attribute), "{lines:?}");
    assert_eq!(first_token(&lines, "fn f"), Some(Token::Keyword));
}

#[test]
fn rust_bang_call_is_a_macro() {
    let lines = lex("rust", "let s = str![1, 2]; println!(\"{x}\");");
    assert_all(&lines, "str!", Token::Macro);
    assert_all(&lines, "println!", Token::Macro);
    assert_all(&lines, "{x}", Token::Escape);
}

#[test]
fn rust_float_with_exponent_is_one_number() {
    let lines = lex("rust", "let e = 1e-3 + 2.5E+10;");
    assert_all(&lines, "1e-3", Token::Number);
    assert_all(&lines, "2.5E+10", Token::Number);
}

#[test]
fn toml_multi_line_strings_colour_no_keys_inside() {
    let lines = lex(
        "toml",
        "a = \"\"\"\nkey = \"not a key\"\n\"\"\"\nb = '''\nother = 1\n'''\n[[bin]]\nname = \"x\"",
    );
    assert_all(&lines, "key = \"not a key\"", Token::String);
    assert_all(&lines, "other = 1", Token::String);
    let bin = tokens_of(&lines, "[[bin]]");
    assert!(
        bin.iter().all(Option::is_some),
        "[[bin]] fully coloured: {bin:?}"
    );
    assert_eq!(bin[6], bin[0], "the last ] as the first [");
    assert_eq!(first_token(&lines, "name"), Some(Token::Key));
}

#[test]
fn shell_heredoc_body_is_a_string_and_single_quotes_have_no_escapes() {
    let lines = lex(
        "sh",
        "cat <<EOF\n$ not a command; rm -rf x\nEOF\necho 'it\\'s'",
    );
    assert_all(&lines, "$ not a command; rm -rf x", Token::String);
    // In single quotes a backslash is a backslash: the string is `'it\'`.
    assert_all(&lines, "'it\\'", Token::String);
}

#[test]
fn console_output_lines_are_not_lexed_as_commands() {
    let lines = lex(
        "console",
        "$ ls -l | grep rs\ntotal 8 if then fi\n-rw-r--r-- 1 me me 0 main.rs\n# echo \"root\"",
    );
    assert_eq!(first_token(&lines, "$ "), Some(Token::Prompt));
    assert_all(&lines, "total 8 if then fi", Token::Output);
    assert_all(&lines, "-rw-r--r-- 1 me me 0 main.rs", Token::Output);
    assert_all(&lines, "\"root\"", Token::String);
    assert_eq!(first_token(&lines, "# "), Some(Token::Prompt));
    assert_ne!(first_token(&lines, "ls"), Some(Token::Output));
}

#[test]
fn yaml_url_fragment_is_no_comment() {
    let lines = lex("yaml", "url: https://x/#anchor # a real comment");
    assert!(
        tokens_of(&lines, "https://x/#anchor")
            .iter()
            .all(|t| *t != Some(Token::Comment)),
        "{lines:?}"
    );
    assert_all(&lines, "# a real comment", Token::Comment);
}

#[test]
fn html_haskell_and_rust_ignore_get_colour() {
    let html = lex("html", "<a href=\"x\">link</a>");
    assert_eq!(first_token(&html, "a href"), Some(Token::Key));
    assert_all(&html, "\"x\"", Token::String);
    let haskell = lex("haskell", "main :: IO ()\nmain = putStrLn \"hi\" -- greet");
    assert_all(&haskell, "\"hi\"", Token::String);
    assert_all(&haskell, "-- greet", Token::Comment);
    let lang = crate::markdown::highlight::fence_language("rust,ignore").unwrap_or_default();
    let rust = lex(&lang, "fn main() {}");
    assert_eq!(first_token(&rust, "fn"), Some(Token::Keyword));
}

#[test]
fn diff_lines_are_added_and_removed() {
    let lines = lex(
        "diff",
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old line\n+new line\n same",
    );
    assert_all(&lines, "-old line", Token::DiffRemoved);
    assert_all(&lines, "+new line", Token::DiffAdded);
}

#[test]
fn a_very_long_line_leaves_the_rest_of_its_block_plain() {
    let long = format!("let x = \"{}\";", "a".repeat(MAX_LINE));
    let code = format!("fn before() {{}}\n{long}\nfn after() {{}}");
    let lines = lex("rust", &code);
    assert_eq!(first_token(&lines, "fn before"), Some(Token::Keyword));
    assert_eq!(lines[1].len(), 1);
    assert_eq!(lines[1][0].1, None);
    assert_eq!(lines[2], vec![("fn after() {}".to_owned(), None)]);
}

#[test]
fn a_huge_block_stays_plain() {
    let code = "fn f() {}\n".repeat(MAX_BLOCK / 10 + 1);
    let lines = lex("rust", code.trim_end());
    assert!(lines.iter().all(|l| l.iter().all(|(_, t)| t.is_none())));
}

#[test]
fn unknown_languages_stay_plain() {
    let lines = lex("no-such-lang", "fn main() {}");
    assert_eq!(lines, vec![vec![("fn main() {}".to_owned(), None)]]);
}

#[test]
fn a_block_seen_before_comes_from_the_cache_the_same() {
    let code = "fn cached_twice() -> u8 { 42 }";
    let first = lex("rust", code);
    let second = lex("rs", code);
    assert_eq!(first, second);
    assert!(Cache::get(&key_of("Rust", &[code.to_owned()])).is_some());
    assert!(Cache::get(&key_of("Rust", &[code.replace("42", "43")])).is_none());
}

#[test]
fn prewarm_reads_any_fence_without_trouble() {
    for markdown in [
        "",
        "```",
        "~~~{",
        "```rust\nfn main() {}\n```\n~~~ {.python}\nx\n~~~",
        "```\u{202e}rust\n```",
        "```no-such-lang\n```\n```console\n$ ls\n```",
    ] {
        prewarm(markdown);
    }
    // The grammars it compiles give the same tokens as ever.
    let lines = lex("rust", "fn main() {}");
    assert_eq!(first_token(&lines, "fn"), Some(Token::Keyword));
}

#[test]
fn pending_blocks_come_out_as_highlighted_while_parsing() {
    use crate::library::Meta;
    use crate::markdown::parse::{Options, parse_article_with};
    let parse = |text: &str, highlight: bool| {
        parse_article_with(&Meta::default(), text, Options { highlight })
    };
    let mut text = String::new();
    for i in 0..40 {
        let lang = ["rust", "python", "nosuchlang", "toml"][i % 4];
        text.push_str(&format!(
            "Text {i}.\n\n```{lang}\nlet s{i} = \"x{i}\"; // c\nx = [{i}]\n```\n\n"
        ));
    }
    let whole = parse(&text, true);
    // Taken in runs of every size, some beyond the end, and out of step with the worker.
    for size in [1, 3, 7, 500] {
        clear_cache();
        let mut doc = parse(&text, false);
        let pending = Pending::start(&doc);
        let mut start = 0;
        while start < doc.blocks.len() {
            let end = (start + size).min(doc.blocks.len());
            pending.apply(&mut doc.blocks[start..end], start);
            start = end;
        }
        assert_eq!(doc.blocks, whole.blocks, "runs of {size}");
    }
    // Coloured indeed: some token in every Rust block.
    let coloured = whole
        .blocks
        .iter()
        .filter(|b| match &b.kind {
            BlockKind::Code { lines, .. } => {
                lines.iter().flatten().any(|r| r.style.token.is_some())
            }
            _ => false,
        })
        .count();
    assert!(coloured >= 20, "{coloured}");
}
