//! `folio print` with themes: `--theme`, `FOLIO_THEME`, user theme files, colour depth, and the
//! light theme's promise (no white text, no black background) over every bundled article.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::cargo_bin;

use crate::support;

/// folio with a private home, so no user configuration or theme leaks in.
fn folio(home: &Path) -> Command {
    let mut cmd = Command::new(cargo_bin("folio"));
    for var in ["NO_COLOR", "FOLIO_THEME", "COLORFGBG", "COLORTERM"] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("TERM", "xterm-256color");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run folio: {e}"))
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
    assert!(!files.is_empty());
    files
}

/// An article with code, so highlighting shows.
fn article_with_code() -> PathBuf {
    articles()
        .into_iter()
        .find(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .contains("```rust")
        })
        .unwrap_or_else(|| panic!("no article with a rust block"))
}

/// Every SGR parameter list in `text`.
fn sgr_params(text: &str) -> Vec<Vec<u16>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        let seq = &rest[at + 2..];
        let end = seq
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(seq.len());
        if seq[end..].starts_with('m') {
            out.push(
                seq[..end]
                    .split(';')
                    .map(|p| p.parse().unwrap_or(0))
                    .collect(),
            );
        }
        rest = &seq[end..];
    }
    out
}

/// The (foreground, background) colours each SGR sets, as RGB.
fn colours(params: &[u16]) -> Vec<(bool, (u8, u8, u8))> {
    let indexed = |i: u16| support::xterm_rgb(u8::try_from(i).unwrap_or(0));
    let mut out = Vec::new();
    let mut i = 0;
    while i < params.len() {
        let p = params[i];
        match p {
            30..=37 => out.push((true, indexed(p - 30))),
            90..=97 => out.push((true, indexed(p - 90 + 8))),
            40..=47 => out.push((false, indexed(p - 40))),
            100..=107 => out.push((false, indexed(p - 100 + 8))),
            38 | 48 => {
                let fg = p == 38;
                match params.get(i + 1) {
                    Some(5) => {
                        out.push((fg, indexed(params.get(i + 2).copied().unwrap_or(0))));
                        i += 2;
                    }
                    Some(2) => {
                        let c = |k: usize| params.get(i + k).copied().unwrap_or(0) as u8;
                        out.push((fg, (c(2), c(3), c(4))));
                        i += 4;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

#[test]
fn the_light_theme_prints_no_white_text_and_no_dark_background() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for colorterm in ["truecolor", ""] {
        for file in articles() {
            let out = run(folio(home.path())
                .env("COLORTERM", colorterm)
                .args(["print", "--color", "always", "--theme", "light"])
                .arg(&file));
            assert!(out.status.success(), "{}", file.display());
            let text = String::from_utf8_lossy(&out.stdout);
            let params = sgr_params(&text);
            assert!(!params.is_empty(), "{} has no colour", file.display());
            for p in &params {
                assert!(
                    !p.contains(&37) && !p.contains(&97) && !p.contains(&40),
                    "{}: white text or black background: {p:?}",
                    file.display()
                );
                for (fg, rgb) in colours(p) {
                    let l = luminance(rgb);
                    if fg {
                        // At least 3:1 against white.
                        assert!(
                            1.05 / (l + 0.05) >= 3.0,
                            "{}: pale text {p:?}",
                            file.display()
                        );
                    } else {
                        assert!(l > 0.6, "{}: dark background {p:?}", file.display());
                    }
                }
            }
        }
    }
}

#[test]
fn the_flag_beats_the_environment() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = article_with_code();
    let print = |flag: Option<&str>, env: Option<&str>| {
        let mut cmd = folio(home.path());
        cmd.env("COLORTERM", "truecolor")
            .args(["print", "--color", "always"]);
        if let Some(theme) = flag {
            cmd.args(["--theme", theme]);
        }
        if let Some(theme) = env {
            cmd.env("FOLIO_THEME", theme);
        }
        let out = run(cmd.arg(&file));
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dark = print(Some("dark"), None);
    let light = print(Some("light"), None);
    assert_ne!(dark, light);
    assert_eq!(print(None, Some("light")), light);
    assert_eq!(print(Some("dark"), Some("light")), dark);
    // Highlighted code: the dark theme's keyword colour is there.
    assert!(dark.contains("\x1b[38;2;175;95;215m"), "no keyword colour");
}

#[test]
fn without_truecolor_colours_come_from_the_256_palette() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = run(folio(home.path())
        .args(["print", "--color", "always", "--theme", "dark"])
        .arg(article_with_code()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("38;2;"), "24-bit colour without COLORTERM");
    assert!(text.contains("38;5;"), "no 256-palette colour");
    let linux = run(folio(home.path())
        .env("TERM", "linux")
        .args(["print", "--color", "always", "--theme", "dark"])
        .arg(article_with_code()));
    let text = String::from_utf8_lossy(&linux.stdout);
    assert!(
        !text.contains("38;5;") && !text.contains("38;2;"),
        "more than 16 colours"
    );
}

#[test]
fn a_user_theme_applies_and_a_broken_one_warns_and_falls_back() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let themes = home.path().join("config/folio/themes");
    std::fs::create_dir_all(&themes).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        themes.join("mine.toml"),
        "inherits = \"light\"\n\"heading\" = { fg = \"#123456\", bold = true }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        themes.join("broken.toml"),
        "heading = { fg = \"nope\" }\n[x\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let file = article_with_code();
    let mine = run(folio(home.path())
        .env("COLORTERM", "truecolor")
        .args(["print", "--color", "always", "--theme", "mine"])
        .arg(&file));
    assert!(mine.status.success());
    assert!(
        mine.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&mine.stderr)
    );
    assert!(String::from_utf8_lossy(&mine.stdout).contains("38;2;18;52;86"));

    let broken = run(folio(home.path())
        .args(["print", "--color", "always", "--theme", "broken"])
        .arg(&file));
    assert!(broken.status.success());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("broken.toml:2"), "{stderr}");
    assert!(!String::from_utf8_lossy(&broken.stdout).is_empty());
}

#[test]
fn no_color_and_color_never_stay_plain_enough() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = article_with_code();
    let never = run(folio(home.path())
        .args(["print", "--color", "never", "--theme", "light"])
        .arg(&file));
    assert!(!String::from_utf8_lossy(&never.stdout).contains('\x1b'));
    let no_color = run(folio(home.path())
        .env("NO_COLOR", "1")
        .env("COLORTERM", "truecolor")
        .args(["print", "--color", "always", "--theme", "dark"])
        .arg(&file));
    let text = String::from_utf8_lossy(&no_color.stdout);
    for p in sgr_params(&text) {
        assert!(colours(&p).is_empty(), "a colour under NO_COLOR: {p:?}");
        assert!(!p.contains(&2), "dim under NO_COLOR: {p:?}");
    }
}
