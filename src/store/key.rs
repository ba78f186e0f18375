//! How the store names an article: its key path (folders resolved, file name kept) and a hash
//! of its content that survives a move or a rename.

use std::io;
use std::path::{Path, PathBuf};

use crate::library::{HEAD_CAP, scan};

/// The content of an article as far as the store cares: its size and its first 64 KiB (the
/// head the list reads anyway), hashed with XXH3. Hashing the whole file would catch an edit
/// past 64 KiB that keeps the size, but cost a full read of every article; the head costs
/// what the list already pays (XXH3 runs at several GB/s, about 10 µs for a full head).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentHash(pub u64);

impl ContentHash {
    /// The hash of a file of `len` bytes that starts with `head` (at most [`HEAD_CAP`] bytes of
    /// it are used, so a caller that already read the head passes it as it is).
    pub fn of_head(len: u64, head: &[u8]) -> ContentHash {
        let head = &head[..head.len().min(HEAD_CAP)];
        ContentHash(xxhash_rust::xxh3::xxh3_64_with_seed(head, len))
    }

    /// Reads the head of `path` and hashes it. Opens like the library does: a FIFO or a device
    /// named `x.md` is refused, never waited on.
    pub fn of_file(path: &Path) -> io::Result<ContentHash> {
        let (file, len) = scan::open_regular(path)?;
        let (head, _) = scan::read_capped(file, len, HEAD_CAP)?;
        Ok(ContentHash::of_head(len, &head))
    }

    /// SQLite integers are signed; the bits are what matter.
    pub(crate) fn to_sql(self) -> i64 {
        self.0 as i64
    }

    pub(crate) fn from_sql(value: i64) -> ContentHash {
        ContentHash(value as u64)
    }
}

/// An article as the store knows it: key path and content hash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArticleKey {
    pub path: PathBuf,
    pub hash: ContentHash,
}

impl ArticleKey {
    /// The key of the article file at `path` (any spelling of it): resolves its folders, reads
    /// its head.
    pub fn of_file(path: &Path) -> io::Result<ArticleKey> {
        Ok(ArticleKey {
            path: key_path(path)?,
            hash: ContentHash::of_file(path)?,
        })
    }
}

/// The path the store files an article under: its folder canonicalized, its file name kept.
/// Keeping the name (rather than resolving a symlinked file to its target) makes this equal
/// to `canonical root + path in the library` for every article a library scan finds, since the
/// scan never enters a symlinked folder; so `folio mark FILE`, `folio list` and the reader agree
/// whichever folder was opened, without a `realpath` per article.
pub fn key_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "not a file name (ends in ..)")
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok(parent.canonicalize()?.join(name))
}

/// The key paths of a library's articles, from its root as scanned and the articles' paths as
/// found under it: one `canonicalize` for the whole library.
pub fn key_paths<'a>(
    root: &Path,
    articles: impl IntoIterator<Item = &'a Path>,
) -> io::Result<(PathBuf, Vec<PathBuf>)> {
    let canonical_root = if root.as_os_str().is_empty() {
        Path::new(".").canonicalize()?
    } else {
        root.canonicalize()?
    };
    let paths = articles
        .into_iter()
        .map(|path| match path.strip_prefix(root) {
            Ok(rel) => canonical_root.join(rel),
            // Not under the root as given: resolve it on its own.
            Err(_) => key_path(path).unwrap_or_else(|_| path.to_path_buf()),
        })
        .collect();
    Ok((canonical_root, paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_depends_on_size_and_head_only() {
        let head = vec![b'a'; HEAD_CAP];
        let mut longer = head.clone();
        longer.extend_from_slice(b"tail that is not read");
        assert_eq!(
            ContentHash::of_head(100_000, &head),
            ContentHash::of_head(100_000, &longer)
        );
        assert_ne!(
            ContentHash::of_head(100_000, &head),
            ContentHash::of_head(100_001, &head)
        );
        assert_ne!(
            ContentHash::of_head(3, b"abc"),
            ContentHash::of_head(3, b"abd")
        );
    }

    #[test]
    fn hash_survives_the_sql_round_trip() {
        for value in [0, 1, u64::MAX, 1 << 63] {
            let hash = ContentHash(value);
            assert_eq!(ContentHash::from_sql(hash.to_sql()), hash);
        }
    }

    #[test]
    fn key_path_resolves_folders_and_keeps_the_file_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real");
        std::fs::create_dir(&real).expect("mkdir");
        std::fs::write(real.join("a.md"), "# A\n").expect("write");
        std::os::unix::fs::symlink(&real, dir.path().join("link")).expect("symlink");
        let canonical = real.canonicalize().expect("canonical").join("a.md");
        assert_eq!(
            key_path(&dir.path().join("link/./a.md")).expect("key"),
            canonical
        );
        let (root, paths) = key_paths(
            &dir.path().join("link"),
            [dir.path().join("link/a.md").as_path()],
        )
        .expect("keys");
        assert_eq!(root, real.canonicalize().expect("canonical"));
        assert_eq!(paths, vec![canonical]);
    }
}
