//! Local images for the reader: where an article's image file is, what its header says, and
//! decoding it into cells, with caps on everything a hostile file controls. Runs in jobs,
//! never on the UI thread.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, Limits};

use crate::library::scan::{open_regular, read_capped};
use crate::markdown::model::Picture;
use crate::text::sanitize_line;

/// The largest image file read.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// The largest side and the most pixels decoded: a small header may declare any size, and
/// decoding allocates for what it declares.
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 24_000_000;
/// The most images of one article measured.
const MAX_IMAGES: usize = 256;

/// Where images come from besides the article's folder.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// The library folder: site-root paths are looked up in it and its `static/` folder, and
    /// no image may resolve outside it (or `site_root`).
    pub root: PathBuf,
    pub site_root: Option<PathBuf>,
}

/// Every image target in `markdown` (Markdown images, HTML `<img>`, Hugo figures) with what
/// its file holds, for images that are local.
pub fn measure_all(markdown: &str, article: &Path, sources: &Sources) -> Vec<(String, Picture)> {
    let mut found: Vec<(String, Picture)> = Vec::new();
    for url in crate::markdown::parse::image_targets(markdown) {
        if let Some(picture) = locate(&url, article, sources) {
            let picture = picture.map_or_else(Picture::Problem, |path| measure(&path));
            found.push((url, picture));
            if found.len() >= MAX_IMAGES {
                break;
            }
        }
    }
    found
}

/// The file an image target names: `None` for a remote or otherwise non-file target (it stays a
/// label whose URL opens in the browser), an error for a local one that cannot be used.
pub fn locate(url: &str, article: &Path, sources: &Sources) -> Option<Result<PathBuf, String>> {
    let url = url.trim();
    if url.is_empty() || url.starts_with("//") {
        return None;
    }
    if let Some(colon) = url.find(':') {
        let scheme = &url[..colon];
        let is_scheme = scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme && !scheme.eq_ignore_ascii_case("file") {
            return None;
        }
    }
    let url = url.strip_prefix("file://").unwrap_or(url);
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let candidates: Vec<PathBuf> = match path.strip_prefix('/') {
        Some(site) => {
            let mut c = Vec::new();
            if let Some(site_root) = &sources.site_root {
                c.push(site_root.join(site));
            }
            c.push(sources.root.join("static").join(site));
            c.push(sources.root.join(site));
            c
        }
        None => vec![article.parent().unwrap_or(Path::new(".")).join(&path)],
    };
    let Some(found) = candidates.iter().find(|p| p.symlink_metadata().is_ok()) else {
        return Some(Err(format!("not found: {}", sanitize_line(&path))));
    };
    Some(inside(found, sources))
}

/// Refuses a file that resolves (through symlinks) outside the library and the site root.
fn inside(path: &Path, sources: &Sources) -> Result<PathBuf, String> {
    let target = path
        .canonicalize()
        .map_err(|_| "a broken link".to_owned())?;
    let allowed = [Some(&sources.root), sources.site_root.as_ref()];
    let ok = allowed
        .into_iter()
        .flatten()
        .filter_map(|root| root.canonicalize().ok())
        .any(|root| target.starts_with(root));
    if ok {
        Ok(target)
    } else {
        Err("leaves the library folder".to_owned())
    }
}

/// Opens an image file with the caps: a regular file (never a FIFO or a device, never
/// waiting), at most [`MAX_FILE_BYTES`].
fn open(path: &Path) -> Result<(std::fs::File, u64), String> {
    let (file, len) = open_regular(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => "not a regular file".to_owned(),
        std::io::ErrorKind::NotFound => "not found".to_owned(),
        _ => sanitize_line(&format!("cannot read: {e}")),
    })?;
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "too large: {} MB, the limit is {} MB",
            len / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok((file, len))
}

/// The format a file's first bytes say it is in; an error naming what it is otherwise.
fn format_of(head: &[u8], path: &Path) -> Result<ImageFormat, String> {
    let supported = [
        ImageFormat::Png,
        ImageFormat::Jpeg,
        ImageFormat::Gif,
        ImageFormat::WebP,
    ];
    match image::guess_format(head) {
        Ok(format) if supported.contains(&format) => Ok(format),
        Ok(format) => Err(format!(
            "{} images are not shown",
            format
                .extensions_str()
                .first()
                .unwrap_or(&"this")
                .to_uppercase()
        )),
        Err(_) => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let text = String::from_utf8_lossy(head);
            if ext == "svg" || text.contains("<svg") {
                Err("SVG images are not shown".to_owned())
            } else {
                Err("not an image folio can read".to_owned())
            }
        }
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    limits
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err("an empty image".to_owned());
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("too large to decode: {width}×{height} pixels"));
    }
    Ok(())
}

/// What an image file's header says: its size, or why it cannot be shown. Reads only the
/// header.
pub fn measure(path: &Path) -> Picture {
    match header(path) {
        Ok((width, height)) => Picture::File {
            path: path.to_path_buf(),
            width,
            height,
        },
        Err(why) => Picture::Problem(sanitize_line(&why)),
    }
}

fn header(path: &Path) -> Result<(u32, u32), String> {
    use std::io::{Seek, SeekFrom};
    let (mut file, _) = open(path)?;
    let mut head = [0u8; 64];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(format!("cannot read: {e}")),
        }
    }
    let format = format_of(&head[..got], path)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot read: {e}"))?;
    // The default limits: reading a header allocates little whatever it claims, and what it
    // claims is checked right after, with a reason a reader understands.
    let image = ImageReader::with_format(BufReader::new(file), format);
    let (width, height) = image
        .into_dimensions()
        .map_err(|e| format!("a broken image: {e}"))?;
    check_size(width, height)?;
    Ok((width, height))
}

/// Decodes an image file whole, with the caps.
pub fn decode(path: &Path) -> Result<image::DynamicImage, String> {
    let (file, len) = open(path)?;
    let cap = usize::try_from(MAX_FILE_BYTES).unwrap_or(usize::MAX);
    let (bytes, _) = read_capped(file, len, cap).map_err(|e| format!("cannot read: {e}"))?;
    let format = format_of(&bytes[..bytes.len().min(64)], path)?;
    let reader = ImageReader::with_format(std::io::Cursor::new(bytes.as_slice()), format);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("a broken image: {e}"))?;
    check_size(width, height)?;
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes.as_slice()), format);
    reader.limits(limits());
    reader
        .decode()
        .map_err(|e| sanitize_line(&format!("a broken image: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(root: &Path) -> Sources {
        Sources {
            root: root.to_path_buf(),
            site_root: None,
        }
    }

    #[test]
    fn remote_and_data_targets_stay_labels() {
        let s = sources(Path::new("/lib"));
        let article = Path::new("/lib/a.md");
        for url in [
            "https://example.com/x.png",
            "http://x/y.png",
            "data:image/png;base64,AAAA",
            "//cdn.example.com/x.png",
            "",
        ] {
            assert!(locate(url, article, &s).is_none(), "{url}");
        }
    }

    #[test]
    fn site_root_paths_look_in_static_then_the_library() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("static/images")).expect("dir");
        std::fs::write(root.join("static/images/x.png"), b"x").expect("write");
        std::fs::write(root.join("y.png"), b"y").expect("write");
        let article = root.join("posts/a.md");
        let s = sources(root);
        let found = locate("/images/x.png", &article, &s).and_then(Result::ok);
        assert_eq!(found, root.join("static/images/x.png").canonicalize().ok());
        let found = locate("/y.png?v=2", &article, &s).and_then(Result::ok);
        assert_eq!(found, root.join("y.png").canonicalize().ok());
        let missing = locate("/nope.png", &article, &s);
        assert!(matches!(missing, Some(Err(why)) if why.contains("not found")));
    }
}
