//! Two places where the Rust grammar in bat's set falls short of the language, mended on the
//! grammar's output: `str![…]` (a macro named like a type) and `1e-3` (an exponent without a
//! dot).

use super::Pieces;
use crate::markdown::model::Token;

/// The line's pieces with macro calls and exponent numbers outside strings and comments
/// re-marked.
pub(crate) fn fix(line: &str, pieces: &Pieces) -> Pieces {
    let bytes = line.as_bytes();
    let mut tokens: Vec<Option<Token>> = Vec::with_capacity(bytes.len());
    for &(len, token) in pieces {
        tokens.extend(std::iter::repeat_n(token, len));
    }
    if tokens.len() != bytes.len() {
        return pieces.clone();
    }
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let is_code = |t: Option<Token>| !matches!(t, Some(Token::String | Token::Comment));
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b'.');
        if !starts_word || !is_ident(bytes[i]) || !is_code(tokens[i]) {
            i += 1;
            continue;
        }
        let end = (i..bytes.len())
            .find(|&j| !is_ident(bytes[j]))
            .unwrap_or(bytes.len());
        let word = &bytes[i..end];
        if word[0].is_ascii_digit() {
            if let Some(len) = exponent_number(&bytes[i..]) {
                tokens[i..i + len].fill(Some(Token::Number));
                i += len;
                continue;
            }
        } else if bytes.get(end) == Some(&b'!') {
            let after = bytes[end + 1..].iter().find(|b| !b.is_ascii_whitespace());
            if matches!(after, Some(b'(' | b'[' | b'{')) {
                tokens[i..=end].fill(Some(Token::Macro));
            }
        }
        i = end;
    }
    let mut out = Pieces::new();
    for token in tokens {
        match out.last_mut() {
            Some((len, last)) if *last == token => *len += 1,
            _ => out.push((1, token)),
        }
    }
    out
}

/// The length of `1e-3`, `2E10f64`, `1_000e+3_f32` at the start of `text`, if it is one.
fn exponent_number(text: &[u8]) -> Option<usize> {
    let digits = |from: usize| {
        text[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'_')
            .count()
    };
    let mut at = digits(0);
    if !matches!(text.get(at), Some(b'e' | b'E')) {
        return None;
    }
    at += 1;
    if matches!(text.get(at), Some(b'+' | b'-')) {
        at += 1;
    }
    let exponent = digits(at);
    if exponent == 0 {
        return None;
    }
    at += exponent;
    for suffix in [b"f32", b"f64"] {
        if text[at..].starts_with(suffix) {
            at += 3;
        }
    }
    let ends_word = text
        .get(at)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    ends_word.then_some(at)
}
