//! Hostile image files: each becomes a placeholder with its reason, at once, without reading
//! or allocating what the file claims.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use folio::markdown::model::Picture;
use folio::pictures::{Sources, decode, locate, measure};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 10, 10]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// A PNG whose header claims `width`×`height` but carries almost nothing.
fn bomb(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // IHDR's data starts at byte 16: width, height; then its CRC at 29..33.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Measures and decodes `path`, quickly, and returns the reason it is not shown.
fn refused(path: &Path) -> String {
    let start = Instant::now();
    let measured = measure(path);
    let decoded = decode(path);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{path:?} took too long"
    );
    assert!(decoded.is_err(), "{path:?} decoded");
    match measured {
        Picture::Problem(why) => why,
        other => panic!("{path:?} measured as {other:?}"),
    }
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bomb.png");
    fs::write(&path, bomb(100_000, 100_000)).expect("write");
    assert!(refused(&path).contains("too large to decode: 100000×100000"));
    // Under the side cap but over the pixel cap.
    fs::write(&path, bomb(11_000, 11_000)).expect("write");
    assert!(refused(&path).contains("too large to decode"));
}

#[test]
fn truncated_and_corrupt_files_are_broken_images() {
    let dir = tempfile::tempdir().expect("dir");
    let whole = png(64, 64);
    let truncated = dir.path().join("cut.png");
    fs::write(&truncated, &whole[..40]).expect("write");
    let why = refused(&truncated);
    assert!(why.contains("broken"), "{why}");
    let corrupt = dir.path().join("corrupt.png");
    let mut bytes = whole.clone();
    let len = bytes.len();
    for b in &mut bytes[45..len - 12] {
        *b ^= 0x5A;
    }
    fs::write(&corrupt, &bytes).expect("write");
    // The header is intact: it measures, but decoding says why it cannot be drawn.
    assert!(matches!(measure(&corrupt), Picture::File { width: 64, .. }));
    assert!(decode(&corrupt).is_err());
}

#[test]
fn the_content_decides_the_format_not_the_extension() {
    let dir = tempfile::tempdir().expect("dir");
    let text = dir.path().join("notes.png");
    fs::write(&text, "just some words\n").expect("write");
    assert!(refused(&text).contains("not an image"));
    let svg = dir.path().join("d.svg");
    fs::write(&svg, "<svg xmlns='http://www.w3.org/2000/svg'></svg>").expect("write");
    assert!(refused(&svg).contains("SVG"));
    let renamed = dir.path().join("photo.jpg");
    fs::write(&renamed, png(8, 4)).expect("write");
    assert!(matches!(
        measure(&renamed),
        Picture::File {
            width: 8,
            height: 4,
            ..
        }
    ));
    assert!(decode(&renamed).is_ok());
}

#[test]
fn a_fifo_is_not_read_and_does_not_block() {
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("pipe.png");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo; skipped");
        return;
    }
    assert!(refused(&fifo).contains("not a regular file"));
}

#[test]
fn a_file_over_the_size_cap_is_not_read() {
    let dir = tempfile::tempdir().expect("dir");
    let big = dir.path().join("big.png");
    // Sparse: 200 MB claimed, nothing written.
    let file = fs::File::create(&big).expect("create");
    file.set_len(200 * 1024 * 1024).expect("set_len");
    assert!(refused(&big).contains("too large: 200 MB"));
}

#[test]
fn a_symlink_out_of_the_library_is_refused() {
    let outside = tempfile::tempdir().expect("dir");
    let secret = outside.path().join("secret.png");
    fs::write(&secret, png(4, 4)).expect("write");
    let lib = tempfile::tempdir().expect("dir");
    std::os::unix::fs::symlink(&secret, lib.path().join("link.png")).expect("symlink");
    let sources = Sources {
        root: lib.path().to_path_buf(),
        site_root: None,
    };
    let article = lib.path().join("a.md");
    let found = locate("link.png", &article, &sources);
    assert!(
        matches!(&found, Some(Err(why)) if why.contains("leaves the library")),
        "{found:?}"
    );
    let up = locate("../../etc/passwd", &article, &sources);
    assert!(matches!(up, Some(Err(_))), "{up:?}");
}
