//! The interactive run loop: load, take the terminal, draw, read keys, perform effects.

use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let _ = path;
    unimplemented!("tui helper")
}
