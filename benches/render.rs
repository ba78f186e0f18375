//! Parse + layout of the benchmark corpus's 100 KB and 2 MB documents, with and without code
//! highlighting (the first time, and again from the session's cache), at the default reading
//! width; layout alone with each way of filling prose.
//!
//! The documents come from `../shared/bench/gen_corpus.py` (deterministic), found or generated
//! by the `support` module.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use folio::library::Meta;
use folio::markdown::highlight::{clear_cache, highlight_document};
use folio::markdown::parse::{Options, parse_article_with};
use folio::markdown::{Wrap, layout, layout_with};

mod support;

const WIDTH: usize = 100;

fn render(c: &mut Criterion) {
    let meta = Meta::default();
    for name in ["medium", "big"] {
        let text = support::read(&format!("{name}.md"));
        let mut group = c.benchmark_group(name);
        group.sample_size(20);
        group.throughput(Throughput::Bytes(text.len() as u64));
        // The first opening of a document: nothing in the session's highlight cache.
        group.bench_function("parse+layout (highlighted, cold)", |b| {
            b.iter(|| {
                clear_cache();
                layout(
                    &parse_article_with(&meta, &text, Options { highlight: true }),
                    WIDTH,
                )
            })
        });
        let plain = parse_article_with(&meta, &text, Options { highlight: false });
        group.bench_function("highlight only (cold)", |b| {
            b.iter_batched(
                || plain.clone(),
                |mut doc| {
                    clear_cache();
                    highlight_document(&mut doc);
                    doc
                },
                criterion::BatchSize::LargeInput,
            )
        });
        // Reopening: every block comes from the cache.
        group.bench_function("parse+layout (highlighted)", |b| {
            b.iter(|| {
                layout(
                    &parse_article_with(&meta, &text, Options { highlight: true }),
                    WIDTH,
                )
            })
        });
        group.bench_function("parse+layout (plain)", |b| {
            b.iter(|| {
                layout(
                    &parse_article_with(&meta, &text, Options { highlight: false }),
                    WIDTH,
                )
            })
        });
        let doc = parse_article_with(&meta, &text, Options { highlight: true });
        group.bench_function("layout only", |b| b.iter(|| layout(&doc, WIDTH)));
        group.bench_function("layout only (greedy)", |b| {
            b.iter(|| layout_with(&doc, WIDTH, Wrap::Greedy))
        });
        group.finish();
    }
}

/// Hostile shapes at about `bytes` bytes: one long paragraph, a staircase of ever deeper list
/// items, a wide table, and a thousand-fold of footnotes.
fn shape(name: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 64);
    let mut i = 0usize;
    while out.len() < bytes {
        match name {
            "paragraph" => out.push_str(if i % 7 == 0 { "*word* " } else { "word " }),
            "nesting" => {
                out.push_str(&"  ".repeat(i));
                out.push_str("- item\n");
            }
            "table" => {
                if i == 0 {
                    out.push_str("| a | b | c | d | e |\n|---|---|---|---|---|\n");
                }
                out.push_str(&format!(
                    "| {i} | two | three `x` | **four** | [l](https://e.org/{i}) |\n"
                ));
            }
            _ => out.push_str(&format!("Text[^{i}] and more.\n\n[^{i}]: Note {i}.\n\n")),
        }
        i += 1;
    }
    out
}

/// Time per byte at N and 4N: a ratio far above one would mean worse than linear.
fn hostile(c: &mut Criterion) {
    let meta = Meta::default();
    for name in ["paragraph", "nesting", "table", "footnotes"] {
        let mut group = c.benchmark_group(format!("hostile/{name}"));
        group.sample_size(10);
        for size in [256 * 1024, 1024 * 1024, 4096 * 1024] {
            let text = shape(name, size);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(format!("{}K", size / 1024), |b| {
                b.iter(|| {
                    layout(
                        &parse_article_with(&meta, &text, Options { highlight: false }),
                        WIDTH,
                    )
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, render, hostile);
criterion_main!(benches);
