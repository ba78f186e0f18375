//! Scanning a library and filtering its titles: `cargo bench --bench library`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::library::{self, SortKey};
use folio::search::Searcher;

mod support;
use support as corpus;

fn scan(c: &mut Criterion) {
    let dir = corpus::dir();
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    for name in ["lib10k", "lib100k"] {
        let path = dir.join(name);
        group.bench_function(name, |b| {
            b.iter(|| library::load(black_box(&path), SortKey::Date).map(|l| l.articles.len()))
        });
    }
    group.finish();
}

fn filter(c: &mut Criterion) {
    let lib = library::load(&corpus::dir().join("lib100k"), SortKey::Date).expect("corpus loads");
    let titles: Vec<&str> = lib.articles.iter().map(|a| a.meta.title.as_str()).collect();
    let mut group = c.benchmark_group("filter 100k titles");
    // The first keystroke scans every title.
    group.bench_function("first keystroke", |b| {
        b.iter_batched(
            || Searcher::new(&titles),
            |mut s| s.filter(black_box("r")).len(),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("three letters from scratch", |b| {
        b.iter_batched(
            || Searcher::new(&titles),
            |mut s| s.filter(black_box("ren")).len(),
            criterion::BatchSize::LargeInput,
        )
    });
    // Typing on narrows the previous matches.
    group.bench_function("next keystroke", |b| {
        b.iter_batched(
            || {
                let mut s = Searcher::new(&titles);
                s.filter("re");
                s
            },
            |mut s| s.filter(black_box("ren")).len(),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("prepare titles", |b| {
        b.iter(|| Searcher::new(&titles).len())
    });
    group.finish();
}

criterion_group!(benches, scan, filter);
criterion_main!(benches);
