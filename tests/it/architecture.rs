//! The layering the code promises, checked on the source: the model and the drawing code do
//! no I/O, only `main` may end the process, and the model imports nothing above it.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The source without its `#[cfg(test)]` modules' files and comment lines.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = fs::read_to_string(path).expect("source file");
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim().to_owned()))
        .filter(|(_, l)| !l.starts_with("//"))
        .collect()
}

fn src(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)
}

#[test]
fn the_model_and_the_drawing_never_touch_the_disk_or_spawn() {
    let forbidden = [
        "std::fs",
        "fs::",
        "File::",
        "canonicalize",
        "read_dir",
        ".metadata(",
        "std::process",
        "std::thread",
        "std::net",
    ];
    let mut found = Vec::new();
    for dir in ["app", "ui"] {
        for file in rust_files(&src(dir)) {
            if file.ends_with("tests.rs") {
                continue;
            }
            for (n, line) in code_lines(&file) {
                for word in forbidden {
                    if line.contains(word) {
                        found.push(format!("{}:{n}: {line}", file.display()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "I/O in the model or the drawing:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_main_ends_the_process() {
    let mut found = Vec::new();
    for file in rust_files(&src("")) {
        if file.ends_with("main.rs") {
            continue;
        }
        for (n, line) in code_lines(&file) {
            if line.contains("process::exit") {
                found.push(format!("{}:{n}: {line}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "process::exit outside main:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_model_imports_nothing_above_it() {
    let above = ["crate::tui", "crate::cli", "crate::commands", "crate::ui::"];
    let mut found = Vec::new();
    for file in rust_files(&src("app")) {
        if file.ends_with("tests.rs") {
            continue;
        }
        for (n, line) in code_lines(&file) {
            for word in above {
                // The theme is data the model carries, not drawing code.
                if line.contains(word) && !line.contains("crate::ui::theme") {
                    found.push(format!("{}:{n}: {line}", file.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "app/ reaches up:\n{}", found.join("\n"));
}
