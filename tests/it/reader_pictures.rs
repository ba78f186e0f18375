//! Pictures in the reader's model: the rows kept for them follow the screen's height, and
//! HTML `<img>` and Hugo figures become pictures as `![alt](x.png)` does.

use std::fs;
use std::path::{Path, PathBuf};

use folio::app::pictures::Slot;
use folio::app::{App, Command as Cmd, ImageMode, Msg, Settings};
use folio::browser::RecordingOpener;
use folio::library::{self, SortKey};
use folio::markdown::layout::PicturePlace;

/// A PNG of `width`×`height` pixels, left half red and right half blue.
pub fn red_blue(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

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
