//! The interactive command's failures before it takes the terminal: one line, exit status 2.

use assert_cmd::Command;
use predicates::prelude::*;

mod support;

fn folio() -> Command {
    let mut cmd = Command::cargo_bin("folio").expect("the folio binary");
    cmd.envs(support::private_env());
    for name in support::USER_ENV {
        cmd.env_remove(name);
    }
    cmd
}

#[test]
fn a_missing_folder_is_a_one_line_error_with_status_2() {
    folio()
        .arg("/no/such/folder/for/folio")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("folio: "))
        .stderr(predicate::str::contains("no such file or folder"))
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
}

#[test]
fn a_file_that_is_not_markdown_is_refused_before_the_terminal_is_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "hello").expect("write");
    folio()
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a Markdown file"));
}

#[test]
fn without_a_terminal_the_reader_says_what_to_use_instead() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.md"), "# A\n").expect("write");
    folio()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("folio list"));
}

#[test]
fn a_bad_folio_width_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    folio()
        .arg(dir.path())
        .env("FOLIO_WIDTH", "wide")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FOLIO_WIDTH"));
}
