//! TextMate scopes → folio's code tokens.
//!
//! Each scope of the stack is matched against a table of scope prefixes, and the longest
//! (most specific) prefix wins: Sublime's Rust grammar scopes a lifetime as
//! `storage.modifier.lifetime.rust`, so `storage.modifier.lifetime` → lifetime beats the
//! blanket `storage` → keyword. Across the stack the innermost scope with a rule wins (an
//! escape inside a string is an escape), except that a comment colours all of itself.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use syntect::parsing::Scope;

use crate::markdown::model::Token;

/// Scope prefix → token. Order does not matter: the longest matching prefix wins.
const RULES: &[(&str, Token)] = &[
    ("comment", Token::Comment),
    ("punctuation.definition.comment", Token::Comment),
    ("string", Token::String),
    // Rust's `r` of `r"…"`, Python's `f` of `f"…"`: part of the string.
    ("storage.type.string", Token::String),
    ("punctuation.definition.string", Token::String),
    ("constant.character.escape", Token::Escape),
    ("constant.other.placeholder", Token::Escape),
    ("constant.character.format", Token::Escape),
    ("constant.numeric", Token::Number),
    ("constant", Token::Constant),
    ("variable.other.constant", Token::Constant),
    ("support.constant", Token::Constant),
    ("entity.name.constant", Token::Constant),
    ("keyword", Token::Keyword),
    ("keyword.operator", Token::Operator),
    ("keyword.operator.word", Token::Keyword),
    ("keyword.operator.logical.python", Token::Keyword),
    ("storage", Token::Keyword),
    ("storage.type", Token::Keyword),
    ("storage.modifier.lifetime", Token::Lifetime),
    ("punctuation.definition.lifetime", Token::Lifetime),
    ("entity.name.lifetime", Token::Lifetime),
    ("entity.name.function", Token::Function),
    ("support.function", Token::Function),
    ("variable.function", Token::Function),
    ("entity.name.function.decorator", Token::Attribute),
    ("support.macro", Token::Macro),
    ("entity.name.macro", Token::Macro),
    ("support.function.macro", Token::Macro),
    ("variable.function.macro", Token::Macro),
    ("entity.name", Token::Type),
    ("entity.name.type", Token::Type),
    ("entity.other.inherited-class", Token::Type),
    ("support.type", Token::Type),
    ("support.class", Token::Type),
    ("storage.type.primitive", Token::Type),
    ("storage.type.numeric", Token::Type),
    ("entity.name.tag", Token::Key),
    ("meta.mapping.key", Token::Key),
    ("entity.other.attribute-name", Token::Attribute),
    ("meta.annotation", Token::Attribute),
    ("meta.attribute", Token::Attribute),
    ("punctuation.definition.annotation", Token::Attribute),
    ("punctuation.definition.attribute", Token::Attribute),
    ("variable.annotation", Token::Attribute),
    ("variable.language", Token::Variable),
    ("support.variable", Token::Variable),
    ("punctuation.definition.variable", Token::Variable),
    ("variable.other.readwrite.shell", Token::Variable),
    ("variable.parameter.option", Token::Constant),
    ("markup.inserted", Token::DiffAdded),
    ("punctuation.definition.inserted", Token::DiffAdded),
    ("markup.deleted", Token::DiffRemoved),
    ("punctuation.definition.deleted", Token::DiffRemoved),
    ("meta.diff", Token::DiffHeader),
    ("markup.heading", Token::Keyword),
    ("punctuation", Token::Punctuation),
    // A string's quotes are part of it; a placeholder's braces part of the placeholder.
    ("punctuation.definition.placeholder", Token::Escape),
    ("punctuation.section.interpolation", Token::Escape),
];

/// The rules as parsed scopes with their lengths in atoms.
static COMPILED: LazyLock<Vec<(Scope, usize, Token)>> = LazyLock::new(|| {
    RULES
        .iter()
        .filter_map(|(text, token)| {
            let scope = Scope::new(text).ok()?;
            Some((scope, scope.len() as usize, *token))
        })
        .collect()
});

/// Rules by scope. foldhash: a lookup is made for every scope of the stack at every change of
/// scope, and with SipHash the mapping of `medium.md`'s code to tokens took 6.2 million
/// instructions against 2.0 million now.
type Memo = HashMap<Scope, Option<(usize, Token)>, foldhash::fast::RandomState>;

thread_local! {
    /// A grammar reuses a few hundred scopes; each is matched against the table once.
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The most specific rule for one scope: its length in atoms and its token.
fn rule_for(scope: Scope) -> Option<(usize, Token)> {
    MEMO.with(|memo| {
        *memo.borrow_mut().entry(scope).or_insert_with(|| {
            COMPILED
                .iter()
                .filter(|(prefix, _, _)| prefix.is_prefix_of(scope))
                .max_by_key(|(_, len, _)| *len)
                .map(|(_, len, token)| (*len, *token))
        })
    })
}

/// The token of a piece of code whose scopes are `stack`, outermost first.
pub(crate) fn token_for(stack: &[Scope]) -> Option<Token> {
    let mut innermost = None;
    for scope in stack.iter().rev() {
        if let Some((_, token)) = rule_for(*scope) {
            match (innermost, token) {
                (_, Token::Comment) => return Some(token),
                (None, _) => innermost = Some(token),
                // The brackets of `#[…]` belong to the attribute, as quotes to their string.
                (Some(Token::Punctuation), Token::Attribute | Token::String) => {
                    innermost = Some(token);
                }
                _ => {}
            }
        }
    }
    innermost
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(scopes: &str) -> Option<Token> {
        let stack: Vec<Scope> = scopes
            .split_whitespace()
            .filter_map(|s| Scope::new(s).ok())
            .collect();
        token_for(&stack)
    }

    #[test]
    fn the_most_specific_scope_wins() {
        assert_eq!(
            token("source.rust storage.modifier.lifetime.rust"),
            Some(Token::Lifetime)
        );
        assert_eq!(
            token("source.rust storage.modifier.rust"),
            Some(Token::Keyword)
        );
        assert_eq!(
            token("source.rust keyword.operator.arithmetic.rust"),
            Some(Token::Operator)
        );
        assert_eq!(
            token("source.rust string.quoted.double.rust constant.character.escape.rust"),
            Some(Token::Escape)
        );
        assert_eq!(
            token("source.rust string.quoted.double.rust punctuation.definition.string.end.rust"),
            Some(Token::String)
        );
        assert_eq!(token("source.rust meta.block.rust"), None);
    }

    #[test]
    fn a_comment_colours_all_of_itself() {
        assert_eq!(
            token("source.python comment.line.number-sign.python markup.heading.python"),
            Some(Token::Comment)
        );
    }
}
