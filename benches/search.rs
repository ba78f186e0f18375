//! The full-text index: building it, bringing it up to date, and one query: `cargo bench
//! --bench search`. The index lives in a scratch cache folder, as `folio search` keeps it.

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use folio::store::fts::{Index, Progress};

mod support;
use support as corpus;

/// An index of `lib` in a fresh cache folder, built.
fn built(lib: &Path) -> (tempfile::TempDir, Index) {
    let cache = tempfile::tempdir().expect("cache folder");
    let mut index = Index::open(Some(cache.path())).expect("index");
    index.sync(lib, &Progress::default()).expect("indexed");
    (cache, index)
}

fn build(c: &mut Criterion) {
    let lib = corpus::dir().join("lib10k");
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.bench_function("build lib10k from scratch", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("cache folder"),
            |cache| {
                let mut index = Index::open(Some(cache.path())).expect("index");
                index
                    .sync(black_box(&lib), &Progress::default())
                    .map(|s| s.read)
            },
            BatchSize::PerIteration,
        )
    });
    // A copy, so that changing a file leaves the shared corpus alone.
    let copy = tempfile::tempdir().expect("copy folder");
    for entry in std::fs::read_dir(&lib).expect("lib10k").flatten() {
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).expect("copy");
    }
    let lib = copy.path();
    let (_cache, mut index) = built(lib);
    group.bench_function("lib10k, nothing changed", |b| {
        b.iter(|| {
            index
                .sync(black_box(lib), &Progress::default())
                .map(|s| s.read)
        })
    });
    let file = std::fs::read_dir(lib)
        .expect("copy")
        .flatten()
        .map(|e| e.path())
        .min()
        .expect("an article");
    let text = std::fs::read_to_string(&file).expect("article");
    group.bench_function("lib10k, one file changed", |b| {
        let mut n = 0usize;
        b.iter_batched(
            || {
                // A different size each time, so the stamp always changes.
                n += 1;
                std::fs::write(&file, format!("{text}{}\n", " word".repeat(n % 7 + 1)))
                    .expect("write");
            },
            |()| {
                index
                    .sync(black_box(lib), &Progress::default())
                    .map(|s| s.read)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn query(c: &mut Criterion) {
    let lib = corpus::dir().join("lib100k");
    let (_cache, index) = built(&lib);
    let mut group = c.benchmark_group("query lib100k");
    for query in ["async trait", "\"memory stream\"", "lifeti*", "zeppelin"] {
        group.bench_function(query, |b| {
            b.iter(|| index.search(&lib, black_box(query), 50).map(|m| m.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, build, query);
criterion_main!(benches);
