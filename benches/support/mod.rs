//! The standard benchmark corpus (../shared/bench/gen_corpus.py): taken from `FOLIO_CORPUS`,
//! `bench/out/corpus` (where bench/run.sh writes it) or `target/bench-corpus`, and generated
//! into the last when none has what a bench needs.

#![allow(dead_code)] // each bench uses part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

/// A corpus folder with the 10,000- and 100,000-article libraries.
pub fn dir() -> PathBuf {
    find_or_generate("lib100k", true)
}

/// A corpus folder with `medium.md` and `big.md` (the 100,000-article library is not needed).
pub fn documents() -> PathBuf {
    find_or_generate("big.md", false)
}

fn find_or_generate(needed: &str, big_lib: bool) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = std::env::var_os("FOLIO_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root.join("bench/out/corpus"),
            root.join("target/bench-corpus"),
        ]);
    for dir in candidates {
        if dir.join(needed).exists() {
            return dir;
        }
    }
    let dir = root.join("target/bench-corpus");
    let script = root.join("../shared/bench/gen_corpus.py");
    let mut command = Command::new("python3");
    command.arg(&script).arg(&dir);
    if big_lib {
        command.arg("--big-lib");
    }
    match command.status() {
        Ok(s) if s.success() => dir,
        other => panic!("could not run {}: {other:?}", script.display()),
    }
}

pub fn read(name: &str) -> String {
    let path = documents().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
