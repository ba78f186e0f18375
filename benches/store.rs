//! The state store at library scale: `cargo bench --bench store`. A store holding 100,000
//! article states: the list's batch read, one position write, opening (with its quick_check).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::store::{ArticleKey, ContentHash, Position, Store};

const ARTICLES: u64 = 100_000;

fn keys(root: &std::path::Path) -> Vec<ArticleKey> {
    (0..ARTICLES)
        .map(|i| ArticleKey {
            path: root.join(format!("section-{}/article-{i:06}.md", i % 100)),
            hash: ContentHash(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        })
        .collect()
}

fn store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("lib100k");
    let state = dir.path().join("state");
    let keys = keys(&root);
    let paths: Vec<PathBuf> = keys.iter().map(|k| k.path.clone()).collect();
    let mut store = Store::open_in(&state).expect("open").store;
    // Every article has a state: the worst case for the batch read (usually only those opened
    // or marked have one).
    store.set_read(&keys, true).expect("fill");
    store
        .new_since_last_run(&root, &keys)
        .expect("record the seen set");

    let mut group = c.benchmark_group("store 100k");
    group.sample_size(10);
    group.bench_function("batch read of 100,000 states", |b| {
        b.iter(|| {
            store
                .states(black_box(&root), black_box(&paths), |_| None)
                .map(|s| s.len())
        })
    });
    group.bench_function("new since last run, nothing changed", |b| {
        b.iter(|| {
            store
                .new_since_last_run(black_box(&root), &keys)
                .map(|s| s.len())
        })
    });
    group.bench_function("open (quick_check included)", |b| {
        b.iter(|| Store::open_in(black_box(&state)).map(|o| o.notice.is_none()))
    });
    group.finish();

    let mut group = c.benchmark_group("store write");
    let mut offset = 0;
    group.bench_function("set position (one transaction)", |b| {
        b.iter(|| {
            offset += 1;
            store.set_position(
                &keys[7],
                &Position {
                    heading: Some("a-heading".into()),
                    offset,
                },
                0.5,
            )
        })
    });
    group.bench_function("mark read (one transaction)", |b| {
        b.iter(|| store.set_read(std::slice::from_ref(&keys[9]), true))
    });
    group.finish();
}

criterion_group!(benches, store);
criterion_main!(benches);
