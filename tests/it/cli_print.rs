//! `folio print` end to end: every article of ./articles at three widths, colour modes,
//! the link list, errors and a closed pipe.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin;
use folio::text::display_width;

use crate::support;

fn folio() -> Command {
    let mut cmd = Command::new(cargo_bin("folio"));
    cmd.env_remove("NO_COLOR");
    cmd.envs(support::private_env());
    for name in support::USER_ENV {
        cmd.env_remove(name);
    }
    cmd
}

fn articles() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    assert!(
        files.len() >= 12,
        "expected at least 12 articles in {}, found {}",
        dir.display(),
        files.len()
    );
    files
}

fn print(file: &PathBuf, width: usize, color: &str) -> String {
    let out = folio()
        .args(["print", "--width", &width.to_string(), "--color", color])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run folio: {e}"));
    assert!(
        out.status.success(),
        "{} at {width}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("output is not UTF-8: {e}"))
}

/// Removes SGR sequences, failing on any other escape.
pub(crate) fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let seq = &rest[at + 1..];
        assert!(
            seq.starts_with('['),
            "escape that is not CSI: {:?}",
            &seq[..seq.len().min(10)]
        );
        let end = seq[1..]
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("unterminated escape"));
        assert_eq!(
            &seq[end..end + 1],
            "m",
            "escape that is not SGR: {:?}",
            &seq[..end + 1]
        );
        rest = &seq[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every line fits, except a link-list line whose URL alone is too long.
pub(crate) fn assert_fits(text: &str, width: usize, file: &Path) {
    let mut in_links = false;
    for line in text.lines() {
        if line == "Links" {
            in_links = true;
        }
        if display_width(line) <= width {
            continue;
        }
        let is_link_line = in_links
            && line
                .trim_start()
                .split_once("] ")
                .is_some_and(|(number, url)| number.starts_with('[') && !url.contains(' '));
        assert!(
            is_link_line,
            "{} at {width}: line is {} wide: {line:?}",
            file.display(),
            display_width(line)
        );
    }
}

#[test]
fn every_article_prints_within_its_width() {
    for file in articles() {
        for width in [40, 80, 120] {
            let text = print(&file, width, "never");
            assert!(
                !text.contains('\x1b'),
                "ESC in plain output of {}",
                file.display()
            );
            assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
            assert_fits(&text, width, &file);
            assert!(
                text.lines().count() > 3,
                "{} printed almost nothing",
                file.display()
            );
        }
    }
}

#[test]
fn links_are_listed_at_the_end() {
    for file in articles() {
        let source = std::fs::read_to_string(&file).unwrap_or_default();
        if !source.contains("](http") {
            continue;
        }
        let text = print(&file, 80, "never");
        let (_, list) = text
            .rsplit_once("\nLinks\n")
            .unwrap_or_else(|| panic!("{} has no link list", file.display()));
        let entries: Vec<&str> = list.lines().skip(1).collect();
        assert!(!entries.is_empty());
        for (i, entry) in entries.iter().enumerate() {
            let expected = format!("[{}] ", i + 1);
            assert!(entry.trim_start().starts_with(&expected), "{entry:?}");
        }
        assert!(entries.iter().any(|e| e.contains("http")));
    }
}

#[test]
fn color_always_writes_only_sgr_and_the_same_text() {
    for file in articles().iter().take(4) {
        let colored = print(file, 80, "always");
        assert!(colored.contains("\x1b["), "no colour in {}", file.display());
        let plain = print(file, 80, "never");
        assert_eq!(strip_sgr(&colored), plain);
    }
}

#[test]
fn color_auto_in_a_pipe_is_plain() {
    let file = &articles()[0];
    let text = print(file, 80, "auto");
    assert!(!text.contains('\x1b'));
}

#[test]
fn default_width_in_a_pipe_is_eighty() {
    let file = &articles()[0];
    let out = folio()
        .arg("print")
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_fits(&text, 80, file);
    assert!(text.lines().any(|l| display_width(l) > 60));
}

#[test]
fn missing_file_is_a_usage_error_on_one_line() {
    let out = folio()
        .args(["print", "/no/such/article.md"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
}

#[test]
fn non_markdown_file_is_a_usage_error() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let out = folio()
        .arg("print")
        .arg(manifest)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn a_folder_is_told_that_print_takes_one_article_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
    let out = folio()
        .arg("print")
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains("is a folder") && stderr.contains("takes one article file"),
        "{stderr}"
    );
    assert!(!stderr.contains("not a Markdown file"), "{stderr}");
    assert!(stderr.contains("folio list"), "{stderr}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("long.md");
    let paragraph = "Words that fill a pipe buffer quickly. ".repeat(40);
    std::fs::write(&file, format!("{paragraph}\n\n").repeat(2_000))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut child = folio()
        .args(["print", "--color", "never"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut first = [0u8; 16];
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read(&mut first);
        drop(stdout);
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn hostile_control_characters_never_reach_stdout() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("evil.md");
    std::fs::write(
        &file,
        "# Title \x1b]0;pwned\x07\n\nText \x1b[2J and [link](https://e.com/\x1b[31m) \x07\n\n\
         ```sh\nrm -rf /\x1b[8m hidden\t tab\n```\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = print(&file, 60, "never");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    let colored = print(&file, 60, "always");
    strip_sgr(&colored);
}

#[test]
fn problems_go_to_stderr_once_and_the_article_still_prints() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("broken.md");
    std::fs::write(&file, "---\ntitle: \"unterminated\n---\nBody text.\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = folio()
        .args(["print", "--color", "never"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Body text."));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn hugo_shortcodes_print_as_tags_code_and_images() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("hugo.md");
    std::fs::write(
        &file,
        "---\ntitle: Shortcodes\n---\n\n\
         {{< figure src=\"/img/a.png\" alt=\"A chart\" >}}\n\n\
         {{< highlight go >}}\nx := 1\n{{< /highlight >}}\n\n\
         {{< youtube\n  id=\"abc\"\n>}}\n\n\
         Write {{</* ref \"x.md\" */>}} to get [a link]({{< ref \"x.md\" >}}).\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = print(&file, 60, "never");
    let body: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(
        body,
        [
            "[image: A chart][1]",
            "",
            "  go",
            "  x := 1",
            "",
            "  youtube",
            "  {{< youtube",
            "    id=\"abc\"",
            "  >}}",
            "",
            "Write {{< ref \"x.md\" >}} to get a link[2].",
            "",
            "Links",
            "─────",
            "[1] /img/a.png",
            "[2] x.md",
        ],
        "{text}"
    );
    // The tag lines are dimmed: faint, never reflowed into the text around them.
    let colored = print(&file, 60, "always");
    assert!(colored.contains("\x1b[2m"), "{colored:?}");
    assert_eq!(strip_sgr(&colored), text);
}

#[test]
fn raw_html_links_and_images_print_in_the_link_list() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("html.md");
    std::fs::write(
        &file,
        "# Page\n\n<p align=\"center\"><img src=\"logo.png\" alt=\"Logo\"></p>\n\n\
         Read <a href=\"https://example.org/docs\">the docs</a>, not \
         <a href=\"javascript:alert(1)\">this</a>.<br>Press <kbd>q</kbd>.\
         <script>alert(2)</script>\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = print(&file, 60, "never");
    let lines: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(
        lines,
        [
            "[image: Logo][1]",
            "",
            "Read the docs[2], not this.",
            "Press q.",
            "",
            "Links",
            "─────",
            "[1] logo.png",
            "[2] https://example.org/docs",
        ],
        "{text}"
    );
}
