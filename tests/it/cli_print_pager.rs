//! `folio print --pager`: the page goes through `$PAGER` (split as a shell would, never run by
//! one), coloured and at the terminal's width; a pager that cannot start is a clear error.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli_print::{assert_fits, strip_sgr};
use crate::support::{self, quote};

/// A scratch folder with an article and `record.sh`, a pager that writes its arguments (one a
/// line), `$LESS` and its input into files beside it.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let fixture = Fixture { dir };
        let paragraph = "Pagers show long pages one screen at a time, and this sentence is long \
                         enough to wrap at any terminal width a test uses. "
            .repeat(3);
        fs::write(
            fixture.path("article.md"),
            format!(
                "---\ntitle: Paged Article\n---\n\n## A Heading\n\n{paragraph}\n\n\
                 ```rust\nfn main() {{}}\n```\n\nSee [the site](https://example.org/paged).\n"
            ),
        )
        .expect("article");
        fixture.script(
            "record.sh",
            &format!(
                "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > {argv}\n\
                 printf '%s' \"$LESS\" > {less}\ncat > {input}\n",
                argv = quote(&fixture.path("argv")),
                less = quote(&fixture.path("less-env")),
                input = quote(&fixture.path("input")),
            ),
        );
        fixture
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn script(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, text).expect("script");
        let mut perms = fs::metadata(&path).expect("meta").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        fs::set_permissions(&path, perms).expect("chmod");
        path
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn folio(&self) -> assert_cmd::Command {
        let mut cmd = support::folio_in(self.dir.path());
        cmd.env_remove("NO_COLOR").env_remove("LESS");
        cmd
    }
}

#[test]
fn the_page_goes_to_the_pager_in_colour_with_its_words_split_and_no_shell() {
    let fixture = Fixture::new();
    let pwned = fixture.path("pwned");
    let pager = format!(
        "{} --first 'two words' ;touch {}",
        quote(&fixture.path("record.sh")),
        pwned.display()
    );
    for flag in ["-p", "--pager"] {
        let out = fixture
            .folio()
            .env("PAGER", &pager)
            .args(["print", flag])
            .arg(fixture.path("article.md"))
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.is_empty(),
            "the page went to the pager, not stdout"
        );
        let argv: Vec<String> = fixture.read("argv").lines().map(str::to_owned).collect();
        assert_eq!(
            argv,
            [
                "--first",
                "two words",
                ";touch",
                &pwned.display().to_string()
            ]
        );
        assert!(!pwned.exists(), "$PAGER was run through a shell");
        let input = fixture.read("input");
        assert!(input.contains("\x1b["), "not coloured: {input:?}");
        let plain = strip_sgr(&input);
        assert!(plain.contains("Paged Article") && plain.contains("A Heading"));
        assert!(plain.contains("[1] https://example.org/paged"), "{plain}");
        // `PAGER=less` keeps the colours, as git sees to.
        assert_eq!(fixture.read("less-env"), "R");
    }
    // A user's own LESS is left alone; --color never still pages plain text.
    let out = fixture
        .folio()
        .env("PAGER", fixture.path("record.sh"))
        .env("LESS", "-S")
        .args(["print", "--pager", "--color", "never"])
        .arg(fixture.path("article.md"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(fixture.read("less-env"), "-S");
    assert!(!fixture.read("input").contains('\x1b'));
}

#[test]
fn without_pager_set_it_is_less_dash_r() {
    let fixture = Fixture::new();
    let bin = fixture.path("bin");
    fs::create_dir(&bin).expect("bin");
    fs::copy(fixture.path("record.sh"), bin.join("less")).expect("fake less");
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    for pager in [None, Some(""), Some("   ")] {
        let mut cmd = fixture.folio();
        cmd.env("PATH", &path);
        match pager {
            Some(value) => cmd.env("PAGER", value),
            None => cmd.env_remove("PAGER"),
        };
        let out = cmd
            .args(["print", "-p"])
            .arg(fixture.path("article.md"))
            .output()
            .expect("runs");
        assert!(out.status.success(), "{pager:?}");
        assert_eq!(fixture.read("argv"), "-R\n", "{pager:?}");
        assert!(fixture.read("input").contains("Paged Article"));
    }
}

#[test]
fn a_pager_that_cannot_start_is_a_clear_error() {
    let fixture = Fixture::new();
    let cases = [
        (
            "/no/such/pager -x",
            "could not start the pager `/no/such/pager -x`",
        ),
        ("less 'unbalanced", "cannot read $PAGER"),
    ];
    for (pager, expected) in cases {
        let out = fixture
            .folio()
            .env("PAGER", pager)
            .args(["print", "--pager"])
            .arg(fixture.path("article.md"))
            .output()
            .expect("runs");
        // Not a usage error: the command line was right, the pager was not there.
        assert_eq!(out.status.code(), Some(1), "{pager}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("folio: ") && stderr.contains(expected),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn the_pager_gets_the_terminals_width() {
    if !support::have_tmux() {
        return;
    }
    let fixture = Fixture::new();
    let width = 64;
    let command = format!(
        "env PAGER={pager} {bin} print -p {file}; echo PAGED; sleep 60",
        pager = quote(&fixture.path("record.sh")),
        bin = quote(&assert_cmd::cargo::cargo_bin("folio")),
        file = quote(&fixture.path("article.md")),
    );
    let tmux = support::Tmux::start(&command, width, 20);
    tmux.wait_for("PAGED");
    let page = strip_sgr(&fixture.read("input"));
    assert_fits(&page, usize::from(width), Path::new("article.md"));
    assert!(
        page.lines()
            .any(|l| folio::text::display_width(l) > usize::from(width) - 12),
        "not laid out at the terminal's width:\n{page}"
    );
}
