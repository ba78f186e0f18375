//! What a link points at, decided without touching the file system.
//!
//! Only http, https and mailto go to the browser; a relative link to a Markdown file inside the
//! library opens in the reader; everything else is refused with a message that says why.
//! Schemes, hosts, decoding and the resolution of one article's link against another's place
//! are the `url` crate's (the WHATWG URL rules browsers follow), not folio's own parsing.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use percent_encoding::{
    AsciiSet, CONTROLS, percent_decode_str, percent_encode, utf8_percent_encode,
};
use url::{ParseError, Url};

use crate::library::is_markdown_path;
use crate::text::{sanitize_line, shown};

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// An http, https or mailto URL for the browser, as written.
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

/// The schemes folio hands to a browser.
const WEB_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The library folder's path in the URLs links are resolved against (`folio:///%/notes/a.md`).
///
/// A bare `%` is a path segment no link can spell, because every `%` that comes from a link or
/// a file name is written `%25`. So a link that climbs above this segment cannot come back
/// under it, and "does the result start with it" says exactly whether the link stayed inside.
/// (A root of plain `/` would not do: the URL rules clamp `..` there, so `../../etc/x.md` would
/// land on `/etc/x.md` as if it were inside.)
const LIBRARY: &str = "/%/";

/// What is escaped in a decoded link path before it is resolved: `%`, `?` and `#` decoded from
/// `%25`, `%3F` and `%23` are parts of a name, not delimiters; a backslash is a character of a
/// file name, not a separator. `/` stays a separator, also when it was written `%2F`, as the
/// file system would read it.
const PATH_CHARS: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b'?').add(b'#').add(b'\\');

/// [`PATH_CHARS`] plus `/`, for one segment (a folder or file name) of the article's own path.
const SEGMENT_CHARS: &AsciiSet = &PATH_CHARS.add(b'/');

/// The scheme of a URL (`https`, `javascript`), lower-cased, if it is an absolute URL.
///
/// The URL rules ignore leading spaces and controls and tabs or newlines anywhere, as browsers
/// do, so `\tjava\nscript:x` is a `javascript` URL here too.
pub(crate) fn scheme(url: &str) -> Option<String> {
    Url::parse(url).ok().map(|u| u.scheme().to_owned())
}

/// The host of a URL for a byline (`https://www.example.com:8080/x` → `example.com:8080`):
/// no user, no `www.`, no default port, lower case, international names in their own script.
/// A bare `example.net/path` is read as a web address. Empty when there is no host.
pub(crate) fn host_of(url: &str) -> String {
    let url = sanitize_line(url);
    let parsed = match Url::parse(&url) {
        Ok(parsed) if parsed.has_host() => Some(parsed),
        _ if !url.contains("://") => Url::parse(&format!("https://{url}")).ok(),
        _ => None,
    };
    let Some(parsed) = parsed else {
        return String::new();
    };
    let host = match parsed.host() {
        Some(url::Host::Domain(domain)) => url::quirks::domain_to_unicode(domain),
        Some(other) => other.to_string(),
        None => return String::new(),
    };
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    // The IDNA rules refuse controls and bidi overrides; this keeps that a certainty.
    sanitize_line(&host)
}

/// Whether a link target may become a numbered link where folio decides (raw HTML, template
/// tags): a web address (http, https, mailto) or a relative one. Anything else
/// (`javascript:`, `data:`, `file:`) could only ever be refused, so it stays text.
pub(crate) fn may_open(link: &str) -> bool {
    let link = link.trim();
    if link.is_empty() {
        return false;
    }
    match Url::parse(link) {
        Ok(url) => WEB_SCHEMES.contains(&url.scheme()),
        Err(ParseError::RelativeUrlWithoutBase) => !link.starts_with("//"),
        Err(_) => false,
    }
}

/// Decodes `%XX` escapes; invalid ones stay as written, invalid UTF-8 becomes `�`.
pub fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Classifies `link` found in the article at `current`, inside the library folder `root`.
pub(crate) fn classify(link: &str, current: &Path, root: &Path) -> Target {
    let link = link.trim();
    if link.is_empty() {
        return Target::Refused("This link has no target.".into());
    }
    if let Some(fragment) = link.strip_prefix('#') {
        return Target::Anchor(percent_decode(fragment));
    }
    match Url::parse(link) {
        Ok(url) if WEB_SCHEMES.contains(&url.scheme()) => Target::Web(link.to_owned()),
        Ok(url) => Target::Refused(format!(
            "Refused to open a {}: link (only http, https and mailto open).",
            shown(url.scheme(), 24)
        )),
        Err(ParseError::RelativeUrlWithoutBase) => article(link, current, root),
        // A scheme with a broken rest (`http://exa mple`, `https://[::x`): no browser could
        // open it either.
        Err(why) => Target::Refused(format!(
            "Refused a malformed link ({why}): {}",
            shown(link, 60)
        )),
    }
}

/// A relative link: another article of the library, or a refusal.
fn article(link: &str, current: &Path, root: &Path) -> Target {
    if link.starts_with("//") {
        return Target::Refused("Refused a link without a scheme.".into());
    }
    let (path_part, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    // Decoded first, so that `%2e%2e%2f` climbs like the `../` it spells.
    let decoded = percent_decode(path_part);
    if decoded.starts_with('/') {
        return Target::Refused(format!("Refused an absolute path: {}", shown(&decoded, 60)));
    }
    let Some(current_rel) = under(current, root) else {
        return Target::Refused("Refused a link from an article outside the library.".into());
    };
    let Some(rel) = resolve(&current_rel, &decoded) else {
        return Target::Refused("Refused a link that leaves the library folder.".into());
    };
    let path = root.join(&rel);
    if !is_markdown_path(&path) {
        return Target::Refused(format!(
            "Not an article, not opened: {}",
            shown(&decoded, 60)
        ));
    }
    let anchor = fragment.filter(|f| !f.is_empty()).map(percent_decode);
    if rel == current_rel
        && let Some(anchor) = anchor
    {
        return Target::Anchor(anchor);
    }
    Target::Article { path, anchor }
}

/// `path` relative to `root`, ignoring a leading `./` on either (`folio .` lists `./a.md`,
/// `folio a.md` has `a.md` in the folder `.`).
fn under(path: &Path, root: &Path) -> Option<PathBuf> {
    let plain =
        |p: &Path| -> PathBuf { p.components().filter(|c| *c != Component::CurDir).collect() };
    plain(path)
        .strip_prefix(plain(root))
        .ok()
        .map(Path::to_path_buf)
}

/// Resolves the decoded relative `reference` against the article at `current` (relative to
/// the library), by the URL rules; the result relative to the library, or `None` when it
/// leaves it.
fn resolve(current: &Path, reference: &str) -> Option<PathBuf> {
    let mut base = format!("folio://{LIBRARY}");
    for (i, component) in current.components().enumerate() {
        if i > 0 {
            base.push('/');
        }
        // Bytes, not text: a folder whose name is not UTF-8 still resolves to itself.
        base.extend(percent_encode(
            component.as_os_str().as_encoded_bytes(),
            SEGMENT_CHARS,
        ));
    }
    let base = Url::parse(&base).ok()?;
    // `./` keeps a name with a colon (`x:y.md`) a path instead of a scheme.
    let reference = format!("./{}", utf8_percent_encode(reference, PATH_CHARS));
    let resolved = base.join(&reference).ok()?;
    let inside = resolved.path().strip_prefix(LIBRARY)?;
    Some(
        inside
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| os_name(percent_decode_str(segment).collect()))
            .collect(),
    )
}

/// A file name from the bytes [`resolve`] encoded (or a link's UTF-8).
fn os_name(bytes: Vec<u8>) -> OsString {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStringExt::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        OsString::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(url: &str) -> Target {
        classify(url, Path::new("lib/notes/a.md"), Path::new("lib"))
    }

    fn refused(target: Target) -> String {
        match target {
            Target::Refused(message) => message,
            other => panic!("not refused: {other:?}"),
        }
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
            let msg = refused(at(url));
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
    fn schemes_split_by_tabs_and_newlines_are_still_schemes() {
        // Browsers drop tabs and newlines inside a URL: this is `javascript:`, not a file
        // named `java\tscript:alert(1).md` next to the article.
        let msg = refused(at("java\tscript:alert(1).md"));
        assert!(msg.contains("javascript:"), "{msg}");
        let msg = refused(at("\u{1}\u{7}javascript:alert(1)"));
        assert!(msg.contains("javascript:"), "{msg}");
    }

    #[test]
    fn malformed_web_urls_are_refused_not_handed_to_a_browser() {
        for url in ["http://exa mple.org/", "https://[::1", "https://"] {
            let msg = refused(at(url));
            assert!(msg.contains("malformed"), "{url}: {msg}");
        }
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
    fn encoded_names_resolve_to_the_named_file() {
        assert_eq!(
            at("My%20Notes/x%3Fy%23z%25.md"),
            Target::Article {
                path: PathBuf::from("lib/notes/My Notes/x?y#z%.md"),
                anchor: None
            }
        );
        assert_eq!(
            at("x%3Ay.md"),
            Target::Article {
                path: PathBuf::from("lib/notes/x:y.md"),
                anchor: None
            }
        );
        assert_eq!(
            at("a\\b.md"),
            Target::Article {
                path: PathBuf::from("lib/notes/a\\b.md"),
                anchor: None
            }
        );
    }

    #[test]
    fn links_leaving_the_library_are_refused() {
        assert!(matches!(at("../../etc/x.md"), Target::Refused(_)));
        assert!(matches!(at("/etc/x.md"), Target::Refused(_)));
        assert!(matches!(at("../../lib/../../x.md"), Target::Refused(_)));
        assert!(matches!(at("..%2f..%2f..%2fx.md"), Target::Refused(_)));
    }

    #[test]
    fn a_link_cannot_climb_out_and_name_its_way_back_in() {
        // Neither the made-up root of the resolution nor `..` clamped at it lets a link back in.
        for url in [
            "../../../../%25/x.md",
            "../../../../%/x.md",
            "../../../../../../notes/a.md",
        ] {
            let msg = refused(at(url));
            assert!(msg.contains("leaves the library"), "{url}: {msg}");
        }
    }

    #[test]
    fn links_leaving_a_library_in_the_current_folder_are_refused() {
        // Regression: with the library at `.` (`folio` in the folder, or `folio a.md`) every
        // path "started with" the empty root, so `../../etc/x.md` passed as inside.
        for (current, root) in [("./a.md", "."), ("a.md", "."), ("a.md", "")] {
            let target = classify("../../etc/x.md", Path::new(current), Path::new(root));
            assert!(
                refused(target).contains("leaves the library"),
                "{current} in {root}"
            );
            assert_eq!(
                classify("b.md#x", Path::new(current), Path::new(root)),
                Target::Article {
                    path: Path::new(root).join("b.md"),
                    anchor: Some("x".into())
                }
            );
        }
    }

    #[test]
    fn anchors_and_self_links_stay_in_the_article() {
        assert_eq!(at("#intro"), Target::Anchor("intro".into()));
        assert_eq!(at("a.md#intro"), Target::Anchor("intro".into()));
        assert_eq!(at("../notes/./a.md#intro"), Target::Anchor("intro".into()));
    }

    #[test]
    fn non_markdown_files_are_not_opened() {
        assert!(matches!(at("pic.png"), Target::Refused(_)));
        assert!(matches!(at("sub/"), Target::Refused(_)));
    }

    #[cfg(unix)]
    #[test]
    fn folders_with_names_that_are_not_utf8_resolve_to_themselves() {
        use std::os::unix::ffi::OsStrExt;
        let folder = std::ffi::OsStr::from_bytes(b"caf\xe9");
        let current = Path::new("lib").join(folder).join("a.md");
        assert_eq!(
            classify("b.md", &current, Path::new("lib")),
            Target::Article {
                path: Path::new("lib").join(folder).join("b.md"),
                anchor: None
            }
        );
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
        // Regression: the hand-written decoder read `%+1` as the byte 1 (`from_str_radix`
        // accepts a sign).
        assert_eq!(percent_decode("%+1%-1"), "%+1%-1");
        assert_eq!(percent_decode("%C3%A9%FF"), "é\u{FFFD}");
    }

    #[test]
    fn hosts_drop_scheme_user_and_www() {
        assert_eq!(
            host_of("https://www.example.com:8080/x?y"),
            "example.com:8080"
        );
        assert_eq!(host_of("http://u:p@host.org"), "host.org");
        assert_eq!(host_of("example.net/path"), "example.net");
    }

    #[test]
    fn hosts_are_read_as_a_browser_reads_them() {
        assert_eq!(host_of("https://EXAMPLE.org:443/"), "example.org");
        // A backslash ends the host in a web URL: this opens good.example, whatever the `@`
        // after it seems to say.
        assert_eq!(
            host_of("https://good.example\\@evil.example/"),
            "good.example"
        );
        assert_eq!(host_of("https://xn--bcher-kva.de/"), "bücher.de");
        assert_eq!(host_of("https://[::1]:8080/"), "[::1]:8080");
        assert_eq!(host_of("not a url at all"), "");
    }
}
