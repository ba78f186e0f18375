//! The state store under abuse from other processes: killed with SIGKILL mid-write, and two
//! processes writing the same store at once. The child processes are this test binary itself,
//! running the ignored `worker` test with the environment telling it what to write.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use folio::store::{ArticleKey, ContentHash, Position, Store};

use crate::support;

const DIR: &str = "FOLIO_STORE_WORKER_DIR";
const ID: &str = "FOLIO_STORE_WORKER_ID";
const COUNT: &str = "FOLIO_STORE_WORKER_COUNT";

fn key(dir: &Path, id: &str, i: u64) -> ArticleKey {
    ArticleKey {
        path: dir.join("library").join(format!("{id}-{i}.md")),
        hash: ContentHash(i),
    }
}

/// What the worker writes for article `i`, and what the checks expect.
fn expected_saved(i: u64) -> bool {
    i % 2 == 0
}

fn expected_progress(i: u64) -> f64 {
    (i % 10) as f64 / 10.0
}

/// The child's body: writes marks and positions for articles 0, 1, 2 … and prints `ACK i`
/// after each article's writes have returned (committed). Runs until killed, or COUNT articles.
#[test]
#[ignore = "a child process of the other tests, not a test on its own"]
fn worker() {
    // Run by hand with `--ignored`, there is nothing to do.
    let Some(dir) = std::env::var_os(DIR).map(PathBuf::from) else {
        return;
    };
    let id = std::env::var(ID).expect("worker id");
    let count: u64 = std::env::var(COUNT)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(u64::MAX);
    let mut store = Store::open_in(&dir.join("state")).expect("open").store;
    let root = dir.join("library");
    for i in 0..count {
        let key = key(&dir, &id, i);
        store
            .set_position(
                &key,
                &Position {
                    heading: Some(format!("h{i}")),
                    offset: i,
                },
                expected_progress(i),
            )
            .expect("position");
        store.opened_now(&key).expect("opened");
        store
            .set_saved(std::slice::from_ref(&key), expected_saved(i))
            .expect("saved");
        // Shared rows both workers fight over.
        store.set_last_selected(&root, &key.path).expect("select");
        println!("ACK {i}");
    }
}

fn spawn_worker(dir: &Path, id: &str, count: Option<u64>) -> Child {
    let exe = std::env::current_exe().expect("test binary");
    let mut command = Command::new(exe);
    support::isolate(&mut command, dir);
    command
        .args([
            "--exact",
            "store_crash::worker",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR, dir)
        .env(ID, id)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match count {
        Some(n) => command.env(COUNT, n.to_string()),
        None => command.env_remove(COUNT),
    };
    command.spawn().expect("spawn worker")
}

/// Reads `ACK i` lines from a child as they come, with when each arrived.
fn acks(child: &mut Child) -> mpsc::Receiver<(u64, Instant)> {
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // The harness prints `test worker ... ` before the first line of the test's own.
            let ack = line.find("ACK ").map(|at| &line[at + 4..]);
            if let Some(i) = ack.and_then(|i| i.trim().parse().ok()) {
                if tx.send((i, Instant::now())).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

/// Every acknowledged article has exactly what the worker wrote.
fn assert_all_there(store: &mut Store, dir: &Path, id: &str, acked: impl Iterator<Item = u64>) {
    for i in acked {
        let state = store
            .state(&key(dir, id, i))
            .expect("read")
            .unwrap_or_else(|| panic!("{id}: acknowledged article {i} lost"));
        assert_eq!(state.saved, expected_saved(i), "{id}-{i} saved");
        assert_eq!(state.progress, expected_progress(i), "{id}-{i} progress");
        assert_eq!(
            state.position.map(|p| p.offset),
            Some(i),
            "{id}-{i} position"
        );
        assert!(state.last_opened.is_some(), "{id}-{i} opened");
    }
}

/// A small xorshift generator seeded from the clock; the seed is printed so a failure can be
/// replayed by reading it from the log.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64 | 1);
        eprintln!("kill schedule seed: {seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn marks_survive_kill_9_at_random_moments_and_the_store_stays_sound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = Rng::new();
    let mut total_acked = 0;
    for round in 0..12 {
        let id = format!("round{round}");
        let mut child = spawn_worker(dir.path(), &id, None);
        let rx = acks(&mut child);
        // Wait for the first mark so every round kills a child in the middle of writing,
        // then a random while longer (the first rounds also kill during start-up).
        if round >= 3 {
            let _ = rx.recv_timeout(Duration::from_secs(20));
        }
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let acked: Vec<(u64, Instant)> = rx.iter().collect();
        // The issue asks for marks made more than two seconds before the kill; WAL keeps every
        // committed one, so every acknowledged mark is checked.
        total_acked += acked.len();

        let opened = Store::open_in(&dir.path().join("state")).expect("opens after kill -9");
        assert_eq!(opened.notice, None, "round {round}: not treated as corrupt");
        let mut store = opened.store;
        store.integrity_check().expect("integrity_check ok");
        assert_all_there(&mut store, dir.path(), &id, acked.iter().map(|(i, _)| *i));
    }
    eprintln!("{total_acked} acknowledged articles checked across the kills");
    assert!(
        total_acked > 0,
        "the workers wrote something before being killed"
    );
}

#[test]
fn two_processes_marking_the_same_library_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Create the store first, so the two do not also race to create it (that race is the
    // next test's).
    drop(Store::open_in(&dir.path().join("state")).expect("open"));
    let count = 150;
    let mut a = spawn_worker(dir.path(), "a", Some(count));
    let mut b = spawn_worker(dir.path(), "b", Some(count));
    let acks_a = acks(&mut a);
    let acks_b = acks(&mut b);
    let out_a = a.wait_with_output().expect("wait a");
    let out_b = b.wait_with_output().expect("wait b");
    assert!(
        out_a.status.success(),
        "{}",
        String::from_utf8_lossy(&out_a.stderr)
    );
    assert!(
        out_b.status.success(),
        "{}",
        String::from_utf8_lossy(&out_b.stderr)
    );
    assert_eq!(acks_a.iter().count() as u64, count);
    assert_eq!(acks_b.iter().count() as u64, count);
    let mut store = Store::open_in(&dir.path().join("state"))
        .expect("open")
        .store;
    store.integrity_check().expect("integrity_check ok");
    assert_all_there(&mut store, dir.path(), "a", 0..count);
    assert_all_there(&mut store, dir.path(), "b", 0..count);
}

#[test]
fn two_processes_creating_the_store_at_once_both_succeed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = spawn_worker(dir.path(), "a", Some(20));
    let mut b = spawn_worker(dir.path(), "b", Some(20));
    let acks_a = acks(&mut a);
    let acks_b = acks(&mut b);
    let out_a = a.wait_with_output().expect("wait a");
    let out_b = b.wait_with_output().expect("wait b");
    assert!(
        out_a.status.success(),
        "{}",
        String::from_utf8_lossy(&out_a.stderr)
    );
    assert!(
        out_b.status.success(),
        "{}",
        String::from_utf8_lossy(&out_b.stderr)
    );
    assert_eq!(acks_a.iter().count(), 20);
    assert_eq!(acks_b.iter().count(), 20);
    let mut store = Store::open_in(&dir.path().join("state"))
        .expect("open")
        .store;
    assert_all_there(&mut store, dir.path(), "a", 0..20);
    assert_all_there(&mut store, dir.path(), "b", 0..20);
}
