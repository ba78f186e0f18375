//! Unit tests of the store's rules: what each write does to an article's state, moves, and
//! what counts as new since the last run.

use super::*;
use std::collections::HashSet;

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = Store::open_in(dir.path()).expect("open");
    assert_eq!(opened.notice, None);
    (dir, opened.store)
}

fn key(path: &Path, hash: u64) -> ArticleKey {
    ArticleKey {
        path: path.to_path_buf(),
        hash: ContentHash(hash),
    }
}

fn position(heading: &str, offset: u64) -> Position {
    Position {
        heading: Some(heading.to_owned()),
        offset,
    }
}

#[test]
fn an_unknown_article_has_no_state() {
    let (dir, mut store) = fresh();
    let a = key(&dir.path().join("a.md"), 1);
    assert_eq!(store.state(&a).expect("state"), None);
}

#[test]
fn progress_only_grows_and_reaching_the_end_marks_read() {
    let (dir, mut store) = fresh();
    let a = key(&dir.path().join("a.md"), 1);
    store
        .set_position(&a, &position("two", 40), 0.5)
        .expect("write");
    store
        .set_position(&a, &position("one", 3), 0.2)
        .expect("write");
    let state = store.state(&a).expect("state").expect("some");
    assert_eq!(state.progress, 0.5);
    assert_eq!(
        state.position,
        Some(position("one", 3)),
        "the position is the last one"
    );
    assert!(!state.read);
    store
        .set_position(&a, &position("end", 0), 1.0)
        .expect("write");
    assert!(store.state(&a).expect("state").expect("some").read);
}

#[test]
fn progress_is_clamped_to_zero_to_one() {
    let (dir, mut store) = fresh();
    let a = key(&dir.path().join("a.md"), 1);
    store
        .set_position(&a, &Position::default(), f64::NAN)
        .expect("write");
    assert_eq!(store.state(&a).expect("state").expect("some").progress, 0.0);
    store
        .set_position(&a, &Position::default(), 7.0)
        .expect("write");
    assert_eq!(store.state(&a).expect("state").expect("some").progress, 1.0);
}

#[test]
fn unread_resets_progress_but_keeps_the_position() {
    let (dir, mut store) = fresh();
    let a = key(&dir.path().join("a.md"), 1);
    store
        .set_position(&a, &position("middle", 12), 0.42)
        .expect("write");
    store
        .set_read(std::slice::from_ref(&a), true)
        .expect("read");
    let state = store.state(&a).expect("state").expect("some");
    assert!(state.read);
    assert_eq!(state.progress, 1.0);
    store
        .set_read(std::slice::from_ref(&a), false)
        .expect("unread");
    let state = store.state(&a).expect("state").expect("some");
    assert!(!state.read);
    assert_eq!(state.progress, 0.0);
    assert_eq!(state.position, Some(position("middle", 12)));
}

#[test]
fn saved_and_opened_are_independent_of_read() {
    let (dir, mut store) = fresh();
    let a = key(&dir.path().join("a.md"), 1);
    store
        .set_saved(std::slice::from_ref(&a), true)
        .expect("save");
    store.opened_now(&a).expect("opened");
    let state = store.state(&a).expect("state").expect("some");
    assert!(state.saved && !state.read);
    assert!(state.last_opened.is_some_and(|t| t > 1_600_000_000));
    store
        .set_saved(std::slice::from_ref(&a), false)
        .expect("unsave");
    assert!(!store.state(&a).expect("state").expect("some").saved);
}

#[test]
fn batch_read_returns_states_in_the_order_asked() {
    let (dir, mut store) = fresh();
    let root = dir.path().canonicalize().expect("canonical");
    let paths: Vec<PathBuf> = (0..5).map(|i| root.join(format!("{i}.md"))).collect();
    for path in &paths {
        std::fs::write(path, "x").expect("write");
    }
    store.set_read(&[key(&paths[1], 1)], true).expect("read");
    store.set_saved(&[key(&paths[3], 3)], true).expect("save");
    let states = store.states(&root, &paths, |_| None).expect("states");
    let summary: Vec<(bool, bool)> = states
        .iter()
        .map(|s| s.as_ref().map_or((false, false), |s| (s.read, s.saved)))
        .collect();
    assert_eq!(
        summary,
        vec![
            (false, false),
            (true, false),
            (false, false),
            (false, true),
            (false, false)
        ]
    );
}

#[test]
fn batch_read_does_not_see_another_folder_with_a_common_prefix() {
    let (dir, mut store) = fresh();
    let root = dir.path().join("lib");
    let other = dir.path().join("lib2");
    store
        .set_read(&[key(&other.join("a.md"), 1)], true)
        .expect("read");
    // `lib2/a.md` shares the prefix `lib`; the range `lib/ .. lib0` must leave it out.
    let states = store
        .states(&root, &[root.join("a.md")], |_| Some(ContentHash(1)))
        .expect("states");
    assert_eq!(states, vec![None]);
}

#[test]
fn a_moved_article_keeps_its_state_in_the_batch_read() {
    let (dir, mut store) = fresh();
    let root = dir.path().canonicalize().expect("canonical");
    let old = root.join("old.md");
    let new = root.join("new.md");
    std::fs::write(&new, "moved").expect("write");
    store.set_saved(&[key(&old, 9)], true).expect("save");
    let states = store
        .states(&root, std::slice::from_ref(&new), |_| Some(ContentHash(9)))
        .expect("states");
    assert!(states[0].as_ref().is_some_and(|s| s.saved));
    // Re-keyed: found by path now, without a hash.
    let states = store
        .states(&root, std::slice::from_ref(&new), |_| None)
        .expect("states");
    assert!(states[0].as_ref().is_some_and(|s| s.saved));
}

#[test]
fn a_copy_does_not_take_the_state_of_an_article_still_there() {
    let (dir, mut store) = fresh();
    let root = dir.path().canonicalize().expect("canonical");
    let original = root.join("a.md");
    let copy = root.join("copy.md");
    std::fs::write(&original, "same").expect("write");
    std::fs::write(&copy, "same").expect("write");
    store.set_read(&[key(&original, 5)], true).expect("read");
    assert_eq!(store.state(&key(&copy, 5)).expect("state"), None);
    let states = store
        .states(&root, std::slice::from_ref(&copy), |_| Some(ContentHash(5)))
        .expect("states");
    assert_eq!(states, vec![None]);
    assert!(store.state(&key(&original, 5)).expect("state").is_some());
}

#[test]
fn an_edited_article_keeps_its_state() {
    let (dir, mut store) = fresh();
    let a = dir.path().join("a.md");
    store.set_saved(&[key(&a, 1)], true).expect("save");
    assert!(
        store
            .state(&key(&a, 2))
            .expect("state")
            .is_some_and(|s| s.saved)
    );
}

#[test]
fn first_run_marks_nothing_new_then_added_and_changed_are_new() {
    let (dir, mut store) = fresh();
    let root = dir.path();
    let a = key(&root.join("a.md"), 1);
    let b = key(&root.join("b.md"), 2);
    let first = store
        .new_since_last_run(root, &[a.clone(), b.clone()])
        .expect("first");
    assert!(first.is_empty());
    let c = key(&root.join("c.md"), 3);
    let b_changed = key(&root.join("b.md"), 22);
    let second = store
        .new_since_last_run(root, &[a.clone(), b_changed.clone(), c.clone()])
        .expect("second");
    assert_eq!(
        second,
        HashSet::from([b_changed.path.clone(), c.path.clone()])
    );
    let third = store
        .new_since_last_run(root, &[a, b_changed, c])
        .expect("third");
    assert!(third.is_empty(), "nothing changed since: {third:?}");
}

#[test]
fn a_moved_article_is_not_new_and_a_removed_one_is_forgotten() {
    let (dir, mut store) = fresh();
    let root = dir.path();
    let a = key(&root.join("a.md"), 1);
    let b = key(&root.join("b.md"), 2);
    store
        .new_since_last_run(root, &[a, b.clone()])
        .expect("first");
    let renamed = key(&root.join("renamed.md"), 1);
    let new = store
        .new_since_last_run(root, std::slice::from_ref(&renamed))
        .expect("second");
    assert!(new.is_empty(), "{new:?}");
    // b.md was removed at the second run; its return is new.
    let new = store
        .new_since_last_run(root, &[renamed, b.clone()])
        .expect("third");
    assert_eq!(new, HashSet::from([b.path]));
}

#[test]
fn the_last_selected_article_is_per_library() {
    let (dir, mut store) = fresh();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    assert_eq!(store.last_selected(&one).expect("read"), None);
    store
        .set_last_selected(&one, &one.join("x.md"))
        .expect("write");
    store
        .set_last_selected(&two, &two.join("y.md"))
        .expect("write");
    store
        .set_last_selected(&one, &one.join("z.md"))
        .expect("write");
    assert_eq!(
        store.last_selected(&one).expect("read"),
        Some(one.join("z.md"))
    );
    assert_eq!(
        store.last_selected(&two).expect("read"),
        Some(two.join("y.md"))
    );
}

#[test]
fn the_list_order_is_per_library_and_keeps_the_selection() {
    let (dir, mut store) = fresh();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    assert_eq!(store.sort(&one).expect("read"), None);
    store
        .set_last_selected(&one, &one.join("x.md"))
        .expect("select");
    store.set_sort(&one, "title").expect("write");
    store.set_sort(&two, "recent").expect("write");
    store.set_sort(&one, "path").expect("write");
    assert_eq!(store.sort(&one).expect("read").as_deref(), Some("path"));
    assert_eq!(store.sort(&two).expect("read").as_deref(), Some("recent"));
    assert_eq!(
        store.last_selected(&one).expect("read"),
        Some(one.join("x.md")),
        "writing the order kept the selection"
    );
}

#[test]
fn a_store_from_before_the_list_order_is_migrated_and_keeps_its_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let library = dir.path().join("lib");
    {
        // A store as the first schema left it, with a library row.
        let conn = rusqlite::Connection::open(dir.path().join(FILE_NAME)).expect("open");
        conn.execute_batch(schema::MIGRATIONS[0]).expect("schema 1");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute(
            "INSERT INTO library (root, last_selected) VALUES (?1, ?2)",
            rusqlite::params![path_blob(&library), path_blob(&library.join("a.md"))],
        )
        .expect("row");
    }
    let mut store = Store::open_in(dir.path()).expect("open").store;
    assert_eq!(
        schema::user_version(&store.conn).expect("version"),
        SCHEMA_VERSION
    );
    assert_eq!(
        store.last_selected(&library).expect("read"),
        Some(library.join("a.md"))
    );
    assert_eq!(store.sort(&library).expect("read"), None);
    store.set_sort(&library, "title").expect("write");
    assert_eq!(
        store.sort(&library).expect("read").as_deref(),
        Some("title")
    );
}

#[test]
fn non_utf8_paths_round_trip() {
    use std::os::unix::ffi::OsStrExt;
    let (dir, mut store) = fresh();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    let a = key(&dir.path().join(name), 1);
    store
        .set_saved(std::slice::from_ref(&a), true)
        .expect("save");
    store
        .set_last_selected(dir.path(), &a.path)
        .expect("select");
    assert_eq!(
        store.last_selected(dir.path()).expect("read"),
        Some(a.path.clone())
    );
    assert!(store.state(&a).expect("state").is_some_and(|s| s.saved));
}

#[test]
fn a_fresh_store_is_at_the_current_schema_version_in_wal_mode() {
    let (_dir, store) = fresh();
    assert_eq!(
        schema::user_version(&store.conn).expect("version"),
        SCHEMA_VERSION
    );
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = key(&dir.path().join("a.md"), 1);
    {
        let mut store = Store::open_in(dir.path()).expect("open").store;
        store
            .set_position(&a, &position("h", 7), 0.3)
            .expect("write");
    }
    let mut store = Store::open_in(dir.path()).expect("reopen").store;
    let state = store.state(&a).expect("state").expect("some");
    assert_eq!(state.position, Some(position("h", 7)));
    assert_eq!(state.progress, 0.3);
}

#[test]
fn state_dir_prefers_the_environment_then_the_config_then_xdg_then_home() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        }
    };
    let config = Some(Path::new("/config/state"));
    let all = env(&[
        ("FOLIO_STATE_DIR", "/env/state"),
        ("XDG_STATE_HOME", "/xdg"),
        ("HOME", "/home/u"),
    ]);
    assert_eq!(
        state_dir_in(all, config).expect("dir"),
        PathBuf::from("/env/state")
    );
    let no_env = env(&[
        ("FOLIO_STATE_DIR", ""),
        ("XDG_STATE_HOME", "/xdg"),
        ("HOME", "/home/u"),
    ]);
    assert_eq!(
        state_dir_in(no_env, config).expect("dir"),
        PathBuf::from("/config/state")
    );
    assert_eq!(
        state_dir_in(no_env, None).expect("dir"),
        PathBuf::from("/xdg/folio")
    );
    let relative_xdg = env(&[("XDG_STATE_HOME", "relative"), ("HOME", "/home/u")]);
    assert_eq!(
        state_dir_in(relative_xdg, None).expect("dir"),
        PathBuf::from("/home/u/.local/state/folio")
    );
    assert!(matches!(
        state_dir_in(env(&[]), None),
        Err(StoreError::NoFolder)
    ));
}

#[test]
fn a_store_can_be_moved_to_a_worker_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
    let (dir, store) = fresh();
    let path = dir.path().join("a.md");
    let handle = std::thread::spawn(move || {
        let mut store = store;
        store.set_saved(&[key(&path, 1)], true).map(|()| store)
    });
    let store = handle.join().expect("thread").expect("write");
    let mut other = store.reconnect().expect("second connection");
    assert!(
        other
            .state(&key(&dir.path().join("a.md"), 1))
            .expect("read")
            .is_some_and(|s| s.saved)
    );
}
