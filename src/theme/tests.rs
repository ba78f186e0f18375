//! Theme resolution: fallback along the dots, inheritance, user files and their errors,
//! colour depth, NO_COLOR, and the light theme's contrast.

use std::fs;

use ratatui::style::Color;

use super::*;

fn dark() -> Theme {
    Theme::built_in(Background::Dark, ColorDepth::TrueColor, false)
}

fn resolve(name: &str, dir: &Path) -> (Theme, Vec<String>) {
    Theme::resolve_with(name, Some(dir), ColorDepth::TrueColor, false, || {
        Background::Dark
    })
}

fn write_theme(dir: &Path, name: &str, text: &str) {
    let themes = dir.join("themes");
    fs::create_dir_all(&themes).unwrap_or_default();
    fs::write(themes.join(format!("{name}.toml")), text).unwrap_or_default();
}

#[test]
fn built_in_themes_read_without_warnings_and_name_only_real_meanings() {
    for (text, origin) in [(DARK, "dark"), (LIGHT, "light"), (NO_COLOR, "no_color")] {
        let mut warnings = Vec::new();
        let file = file::parse(text, origin, &mut warnings);
        assert_eq!(warnings, Vec::<String>::new());
        assert!(!file.entries.is_empty());
    }
}

#[test]
fn a_missing_meaning_falls_back_along_its_dots() {
    let theme = dark();
    // dark.toml has `heading` but no `heading.5`, `footnote` but no `footnote.ref`.
    assert_eq!(theme.get(Meaning::Heading5), theme.get(Meaning::Heading6));
    assert_eq!(
        theme.get(Meaning::Heading5).fg,
        Some(Color::LightMagenta),
        "heading.5 → heading"
    );
    assert_eq!(theme.get(Meaning::FootnoteRef).fg, Some(Color::Cyan));
    // `code.punctuation` → `code`; `ui.text` → nothing at all.
    assert_eq!(theme.get(Meaning::Punctuation), theme.get(Meaning::Code));
    assert_eq!(theme.get(Meaning::UiText), Style::default());
}

#[test]
fn a_token_colours_code_on_top_of_the_code_style() {
    let theme = dark();
    let keyword = TextStyle {
        token: Some(Token::Keyword),
        ..TextStyle::role(Role::CodeBlock)
    };
    assert_eq!(theme.text(&keyword).fg, Some(Color::Rgb(0xaf, 0x5f, 0xd7)));
    let punctuation = TextStyle {
        token: Some(Token::Punctuation),
        ..TextStyle::role(Role::CodeBlock)
    };
    assert_eq!(theme.text(&punctuation).fg, Some(Color::Gray));
}

#[test]
fn the_light_theme_is_readable_on_white() {
    let light = Theme::built_in(Background::Light, ColorDepth::TrueColor, false);
    let contrast_on_white = |color: Color| -> f64 {
        let (r, g, b) = match color {
            Color::Rgb(r, g, b) => (r, g, b),
            Color::Indexed(i) => ansi_colours::rgb_from_ansi256(i),
            other => panic!("light.toml should use exact colours, not {other:?}"),
        };
        let l = color::luminance((
            f64::from(r) / 255.0,
            f64::from(g) / 255.0,
            f64::from(b) / 255.0,
        ));
        1.05 / (l + 0.05)
    };
    for meaning in Meaning::ALL {
        let style = light.get(*meaning);
        if let Some(fg) = style.fg {
            let ratio = contrast_on_white(fg);
            assert!(
                ratio >= 3.0,
                "{}: {fg:?} has contrast {ratio:.2} on white",
                meaning.name()
            );
        }
        if let Some(bg) = style.bg {
            assert!(
                contrast_on_white(bg) < 1.5,
                "{}: background {bg:?} is dark",
                meaning.name()
            );
        }
    }
}

#[test]
fn no_color_keeps_only_bold_italic_underline_and_reverse() {
    for background in [Background::Dark, Background::Light] {
        let theme = Theme::built_in(background, ColorDepth::TrueColor, true);
        assert!(!theme.has_color());
        for meaning in Meaning::ALL {
            let style = theme.get(*meaning);
            assert_eq!((style.fg, style.bg), (None, None), "{}", meaning.name());
            assert!(!style.add_modifier.contains(Modifier::DIM));
        }
        assert!(theme.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(
            theme
                .get(Meaning::InlineCode)
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert!(
            theme
                .get(Meaning::Heading1)
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }
}

#[test]
fn colours_follow_the_depth() {
    let theme = Theme::built_in(Background::Dark, ColorDepth::Ansi256, false);
    for meaning in Meaning::ALL {
        let style = theme.get(*meaning);
        assert!(
            !matches!(style.fg, Some(Color::Rgb(..))) && !matches!(style.bg, Some(Color::Rgb(..))),
            "{}",
            meaning.name()
        );
    }
    assert_eq!(
        theme.get(Meaning::Keyword).fg,
        Some(Color::Indexed(ansi_colours::ansi256_from_rgb((
            0xaf, 0x5f, 0xd7
        ))))
    );
    let console = Theme::built_in(Background::Dark, ColorDepth::Ansi16, false);
    for meaning in Meaning::ALL {
        let style = console.get(*meaning);
        assert!(
            !matches!(style.fg, Some(Color::Rgb(..) | Color::Indexed(_))),
            "{}",
            meaning.name()
        );
    }
}

#[test]
fn auto_takes_the_detected_background() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let light = Theme::built_in(Background::Light, ColorDepth::TrueColor, false);
    let (theme, warnings) = Theme::resolve_with(
        "auto",
        Some(dir.path()),
        ColorDepth::TrueColor,
        false,
        || Background::Light,
    );
    assert_eq!(theme, light);
    assert!(warnings.is_empty());
    assert_eq!(resolve("dark", dir.path()).0, dark());
}

#[test]
fn a_user_theme_inherits_and_overrides() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_theme(
        dir.path(),
        "mine",
        "inherits = \"dark\"\n\
         \"heading.1\" = { fg = \"accent\", italic = true }\n\
         [palette]\naccent = \"#123456\"\n\
         [code]\nkeyword = 200\nstring = { fg = \"red\", bold = true }\n",
    );
    let (theme, warnings) = resolve("mine", dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    let h1 = theme.get(Meaning::Heading1);
    assert_eq!(h1.fg, Some(Color::Rgb(0x12, 0x34, 0x56)));
    assert!(h1.add_modifier.contains(Modifier::ITALIC));
    assert!(
        !h1.add_modifier.contains(Modifier::BOLD),
        "an entry replaces"
    );
    assert_eq!(theme.get(Meaning::Keyword).fg, Some(Color::Indexed(200)));
    assert_eq!(theme.get(Meaning::String).fg, Some(Color::Red));
    // Everything else is dark's.
    assert_eq!(theme.get(Meaning::Link), dark().get(Meaning::Link));

    write_theme(
        dir.path(),
        "child",
        "inherits = \"mine\"\nlink = \"green\"\n",
    );
    let (theme, warnings) = resolve("child", dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(theme.get(Meaning::Link).fg, Some(Color::Green));
    assert_eq!(theme.get(Meaning::Keyword).fg, Some(Color::Indexed(200)));
}

#[test]
fn a_broken_entry_is_a_warning_with_file_line_and_entry() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_theme(
        dir.path(),
        "odd",
        "inherits = \"dark\"\nlink = \"blurple\"\n\"code.kewyord\" = \"red\"\n\
         [heading]\nbold = \"yes\"\nfg = \"blue\"\n",
    );
    let (theme, warnings) = resolve("odd", dir.path());
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(
        warnings[0].contains("odd.toml:2: link: not a colour"),
        "{warnings:#?}"
    );
    assert!(warnings[1].contains("odd.toml:3: code.kewyord: no such meaning"));
    assert!(warnings[2].contains("odd.toml:5: heading.bold: must be true or false"));
    // The good parts still apply; the broken entry is left out, so link stays dark's.
    assert_eq!(theme.get(Meaning::Heading4).fg, Some(Color::Blue));
    assert_eq!(theme.get(Meaning::Link), dark().get(Meaning::Link));
}

#[test]
fn a_theme_that_is_not_toml_falls_back_with_its_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_theme(dir.path(), "broken", "link = \"blue\"\n[code\n");
    let (theme, warnings) = resolve("broken", dir.path());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("broken.toml:2: not a theme (TOML)"),
        "{warnings:?}"
    );
    assert_eq!(theme.get(Meaning::Link), Style::default());
}

#[test]
fn a_missing_theme_or_loop_falls_back_to_the_built_in() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (theme, warnings) = resolve("nowhere", dir.path());
    assert_eq!(theme, dark());
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("nowhere.toml"), "{warnings:?}");

    let (theme, warnings) = resolve("../etc/passwd", dir.path());
    assert_eq!(theme, dark());
    assert!(warnings[0].contains("not a theme name"), "{warnings:?}");

    write_theme(dir.path(), "a", "inherits = \"b\"\nlink = \"red\"\n");
    write_theme(dir.path(), "b", "inherits = \"a\"\n");
    let (theme, warnings) = resolve("a", dir.path());
    assert!(warnings.iter().any(|w| w.contains("loop")), "{warnings:?}");
    assert_eq!(theme.get(Meaning::Link).fg, Some(Color::Red));
}
