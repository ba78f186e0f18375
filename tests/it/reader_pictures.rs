//! Pictures in the reader's model: the rows kept for them follow the screen's height, and
//! HTML `<img>` and Hugo figures become pictures as `![alt](x.png)` does.

use std::fs;
use std::path::{Path, PathBuf};

use folio::app::pictures::Slot;
use folio::app::{App, Command as Cmd, ImageMode, Msg, Settings};
use folio::browser::RecordingOpener;
use folio::library::{self, SortKey};
use folio::markdown::layout::PicturePlace;

use crate::e2e_images::red_blue;

/// A library of one article, `body`, with `img/tall.png` (200×800) and `static/images/
/// wide.png` (400×200) beside it.
fn library_with(dir: &Path, body: &str) -> PathBuf {
    let lib = dir.join("lib");
    fs::create_dir_all(lib.join("img")).expect("img");
    fs::create_dir_all(lib.join("static/images")).expect("static");
    fs::write(lib.join("img/tall.png"), red_blue(200, 800)).expect("png");
    fs::write(lib.join("static/images/wide.png"), red_blue(400, 200)).expect("png");
    fs::write(lib.join("pic.md"), body).expect("article");
    lib
}

fn open(lib: &Path, width: u16, height: u16, opener: &mut RecordingOpener) -> App {
    let library = library::load(lib, SortKey::Path).expect("load");
    let settings = Settings {
        images: ImageMode::Halfblocks,
        ..Settings::default()
    };
    let mut app = App::new(library, settings);
    folio::tui::settle(&mut app, Msg::Resize(width, height), opener);
    folio::tui::settle(&mut app, Msg::Cmd(Cmd::Open), opener);
    assert!(app.reader.is_some(), "the article opened");
    app
}

fn places(app: &App) -> Vec<PicturePlace> {
    app.reader
        .as_ref()
        .map(|r| r.layout.pictures.clone())
        .unwrap_or_default()
}

fn rows(app: &App) -> Vec<String> {
    app.reader
        .as_ref()
        .map(|r| r.layout.plain_lines())
        .unwrap_or_default()
}

fn drawn(app: &App, place: &PicturePlace) -> bool {
    matches!(
        app.pictures
            .get(&(place.path.clone(), place.cols, place.rows)),
        Some(Slot::Ready(_))
    )
}

#[test]
fn the_row_cap_follows_the_screen_height_and_text_stays_put_as_pictures_arrive() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = library_with(
        dir.path(),
        "---\ntitle: Tall\n---\n\nBEFORE the picture.\n\n![tall one](img/tall.png)\n\nAFTER the picture.\n",
    );
    let mut opener = RecordingOpener::default();
    // image_rows = 0: a third of the screen. 200×800 pixels in 10×20-pixel cells is 20×40
    // cells; 30 rows allow 10 (5 columns), 60 rows allow 20 (10 columns).
    let mut app = open(&lib, 100, 30, &mut opener);
    let small = places(&app);
    assert_eq!(small.len(), 1, "{small:?}");
    assert_eq!((small[0].cols, small[0].rows), (5, 10));
    assert!(drawn(&app, &small[0]), "drawn at 30 rows");
    let text = rows(&app);
    let caption = small[0].row + usize::from(small[0].rows);
    assert!(text[caption].contains("[image: tall one]"), "{text:?}");

    // Taller: the model lays out again at once, before any picture is decoded.
    app.update(Msg::Resize(100, 60));
    let tall = places(&app);
    assert_eq!((tall[0].cols, tall[0].rows), (10, 20));
    assert_eq!(tall[0].row, small[0].row, "the picture starts where it did");
    assert!(!drawn(&app, &tall[0]), "not decoded yet");
    let waiting = rows(&app);
    let caption = tall[0].row + usize::from(tall[0].rows);
    assert!(
        waiting[caption].contains("[image: tall one]"),
        "{waiting:?}"
    );
    assert!(waiting[caption + 2].contains("AFTER"), "{waiting:?}");
    // The decoding job runs; when the picture arrives not a row of text moves.
    folio::tui::settle(&mut app, Msg::Resize(100, 60), &mut opener);
    assert!(drawn(&app, &tall[0]), "drawn at 60 rows");
    assert_eq!(rows(&app), waiting);
    assert_eq!(places(&app), tall);

    // Back to the smaller screen: the smaller size again, the same text around it.
    folio::tui::settle(&mut app, Msg::Resize(100, 30), &mut opener);
    assert_eq!(places(&app), small);
    assert_eq!(rows(&app), text);
}

#[test]
fn a_fixed_image_rows_ignores_the_screen_height() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = library_with(dir.path(), "![tall one](img/tall.png)\n");
    let library = library::load(&lib, SortKey::Path).expect("load");
    let settings = Settings {
        images: ImageMode::Halfblocks,
        image_rows: 8,
        ..Settings::default()
    };
    let mut app = App::new(library, settings);
    let mut opener = RecordingOpener::default();
    folio::tui::settle(&mut app, Msg::Resize(100, 30), &mut opener);
    folio::tui::settle(&mut app, Msg::Cmd(Cmd::Open), &mut opener);
    let first = places(&app);
    folio::tui::settle(&mut app, Msg::Resize(100, 90), &mut opener);
    assert_eq!(places(&app), first);
    assert_eq!(first.first().map(|p| p.rows), Some(8));
}

/// An article with a picture of each kind, and the same images inside text.
const KINDS: &str = "---\ntitle: Kinds\n---\n\nMarkdown:\n\n![md one](img/tall.png)\n\n\
    <img src=\"img/tall.png\" alt=\"html one\">\n\n\
    <p><img alt=\"in a p\" src=\"static/images/wide.png\" /></p>\n\n\
    {{< figure src=\"/images/wide.png\" alt=\"figure one\" caption=\"What it shows\" >}}\n\n\
    <p align=\"center\">\n  <img src=\"img/tall.png\" alt=\"centred\">\n</p>\n\n\
    Inline <img src=\"img/tall.png\" alt=\"in text\"> and {{< figure src=\"/images/wide.png\" alt=\"inline fig\" >}} stay labels.\n\n\
    <img src=\"https://example.com/remote.png\" alt=\"remote\">\n\n\
    END.\n";

#[test]
fn html_images_and_figures_are_image_targets_as_the_parser_numbers_them() {
    let targets = folio::markdown::parse::image_targets(KINDS);
    assert_eq!(
        targets,
        [
            "img/tall.png",
            "static/images/wide.png",
            "/images/wide.png",
            "https://example.com/remote.png",
        ]
    );
    // The same URLs the document's links carry, so the files' sizes find their images.
    let doc = folio::markdown::parse::parse_markdown(KINDS);
    for target in &targets {
        assert!(doc.links.iter().any(|l| l.url == *target), "{target}");
    }
    // Not from code, comments or an image's alt text.
    let hidden = "```\n<img src=\"a.png\">\n```\n\n<!-- <img src=\"b.png\"> -->\n\n\
                  ![outer ![inner](c.png)](d.png)\n\n    {{< figure src=\"e.png\" >}}\n";
    assert_eq!(folio::markdown::parse::image_targets(hidden), ["d.png"]);
}

#[test]
fn html_images_and_figures_alone_become_pictures_with_their_captions() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = library_with(dir.path(), KINDS);
    let mut opener = RecordingOpener::default();
    let app = open(&lib, 100, 30, &mut opener);
    let text = rows(&app);
    let found = places(&app);
    // Markdown, <img>, <img> in <p>, the figure, a README's centred block; not the ones in
    // text nor the remote one.
    assert_eq!(found.len(), 5, "{found:?}\n{text:#?}");
    let captions: Vec<&str> = found
        .iter()
        .map(|p| text[p.row + usize::from(p.rows)].as_str())
        .collect();
    for (caption, label) in captions.iter().zip([
        "[image: md one]",
        "[image: html one]",
        "[image: in a p]",
        "[image: figure one]",
        "[image: centred]",
    ]) {
        assert!(caption.contains(label), "{caption:?} for {label}");
    }
    // The figure's caption stays under its label.
    let figure = &found[3];
    let below = &text[figure.row + usize::from(figure.rows) + 1];
    assert!(below.contains("What it shows"), "{text:#?}");
    // Site-root and relative paths find the same kind of file the same way.
    assert!(found[3].path.ends_with("static/images/wide.png"));
    assert_eq!(
        (found[2].cols, found[2].rows),
        (found[3].cols, found[3].rows)
    );
    assert!(found.iter().all(|p| drawn(&app, p)));
    // In text they stay labels; the remote one a label whose URL opens in the browser.
    for label in ["[image: in text]", "[image: inline fig]", "[image: remote]"] {
        assert!(text.iter().any(|r| r.contains(label)), "{label}: {text:#?}");
    }
    // The picture keeps its rows, the rest of the text follows.
    let end = text.iter().position(|r| r.contains("END.")).expect("end");
    assert!(end > figure.row + usize::from(figure.rows));
}

#[test]
fn a_figure_shows_as_a_picture_on_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = library_with(
        dir.path(),
        "---\ntitle: Figure\n---\n\nAbove.\n\n\
         {{< figure src=\"/images/wide.png\" alt=\"red and blue\" caption=\"Two halves\" >}}\n\n\
         <img src=\"img/tall.png\" alt=\"tall\">\n\nBelow.\n",
    );
    let mut opener = RecordingOpener::default();
    let app = open(&lib, 60, 30, &mut opener);
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 30)).expect("backend");
    terminal
        .draw(|frame| folio::ui::draw(&app, &folio::theme::Theme::plain(), frame))
        .expect("draw");
    // Picture cells by colour (R red, B blue), the text as it shows.
    let buffer = terminal.backend().buffer();
    let mut screen = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let shown = match cell.bg {
                ratatui::style::Color::Rgb(r, _, b) if r > 150 && b < 80 => "R",
                ratatui::style::Color::Rgb(r, _, b) if b > 150 && r < 80 => "B",
                _ => cell.symbol(),
            };
            screen.push_str(shown);
        }
        screen.push_str("|\n");
    }
    insta::assert_snapshot!("figure_and_img_pictures", screen);
}

/// Regression: repeats were found by a scan of the list so far, quadratic in the number of
/// different targets a hostile article can hold.
#[test]
fn many_different_image_targets_are_each_found_once_in_order() {
    let body: String = (0..20_000)
        .map(|i| format!("![](p{i}.png) ![](p{i}.png)\n\n"))
        .collect();
    let targets = folio::markdown::parse::image_targets(&body);
    assert_eq!(targets.len(), 20_000);
    assert_eq!(targets[0], "p0.png");
    assert_eq!(targets[19_999], "p19999.png");
}
