//! A broken front-matter value is reported at the line of the file that holds it, whatever the
//! line endings and whichever line of the block it is on.

use folio::library;

/// The problem folio reports for a file with `text`, written once with `\n` and once with
/// `\r\n` line endings; both must say the same.
fn problem_of(text: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut seen = Vec::new();
    for (name, text) in [
        ("lf.md", text.to_owned()),
        ("crlf.md", text.replace('\n', "\r\n")),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let (article, _) = library::read_article(&path).expect("readable");
        seen.push(article.problems.join("; "));
    }
    assert_eq!(seen[0], seen[1], "LF and CRLF disagree for {text:?}");
    seen.swap_remove(0)
}

fn assert_line(text: &str, format: &str, line: usize) {
    let problem = problem_of(text);
    let want = format!("invalid {format} front matter at line {line}: ");
    assert!(problem.starts_with(&want), "{text:?}: {problem:?}");
}

#[test]
fn a_yaml_error_on_the_first_front_matter_line_is_line_2() {
    // Regression: `title: "unclosed` on line 2 was reported at line 4.
    assert_line(
        "---\ntitle: \"unclosed\ndate: 2020-01-01\n---\n# Body\n",
        "YAML",
        2,
    );
    assert_line("---\ntitle: [a, b\n---\n", "YAML", 2);
    assert_line("---\ntitle: a: b\nx: 1\n---\n", "YAML", 2);
}

#[test]
fn a_yaml_error_on_the_second_front_matter_line_is_line_3() {
    assert_line("---\ntitle: ok\ndate: 'never closed\n---\n", "YAML", 3);
    assert_line("---\ntitle: ok\ndate: {a: b\nx: 1\n---\n", "YAML", 3);
    assert_line("---\ntitle: ok\nno colon here\nx: 1\n---\n", "YAML", 3);
}

#[test]
fn a_yaml_error_on_the_last_front_matter_line_names_that_line() {
    assert_line("---\ntitle: ok\ndate: ok\nlast: \"x\n---\n", "YAML", 4);
    assert_line("---\ntitle: ok\ndate: ok\nlast: [x\n\n---\n", "YAML", 4);
    assert_line("---\ntitle: ok\ndate: ok\n- stray\n---\n", "YAML", 4);
}

#[test]
fn a_toml_error_names_its_line() {
    assert_line("+++\ntitle = \n+++\n", "TOML", 2);
    assert_line("+++\ntitle = \"ok\"\ndate = nope\n+++\n", "TOML", 3);
    assert_line(
        "+++\ntitle = \"ok\"\ndraft = false\nlast = \"x\n+++\n",
        "TOML",
        4,
    );
    assert_line(
        "+++\ntitle = \"ok\"\nlast = \"\"\"never closed\n+++\n",
        "TOML",
        3,
    );
}

#[test]
fn a_byte_order_mark_does_not_shift_the_line() {
    assert_line("\u{feff}---\ntitle: \"x\n---\n", "YAML", 2);
}
