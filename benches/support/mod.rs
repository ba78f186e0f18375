//! The standard benchmark corpus (../shared/bench/gen_corpus.py), generated once into
//! `target/bench-corpus`, or taken from `FOLIO_CORPUS` when set.

#![allow(dead_code)] // each bench uses part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpus folder, generating it (with the 100,000-article library) when missing.
pub fn dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FOLIO_CORPUS") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-corpus");
    if !dir.join("lib100k").is_dir() {
        let script = root.join("../shared/bench/gen_corpus.py");
        let status = Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .arg("--big-lib")
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!("could not run {}: {other:?}", script.display()),
        }
    }
    dir
}

pub fn read(name: &str) -> String {
    let path = dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
