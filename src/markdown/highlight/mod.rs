//! Code highlighting: syntect with bat's syntax set (via two-face), scopes mapped to folio's
//! code tokens (never colours: the theme colours them).
//!
//! Highlighting never changes text or layout, only `Style::token`, so a document may be laid
//! out and shown plain first and highlighted later ([`highlight_document`], off the UI
//! thread). Blocks are highlighted in parallel, remembered by content for the session, and a
//! hostile block (a line over [`MAX_LINE`] bytes, a block over [`MAX_BLOCK`]) stays plain.

mod lang;
mod rust;
mod scopes;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, LazyLock, Mutex};

use rayon::prelude::*;
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

use lang::Grammar;
pub(crate) use lang::fence_language;

use super::model::{Block, BlockKind, Document, Run, Token};

/// From a line this long to the end of its block, code stays plain: a regex grammar on a
/// minified megabyte line can take seconds.
pub(crate) const MAX_LINE: usize = 5_000;
/// A block this big stays plain.
pub(crate) const MAX_BLOCK: usize = 1 << 20;
/// How many bytes of pieces the session cache keeps (oldest forgotten first).
const CACHE_BYTES: usize = 16 << 20;

/// bat's syntax set, loaded on first use (a few tens of milliseconds; never for a document
/// without a fenced language).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// One line's pieces: byte length and token, covering the line exactly.
pub(crate) type Pieces = Vec<(usize, Option<Token>)>;

/// A block as the cache knows it: its grammar and a 128-bit hash of its text. Keys once held
/// the text itself, twice (map and order): a copy of all the code of the articles read.
/// Pieces found under a colliding hash would not cover the lines, which then stay plain.
type Key = (String, u128);

/// Highlighted blocks of this session by [`Key`].
#[derive(Default)]
struct Cache {
    map: HashMap<Key, Arc<Vec<Pieces>>>,
    order: VecDeque<Key>,
    bytes: usize,
}

/// The cache's key for a block's lines under a grammar.
fn key_of(grammar: &str, lines: &[String]) -> Key {
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    for line in lines {
        hash.update(line.as_bytes());
        hash.update(b"\n");
    }
    (grammar.to_owned(), hash.digest128())
}

/// What a cached block holds, in bytes.
fn cached_size(key: &Key, pieces: &[Pieces]) -> usize {
    let each = std::mem::size_of::<(usize, Option<Token>)>();
    2 * (key.0.len() + 16)
        + pieces
            .iter()
            .map(|line| std::mem::size_of::<Pieces>() + line.len() * each)
            .sum::<usize>()
}

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

impl Cache {
    fn get(key: &Key) -> Option<Arc<Vec<Pieces>>> {
        CACHE.lock().ok()?.map.get(key).cloned()
    }

    fn put(key: Key, value: Arc<Vec<Pieces>>) {
        let Ok(mut cache) = CACHE.lock() else {
            return;
        };
        let size = cached_size(&key, &value);
        if size > CACHE_BYTES || cache.map.contains_key(&key) {
            return;
        }
        while cache.bytes + size > CACHE_BYTES {
            let Some(old) = cache.order.pop_front() else {
                break;
            };
            if let Some(pieces) = cache.map.remove(&old) {
                cache.bytes -= cached_size(&old, &pieces);
            }
        }
        cache.bytes += size;
        cache.order.push_back(key.clone());
        cache.map.insert(key, value);
    }
}

/// Loads the syntax set and compiles the grammars of the fenced languages in `markdown` on the
/// thread pool, so that this fixed cost overlaps with parsing the document: a one-shot
/// `folio print` pays it once per process.
pub fn prewarm(markdown: &str) {
    let mut langs: Vec<String> = Vec::new();
    for line in markdown.lines() {
        let line = line.trim_start();
        let info = if let Some(fence) = ["```", "~~~"].iter().find(|f| line.starts_with(**f)) {
            line.trim_start_matches(fence.as_bytes()[0] as char)
        } else if let Some(tag) = ["{{<", "{{%", "{%"].iter().find(|t| line.starts_with(**t)) {
            // `{{< highlight go >}}` and Jekyll's `{% highlight ruby %}`.
            match line[tag.len()..].trim_start().strip_prefix("highlight ") {
                Some(rest) => rest,
                None => continue,
            }
        } else {
            continue;
        };
        if let Some(lang) = fence_language(info) {
            if !langs.contains(&lang) {
                langs.push(lang);
            }
        }
        // Many distinct languages: the rest compile when first used.
        if langs.len() >= 8 {
            break;
        }
    }
    // A task per language: where the pool has threads to spare, the grammars load and compile
    // side by side.
    for lang in langs {
        rayon::spawn(move || {
            if let Some(Grammar::Syntax(syntax) | Grammar::Console(syntax)) = lang::grammar(&lang) {
                // One line compiles the patterns of the grammar's main context.
                let _ = Lexer::new(syntax).line("x");
            }
        });
    }
}

/// Starts loading the syntax set on another thread, before the document is even read: the
/// load is the first link of a chain (grammar, patterns, blocks) that `folio print` waits
/// on. Loading it is a waste only of another core's time when the document has no code.
pub fn load_soon() {
    rayon::spawn(|| {
        LazyLock::force(&SYNTAXES);
    });
}

/// Forgets every highlighted block: for benchmarks of the first highlighting of a document.
#[doc(hidden)]
pub fn clear_cache() {
    if let Ok(mut cache) = CACHE.lock() {
        *cache = Cache::default();
    }
}

/// Sets the code tokens of every code block whose language is known, in parallel across
/// blocks. Text is never changed; a block already highlighted is highlighted again the same.
pub fn highlight_document(doc: &mut Document) {
    doc.blocks.par_iter_mut().for_each(|block| {
        if let BlockKind::Code {
            lang: Some(lang),
            lines,
        } = &mut block.kind
        {
            highlight_block(lang, lines);
        }
    });
}

/// Highlights one code block's lines in place (the reader's highlighting job calls this).
pub fn highlight_block(lang: &str, lines: &mut [Vec<Run>]) {
    let texts = texts_of(lines);
    if let Some(pieces) = pieces_for(lang, &texts) {
        apply(lines, &texts, &pieces);
    }
}

/// Each line of a code block as one string.
fn texts_of(lines: &[Vec<Run>]) -> Vec<String> {
    lines
        .iter()
        .map(|runs| runs.iter().map(|r| r.text.as_str()).collect())
        .collect()
}

/// The pieces of a block's lines under `lang`, from the session's cache or highlighted now;
/// `None` for an unknown language or a block over [`MAX_BLOCK`].
fn pieces_for(lang: &str, texts: &[String]) -> Option<Arc<Vec<Pieces>>> {
    let total: usize = texts.iter().map(|t| t.len() + 1).sum();
    if total > MAX_BLOCK {
        return None;
    }
    let grammar = lang::grammar(lang)?;
    let key = key_of(grammar.key(), texts);
    Some(match Cache::get(&key) {
        Some(pieces) => pieces,
        None => {
            let pieces = Arc::new(highlight_lines(&grammar, texts));
            Cache::put(key, Arc::clone(&pieces));
            pieces
        }
    })
}

/// Gives each line of a block (whose text is `texts`) the tokens of its pieces.
fn apply(lines: &mut [Vec<Run>], texts: &[String], pieces: &[Pieces]) {
    for ((runs, text), line_pieces) in lines.iter_mut().zip(texts).zip(pieces) {
        let Some(base) = runs.first().map(|r| Run {
            style: super::model::Style {
                token: None,
                ..r.style
            },
            ..Run::default()
        }) else {
            continue;
        };
        let mut at = 0;
        let mut out = Vec::with_capacity(line_pieces.len());
        for &(len, token) in line_pieces {
            let Some(piece) = text.get(at..at + len) else {
                break;
            };
            at += len;
            out.push(Run {
                text: piece.to_owned(),
                style: super::model::Style {
                    token,
                    ..base.style
                },
                link: None,
            });
        }
        // Pieces always cover the line; should they not, the plain line stays.
        if at == text.len() {
            *runs = out;
        }
    }
}

/// A document's code blocks being highlighted on another thread while the caller lays the
/// document out in order (`folio print`): layout never waits for code further on, and
/// colouring no longer waits for the whole parse-then-highlight to end before the first row
/// is written. The caller takes each block's colours as it reaches it ([`Pending::apply`]),
/// and highlights a block itself if the other thread has not begun it, so the two share the
/// work.
pub struct Pending {
    jobs: Arc<[Job]>,
    /// Every job before this one has been taken by some thread.
    taken: std::cell::Cell<usize>,
}

/// One code block to highlight.
struct Job {
    /// Its index in the document's blocks.
    block: usize,
    lang: String,
    texts: Vec<String>,
    state: Mutex<JobState>,
    finished: std::sync::Condvar,
}

enum JobState {
    Waiting,
    /// A thread took it.
    Running,
    /// Its pieces; `None` for a language without a grammar or a block past the caps.
    Done(Option<Arc<Vec<Pieces>>>),
}

impl Job {
    /// Highlights the block unless a thread already took it.
    fn run(&self) {
        {
            let Ok(mut state) = self.state.lock() else {
                return;
            };
            if !matches!(*state, JobState::Waiting) {
                return;
            }
            *state = JobState::Running;
        }
        // A grammar that panics leaves its block plain, and never a waiter waiting.
        let pieces = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pieces_for(&self.lang, &self.texts)
        }))
        .ok()
        .flatten();
        if let Ok(mut state) = self.state.lock() {
            *state = JobState::Done(pieces);
        }
        self.finished.notify_all();
    }

    /// Whether no thread has taken it yet.
    fn waiting(&self) -> bool {
        self.state
            .lock()
            .is_ok_and(|state| matches!(*state, JobState::Waiting))
    }

    /// Its pieces if a thread has finished it (`Some(None)`: finished without pieces).
    fn finished(&self) -> Option<Option<Arc<Vec<Pieces>>>> {
        match &*self.state.lock().ok()? {
            JobState::Done(pieces) => Some(pieces.clone()),
            _ => None,
        }
    }

    /// The block's pieces once a thread has highlighted it.
    fn wait(&self) -> Option<Arc<Vec<Pieces>>> {
        let mut state = self.state.lock().ok()?;
        loop {
            match &*state {
                JobState::Done(pieces) => return pieces.clone(),
                _ => state = self.finished.wait(state).ok()?,
            }
        }
    }
}

impl Pending {
    /// Starts highlighting the code blocks of `doc` with a known language, in order, on the
    /// thread pool.
    pub fn start(doc: &Document) -> Pending {
        let jobs: Arc<[Job]> = doc
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(block, b)| match &b.kind {
                BlockKind::Code {
                    lang: Some(lang),
                    lines,
                } => Some(Job {
                    block,
                    lang: lang.clone(),
                    texts: texts_of(lines),
                    state: Mutex::new(JobState::Waiting),
                    finished: std::sync::Condvar::new(),
                }),
                _ => None,
            })
            .collect();
        if !jobs.is_empty() {
            let worker = Arc::clone(&jobs);
            rayon::spawn(move || {
                for job in worker.iter() {
                    job.run();
                }
            });
        }
        Pending {
            jobs,
            taken: std::cell::Cell::new(0),
        }
    }

    /// Colours the code blocks among `blocks`, which are the document's blocks from index
    /// `start` on. A block no thread has begun is highlighted here; while another thread
    /// finishes one, this one highlights blocks further on rather than wait idle.
    pub fn apply(&self, blocks: &mut [Block], start: usize) {
        let jobs = self.jobs_of(start..start + blocks.len());
        for (k, job) in self.jobs.iter().enumerate().take(jobs.end).skip(jobs.start) {
            job.run();
            let pieces = loop {
                if let Some(pieces) = job.finished() {
                    break pieces;
                }
                match self.next_waiting(k + 1) {
                    Some(later) => later.run(),
                    None => break job.wait(),
                }
            };
            let Some(pieces) = pieces else {
                continue;
            };
            if let Some(BlockKind::Code { lines, .. }) =
                blocks.get_mut(job.block - start).map(|b| &mut b.kind)
            {
                apply(lines, &job.texts, &pieces);
            }
        }
    }

    /// Whether every code block among the document's `blocks` has its colours (or is known
    /// to get none): [`Pending::apply`] would not wait for them.
    pub fn ready(&self, blocks: std::ops::Range<usize>) -> bool {
        self.jobs
            .get(self.jobs_of(blocks))
            .is_some_and(|jobs| jobs.iter().all(|job| job.finished().is_some()))
    }

    /// Where the jobs of the document's `blocks` are among the jobs (which are in block order).
    fn jobs_of(&self, blocks: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let from = self.jobs.partition_point(|job| job.block < blocks.start);
        let to = self.jobs.partition_point(|job| job.block < blocks.end);
        from..to.max(from)
    }

    /// The first job from `from` on that no thread has taken. Jobs are only ever taken, so
    /// the search starts where the last one ended.
    fn next_waiting(&self, from: usize) -> Option<&Job> {
        let mut at = self.taken.get().max(from);
        while let Some(job) = self.jobs.get(at) {
            if job.waiting() {
                self.taken.set(at);
                return Some(job);
            }
            at += 1;
        }
        self.taken.set(at);
        None
    }
}

/// Pieces for every line (empty for the plain ones past a cap or a grammar error).
fn highlight_lines(grammar: &Grammar, lines: &[String]) -> Vec<Pieces> {
    let mut out: Vec<Pieces> = Vec::with_capacity(lines.len());
    match grammar {
        Grammar::Syntax(syntax) => {
            let rust = syntax.name == "Rust";
            let mut lexer = Lexer::new(syntax);
            for line in lines {
                match lexer.line(line) {
                    Some(pieces) if rust => out.push(rust::fix(line, &pieces)),
                    Some(pieces) => out.push(pieces),
                    None => break,
                }
            }
        }
        Grammar::Console(shell) => {
            let mut lexer = Lexer::new(shell);
            // A command ending in `\` goes on on the next line.
            let mut continued = false;
            for line in lines {
                if line.len() > MAX_LINE {
                    break;
                }
                let prompt = lang::prompt_len(line);
                let command = match (continued, prompt) {
                    (true, _) => Some(0),
                    (false, Some(len)) => Some(len),
                    (false, None) => None,
                };
                let Some(start) = command else {
                    out.push(whole(line, Some(Token::Output)));
                    continue;
                };
                let mut pieces = Pieces::new();
                if start > 0 {
                    pieces.push((start, Some(Token::Prompt)));
                }
                match lexer.line(&line[start..]) {
                    Some(rest) => pieces.extend(rest),
                    None => break,
                }
                continued = line.trim_end().ends_with('\\');
                out.push(pieces);
            }
        }
    }
    // Lines past a cap stay plain, as one piece.
    for line in &lines[out.len()..] {
        out.push(whole(line, None));
    }
    out
}

fn whole(line: &str, token: Option<Token>) -> Pieces {
    if line.is_empty() {
        Vec::new()
    } else {
        vec![(line.len(), token)]
    }
}

/// A grammar's parse state carried from line to line, so a string or comment spanning lines
/// keeps its state.
struct Lexer {
    state: ParseState,
    stack: ScopeStack,
    done: bool,
}

impl Lexer {
    fn new(syntax: &SyntaxReference) -> Self {
        Lexer {
            state: ParseState::new(syntax),
            stack: ScopeStack::new(),
            done: false,
        }
    }

    /// One line's pieces, or `None` from an over-long line or a grammar error on.
    fn line(&mut self, line: &str) -> Option<Pieces> {
        if self.done || line.len() > MAX_LINE {
            self.done = true;
            return None;
        }
        // The set is the "newlines" variant: every line is fed with its newline.
        let mut fed = String::with_capacity(line.len() + 1);
        fed.push_str(line);
        fed.push('\n');
        let Ok(ops) = self.state.parse_line(&fed, &SYNTAXES) else {
            self.done = true;
            return None;
        };
        let mut pieces = Pieces::new();
        let mut at = 0;
        let mut push = |pieces: &mut Pieces, end: usize, token: Option<Token>| {
            let end = end.min(line.len());
            if end > at {
                match pieces.last_mut() {
                    Some((len, last)) if *last == token => *len += end - at,
                    _ => pieces.push((end - at, token)),
                }
                at = end;
            }
        };
        for (offset, op) in &ops {
            let token = scopes::token_for(self.stack.as_slice());
            push(&mut pieces, *offset, token);
            if self.stack.apply(op).is_err() {
                self.done = true;
                return None;
            }
        }
        let token = scopes::token_for(self.stack.as_slice());
        push(&mut pieces, line.len(), token);
        Some(pieces)
    }
}

#[cfg(test)]
mod tests;
