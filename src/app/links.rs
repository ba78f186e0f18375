//! What a link points at, decided without touching the file system.
//!
//! Only http, https and mailto go to the browser; a relative link to a Markdown file inside the
//! library opens in the reader; everything else is refused with a message that says why.

use std::path::{Component, Path, PathBuf};

use crate::text::sanitize_line;

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An http, https or mailto URL for the browser.
    Web(String),
    /// A heading of the article being read (`#anchor`).
    Anchor(String),
    /// Another article of the library, maybe at a heading.
    Article {
        path: PathBuf,
        anchor: Option<String>,
    },
    /// Not opened; the message says why.
    Refused(String),
}

/// The scheme of a URL (`https`, `javascript`), lower-cased, if it has one.
pub fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| candidate.to_ascii_lowercase())
}

/// Shortens and cleans an untrusted string for a one-line message.
pub fn shown(s: &str, max: usize) -> String {
    let clean = sanitize_line(s);
    if clean.chars().count() <= max {
        clean
    } else {
        let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Classifies `url` found in the article at `current`, inside the library folder `root`.
pub fn classify(url: &str, current: &Path, root: &Path) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Refused("This link has no target.".into());
    }
    if let Some(fragment) = url.strip_prefix('#') {
        return Target::Anchor(percent_decode(fragment));
    }
    if let Some(scheme) = scheme(url) {
        return match scheme.as_str() {
            "http" | "https" | "mailto" => Target::Web(url.to_owned()),
            other => Target::Refused(format!(
                "Refused to open a {}: link (only http, https and mailto open).",
                shown(other, 24)
            )),
        };
    }
    if url.starts_with("//") {
        return Target::Refused("Refused a link without a scheme.".into());
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    let decoded = percent_decode(path_part);
    if decoded.starts_with('/') {
        return Target::Refused(format!("Refused an absolute path: {}", shown(&decoded, 60)));
    }
    let base = current.parent().unwrap_or(Path::new(""));
    let joined = normalize(&base.join(&decoded));
    if !joined.starts_with(normalize(root)) {
        return Target::Refused("Refused a link that leaves the library folder.".into());
    }
    let is_markdown = joined
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if !is_markdown {
        return Target::Refused(format!(
            "Not an article, not opened: {}",
            shown(&decoded, 60)
        ));
    }
    let anchor = fragment.filter(|f| !f.is_empty()).map(percent_decode);
    if joined == normalize(current) {
        if let Some(anchor) = anchor {
            return Target::Anchor(anchor);
        }
    }
    Target::Article {
        path: joined,
        anchor,
    }
}

/// Resolves `.` and `..` without the file system; `..` at the start is kept (and so escapes).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Decodes `%XX` escapes; invalid ones stay as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(url: &str) -> Target {
        classify(url, Path::new("lib/notes/a.md"), Path::new("lib"))
    }

    #[test]
    fn web_schemes_go_to_the_browser() {
        assert_eq!(at("https://x.org/a"), Target::Web("https://x.org/a".into()));
        assert_eq!(at("HTTP://x.org"), Target::Web("HTTP://x.org".into()));
        assert_eq!(at("mailto:me@x.org"), Target::Web("mailto:me@x.org".into()));
    }

    #[test]
    fn other_schemes_are_refused_by_name() {
        for (url, name) in [
            ("javascript:alert(1)", "javascript"),
            ("file:///etc/passwd", "file"),
            ("data:text/html,x", "data"),
            ("vscode://open", "vscode"),
        ] {
            let Target::Refused(msg) = at(url) else {
                panic!("{url} not refused");
            };
            assert!(msg.contains(&format!("{name}:")), "{msg}");
        }
    }

    #[test]
    fn refused_scheme_names_are_sanitized() {
        let Target::Refused(msg) = at("ja\u{1b}[31mvascript:x") else {
            // An escape makes it no scheme at all; then it is a relative non-article.
            return;
        };
        assert!(!msg.contains('\u{1b}'));
    }

    #[test]
    fn relative_markdown_links_open_articles_with_anchor() {
        assert_eq!(
            at("../b.md#Some%20Part"),
            Target::Article {
                path: PathBuf::from("lib/b.md"),
                anchor: Some("Some Part".into())
            }
        );
        assert_eq!(
            at("./c.md"),
            Target::Article {
                path: PathBuf::from("lib/notes/c.md"),
                anchor: None
            }
        );
    }

    #[test]
    fn links_leaving_the_library_are_refused() {
        assert!(matches!(at("../../etc/x.md"), Target::Refused(_)));
        assert!(matches!(at("/etc/x.md"), Target::Refused(_)));
        assert!(matches!(at("../../lib/../../x.md"), Target::Refused(_)));
    }

    #[test]
    fn anchors_and_self_links_stay_in_the_article() {
        assert_eq!(at("#intro"), Target::Anchor("intro".into()));
        assert_eq!(at("a.md#intro"), Target::Anchor("intro".into()));
    }

    #[test]
    fn non_markdown_files_are_not_opened() {
        assert!(matches!(at("pic.png"), Target::Refused(_)));
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
    }
}
