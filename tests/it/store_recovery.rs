//! The state store facing a broken or foreign state file: garbage, truncation, a newer folio's
//! store, a plain file where the folder should be; and an article moved on disk.

use std::fs;
use std::path::{Path, PathBuf};

use folio::store::{ArticleKey, FILE_NAME, Position, SCHEMA_VERSION, Store, StoreError};

/// A store with a few states in `dir`, closed again; returns its file.
fn store_with_states(dir: &Path) -> PathBuf {
    let mut store = Store::open_in(dir).expect("open").store;
    for i in 0..200 {
        let key = ArticleKey {
            path: dir.join(format!("article-{i}.md")),
            hash: folio::store::ContentHash(i),
        };
        store
            .set_position(
                &key,
                &Position {
                    heading: Some(format!("section-{i}")),
                    offset: i * 10,
                },
                0.5,
            )
            .expect("write");
    }
    drop(store);
    dir.join(FILE_NAME)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Opens a damaged store and checks the whole recovery: a notice naming where the old file
/// went, the file and its `-wal`/`-shm` moved there, a fresh store that works, and no notice
/// the next time.
fn assert_recovers(dir: &Path) {
    let file = dir.join(FILE_NAME);
    let damaged = fs::read(&file).expect("read damaged");
    fs::write(dir.join(format!("{FILE_NAME}-wal")), b"stale wal").expect("wal");
    fs::write(dir.join(format!("{FILE_NAME}-shm")), b"stale shm").expect("shm");

    let opened = Store::open_in(dir).expect("a damaged store is replaced, not an error");
    let notice = opened.notice.expect("one notice");
    assert!(
        notice.contains("unreadable") && notice.contains(".corrupt-"),
        "{notice}"
    );
    let names = entries(dir);
    let aside: Vec<&String> = names.iter().filter(|n| n.contains(".corrupt-")).collect();
    assert_eq!(aside.len(), 3, "main, -wal and -shm moved aside: {names:?}");
    let main = aside
        .iter()
        .find(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .expect("main file moved");
    assert!(
        notice.contains(main.as_str()),
        "notice names {main}: {notice}"
    );
    assert_eq!(
        fs::read(dir.join(main)).expect("kept"),
        damaged,
        "kept as it was"
    );
    assert!(aside.iter().any(|n| n.ends_with("-wal")));
    assert!(aside.iter().any(|n| n.ends_with("-shm")));

    let mut store = opened.store;
    let key = ArticleKey {
        path: dir.join("a.md"),
        hash: folio::store::ContentHash(1),
    };
    store
        .set_saved(std::slice::from_ref(&key), true)
        .expect("fresh store writes");
    store.integrity_check().expect("fresh store is sound");
    drop(store);
    let again = Store::open_in(dir).expect("reopen");
    assert_eq!(again.notice, None, "the notice is given once");
}

#[test]
fn a_state_file_of_garbage_is_moved_aside_with_wal_and_shm_and_started_fresh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(FILE_NAME);
    let garbage: Vec<u8> = (0..50_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    fs::write(&file, garbage).expect("garbage");
    assert_recovers(dir.path());
}

#[test]
fn a_truncated_state_file_is_moved_aside_and_started_fresh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = store_with_states(dir.path());
    let bytes = fs::read(&file).expect("read");
    assert!(bytes.len() > 8192, "the store spans pages: {}", bytes.len());
    // Cut mid-way: the header still reads, the pages it points at are gone.
    fs::write(&file, &bytes[..bytes.len() / 2]).expect("truncate");
    assert_recovers(dir.path());
}

#[test]
fn a_state_file_cut_inside_its_header_is_moved_aside() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = store_with_states(dir.path());
    let bytes = fs::read(&file).expect("read");
    fs::write(&file, &bytes[..60]).expect("truncate");
    assert_recovers(dir.path());
}

#[test]
fn a_plain_file_where_the_state_folder_should_be_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("folio");
    fs::write(&blocker, "not a folder").expect("file");
    let error = Store::open_in(&blocker).expect_err("cannot open");
    assert!(matches!(error, StoreError::Folder { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("state folder") && message.contains("folio"),
        "{message}"
    );
    // And nothing was written in its place.
    assert_eq!(fs::read_to_string(&blocker).expect("read"), "not a folder");
    let error = Store::open_in(&blocker.join("sub")).expect_err("nor below it");
    assert!(matches!(error, StoreError::Folder { .. }), "{error:?}");
}

#[test]
fn a_store_from_a_newer_folio_is_left_byte_for_byte_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = store_with_states(dir.path());
    {
        let conn = rusqlite::Connection::open(&file).expect("raw open");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("bump version");
    }
    let before = fs::read(&file).expect("read");
    let names_before = entries(dir.path());
    let error = Store::open_in(dir.path()).expect_err("newer is refused");
    match &error {
        StoreError::Newer { found, known, .. } => {
            assert_eq!((*found, *known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected Newer, got {other:?}"),
    }
    assert!(error.to_string().contains("newer folio"), "{error}");
    assert_eq!(
        fs::read(&file).expect("read"),
        before,
        "not one byte changed"
    );
    assert_eq!(
        entries(dir.path()),
        names_before,
        "nothing moved aside or added"
    );
}

#[test]
fn a_moved_or_renamed_article_with_unchanged_content_keeps_its_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let library = dir.path().join("library");
    fs::create_dir_all(library.join("sub")).expect("mkdir");
    let original = library.join("draft.md");
    fs::write(&original, "# A long read\n\nBody text.\n").expect("write");
    let state_dir = dir.path().join("state");
    let mut store = Store::open_in(&state_dir).expect("open").store;
    let key = ArticleKey::of_file(&original).expect("key");
    store
        .set_saved(std::slice::from_ref(&key), true)
        .expect("save");
    store
        .set_position(
            &key,
            &Position {
                heading: Some("a-long-read".into()),
                offset: 5,
            },
            0.4,
        )
        .expect("position");

    // Renamed into a subfolder: `folio mark` or the reader asks by the new path.
    let renamed = library.join("sub/final-name.md");
    fs::rename(&original, &renamed).expect("rename");
    let state = store
        .state(&ArticleKey::of_file(&renamed).expect("key"))
        .expect("state")
        .expect("the state followed the file");
    assert!(state.saved);
    assert_eq!(state.progress, 0.4);
    assert_eq!(state.position.map(|p| p.offset), Some(5));

    // Moved again: the list's batch read finds it too, hashing only because a row is lost.
    let moved = library.join("moved.md");
    fs::rename(&renamed, &moved).expect("rename");
    let (root, paths) = folio::store::key_paths(&library, [moved.as_path()]).expect("keys");
    let states = store
        .states(&root, &paths, |i| {
            folio::store::ContentHash::of_file(&paths[i]).ok()
        })
        .expect("states");
    assert!(states[0].as_ref().is_some_and(|s| s.saved), "{states:?}");

    // Changed content at a new path is another article.
    let edited = library.join("edited.md");
    fs::write(&edited, "# Something else\n").expect("write");
    fs::remove_file(&moved).expect("remove");
    assert_eq!(
        store
            .state(&ArticleKey::of_file(&edited).expect("key"))
            .expect("state"),
        None
    );
}

#[test]
fn a_full_disk_is_an_error_not_a_corruption() {
    // /dev/full answers every write with ENOSPC, as a full disk does; reads give zeros.
    if !Path::new("/dev/full").exists() {
        eprintln!("NOTICE: no /dev/full; skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink("/dev/full", dir.path().join(FILE_NAME)).expect("symlink");
    let error = Store::open_in(dir.path()).expect_err("nothing can be written");
    assert!(matches!(error, StoreError::Sqlite { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("full"), "{message}");
    let names = entries(dir.path());
    assert!(
        names.iter().all(|n| !n.contains(".corrupt-")),
        "a full disk is not a reason to move the state aside: {names:?}"
    );
}
