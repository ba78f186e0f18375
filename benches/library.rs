//! Scanning a library and filtering its titles: `cargo bench --bench library`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::library::{self, SortKey};
use folio::search::{Searcher, Tricks};

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
            |mut s| {
                // The searcher is returned, so that freeing it is not timed.
                let n = s.filter(black_box("r")).len();
                (s, n)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("three letters from scratch", |b| {
        b.iter_batched(
            || Searcher::new(&titles),
            |mut s| {
                // The searcher is returned, so that freeing it is not timed.
                let n = s.filter(black_box("ren")).len();
                (s, n)
            },
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
            |mut s| {
                // The searcher is returned, so that freeing it is not timed.
                let n = s.filter(black_box("ren")).len();
                (s, n)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("prepare titles", |b| {
        b.iter(|| Searcher::new(&titles).len())
    });
    group.finish();
}

/// What each of the matcher's speed-ups is worth, and the `nucleo` crate (helix's threaded,
/// incremental picker engine) doing the same work, for bench/RESULTS.md.
fn tricks(c: &mut Criterion) {
    let lib = library::load(&corpus::dir().join("lib100k"), SortKey::Date).expect("corpus loads");
    let titles: Vec<&str> = lib.articles.iter().map(|a| a.meta.title.as_str()).collect();
    let mut group = c.benchmark_group("filter 100k titles, tricks");
    let plain = Tricks { trail: false };
    for (name, tricks) in [("all tricks", Tricks::default()), ("no tricks", plain)] {
        for query in ["r", "ren"] {
            group.bench_function(format!("{name}: {query:?} from scratch"), |b| {
                b.iter_batched(
                    || Searcher::with_tricks(&titles, tricks),
                    |mut s| {
                        // The searcher is returned, so that freeing it is not timed.
                        let n = s.filter(black_box(query)).len();
                        (s, n)
                    },
                    criterion::BatchSize::LargeInput,
                )
            });
        }
        // Backspace after typing `ren`: back to `re`.
        group.bench_function(format!("{name}: backspace ren → re"), |b| {
            b.iter_batched(
                || {
                    let mut s = Searcher::with_tricks(&titles, tricks);
                    s.filter("r");
                    s.filter("re");
                    s.filter("ren");
                    s
                },
                |mut s| {
                    // The searcher is returned, so that freeing it is not timed.
                    let n = s.filter(black_box("re")).len();
                    (s, n)
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    // nucleo: the titles injected once (not timed), then a new pattern matched to completion
    // on its own two threads, and the matches read in order, as a list would.
    for query in ["r", "ren"] {
        group.bench_function(format!("nucleo: {query:?} from scratch"), |b| {
            b.iter_batched(
                || {
                    let mut nucleo = nucleo::Nucleo::new(
                        nucleo::Config::DEFAULT,
                        std::sync::Arc::new(|| {}),
                        Some(2),
                        1,
                    );
                    let injector = nucleo.injector();
                    for (i, title) in titles.iter().enumerate() {
                        injector.push(i, |_, cells| cells[0] = (*title).into());
                    }
                    while nucleo.tick(10).running {}
                    nucleo
                },
                |mut nucleo| {
                    nucleo.pattern.reparse(
                        0,
                        black_box(query),
                        nucleo::pattern::CaseMatching::Ignore,
                        nucleo::pattern::Normalization::Smart,
                        false,
                    );
                    while nucleo.tick(10).running {}
                    let sum = nucleo
                        .snapshot()
                        .matched_items(..)
                        .map(|item| *item.data)
                        .fold(0usize, usize::wrapping_add);
                    // Returned, so that freeing it is not timed.
                    (nucleo, sum)
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, scan, filter, tricks);
criterion_main!(benches);
