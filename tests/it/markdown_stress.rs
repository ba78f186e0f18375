//! Hostile inputs: deep nesting, long runs of markup characters, huge words and tables.
//! Each must lay out without blowing the stack or taking long, and still fit its width.

use std::time::{Duration, Instant};

use folio::markdown::layout;
use folio::markdown::parse::parse_markdown;

/// Generous for a debug build on a busy machine; the point is "not quadratic".
const LIMIT: Duration = Duration::from_secs(60);

fn survives(name: &str, markdown: &str) {
    survives_at(name, markdown, &[1, 40]);
}

fn survives_at(name: &str, markdown: &str, widths: &[usize]) {
    for &width in widths {
        let started = Instant::now();
        let doc = parse_markdown(markdown);
        let l = layout(&doc, width);
        let took = started.elapsed();
        assert!(took < LIMIT, "{name} at width {width} took {took:?}");
        for line in &l.lines {
            assert!(line.width() <= width, "{name}: row wider than {width}");
        }
        assert!(!l.lines.is_empty(), "{name}: nothing laid out");
    }
}

#[test]
fn twenty_thousand_nested_quotes() {
    survives("quotes", &format!("{} deep", "> ".repeat(20_000)));
}

#[test]
fn three_thousand_nested_lists() {
    let mut md = String::new();
    for depth in 0..3_000 {
        md.push_str(&" ".repeat(depth * 2));
        md.push_str("- item\n");
    }
    survives("lists", &md);
    survives("lists on one line", &format!("{}x", "- ".repeat(3_000)));
}

#[test]
fn fifty_thousand_stars_and_brackets() {
    survives("stars", &"*".repeat(50_000));
    survives("brackets", &"[".repeat(50_000));
    survives("mixed", &"*a_[`".repeat(10_000));
}

#[test]
fn five_megabyte_word() {
    // At width 1 this is five million rows: linear, but slow in a debug build.
    survives_at("word", &"x".repeat(5_000_000), &[40]);
    survives_at("word", &"x".repeat(200_000), &[1]);
}

#[test]
fn fifty_thousand_row_table() {
    let mut md = String::from("| a | b | c |\n|---|:-:|--:|\n");
    for i in 0..50_000 {
        md.push_str(&format!("| {i} | cell {i} | more text here |\n"));
    }
    survives("rows", &md);
}

#[test]
fn two_hundred_column_table() {
    let row = |s: &str| format!("|{}\n", format!(" {s} |").repeat(200));
    let md = format!("{}{}{}", row("head"), row("---"), row("value").repeat(50));
    survives("columns", &md);
}

#[test]
fn huge_code_block_with_long_lines() {
    let line = format!("{}\n", "let x = 1;\t".repeat(500));
    survives("code", &format!("```rust\n{}```\n", line.repeat(200)));
}
