//! folio's sanitizer against a reference terminal parser: vte, the one alacritty runs.
//!
//! Generated strings are full of escape sequences (CSI, OSC ended by BEL or ST, DCS, SOS, PM,
//! APC, C1 controls in UTF-8, lone and doubled ESC, sequences cut short, controls inside
//! sequences) mixed with text. vte reads them as a terminal would; folio's output must hold no
//! part of what vte took for a sequence or a control, and, read by vte in turn, must be nothing
//! but text, line feeds and tabs.

use folio::text::{sanitize, sanitize_line};
use proptest::prelude::*;
use vte::{Params, Parser, Perform};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What vte did with a string: the text it would show, and anything else it recognised.
#[derive(Debug, Default)]
struct Seen {
    /// Printed characters, and the line feeds and tabs that a terminal executes (a carriage
    /// return counts as a line feed: sanitize turns it into one).
    text: String,
    /// Every other control executed and every sequence dispatched, described.
    other: Vec<String>,
}

impl Perform for Seen {
    fn print(&mut self, c: char) {
        self.text.push(c);
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\n' | b'\r' => self.text.push('\n'),
            b'\t' => self.text.push('\t'),
            other => self.other.push(format!("execute {other:#04x}")),
        }
    }

    fn hook(&mut self, _: &Params, _: &[u8], _: bool, action: char) {
        self.other.push(format!("DCS {action:?}"));
    }

    fn put(&mut self, byte: u8) {
        self.other.push(format!("DCS put {byte:#04x}"));
    }

    fn unhook(&mut self) {
        self.other.push("DCS end".into());
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _: bool) {
        self.other.push(format!("OSC {params:?}"));
    }

    fn csi_dispatch(&mut self, _: &Params, _: &[u8], _: bool, action: char) {
        self.other.push(format!("CSI {action:?}"));
    }

    fn esc_dispatch(&mut self, _: &[u8], _: bool, byte: u8) {
        self.other.push(format!("ESC {byte:#04x}"));
    }
}

fn parse(s: &str) -> Seen {
    let mut seen = Seen::default();
    Parser::new().advance(&mut seen, s.as_bytes());
    seen
}

/// Whether `small` is `big` with some characters left out.
fn is_subsequence(small: &str, big: &str) -> bool {
    let mut big = big.chars();
    small.chars().all(|c| big.any(|b| b == c))
}

/// Characters a terminal acts on or that reorder text: none may reach the screen.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn ascii_text() -> impl Strategy<Value = String> {
    "[ -~]{0,6}"
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => ascii_text(),
        1 => "[a-zé日本語ќ✜👩‍💻\u{301}\u{200b}\u{200d}\u{202e}\u{2066} ]{0,6}",
        1 => prop::collection::vec(any::<char>(), 0..4).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// A byte a sequence may be cut or interrupted by.
fn control() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
        Just("\u{7f}".to_owned()),
        (0x80u32..0xa0).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
    ]
}

fn params() -> impl Strategy<Value = String> {
    "[0-9;:<=>?]{0,6}[ -/]{0,2}"
}

fn final_byte() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[@-~]", 1 => Just(String::new())]
}

fn string_end() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\u{7}".to_owned()),
        Just("\u{1b}\\".to_owned()),
        Just("\u{9c}".to_owned()),
        Just("\u{18}".to_owned()),
        Just("\u{1b}".to_owned()),
        Just(String::new()),
    ]
}

/// One escape sequence, well-formed or not.
fn sequence() -> impl Strategy<Value = String> {
    let introducer = prop_oneof![
        Just("\u{1b}[".to_owned()),
        Just("\u{9b}".to_owned()),
        Just("\u{1b}]".to_owned()),
        Just("\u{9d}".to_owned()),
        Just("\u{1b}P".to_owned()),
        Just("\u{90}".to_owned()),
        Just("\u{1b}X".to_owned()),
        Just("\u{1b}^".to_owned()),
        Just("\u{1b}_".to_owned()),
        Just("\u{98}".to_owned()),
        Just("\u{9e}".to_owned()),
        Just("\u{9f}".to_owned()),
        Just("\u{1b}".to_owned()),
        Just("\u{1b}\u{1b}".to_owned()),
    ];
    prop_oneof![
        // CSI-like: parameters, maybe a control inside, maybe a final byte.
        (
            introducer.clone(),
            params(),
            prop::option::of(control()),
            params(),
            final_byte()
        )
            .prop_map(|(i, p, c, q, f)| format!("{i}{p}{}{q}{f}", c.unwrap_or_default())),
        // String-like: a payload, maybe a control inside, one of the ways it can end.
        (
            introducer.clone(),
            any_text(),
            prop::option::of(control()),
            string_end()
        )
            .prop_map(|(i, p, c, e)| format!("{i}{p}{}{e}", c.unwrap_or_default())),
        // nF and two-character escapes, or ESC before anything at all.
        (introducer, "[ -/]{0,2}", any_text()).prop_map(|(i, m, t)| format!("{i}{m}{t}")),
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => sequence(), 2 => any_text(), 1 => control()],
        0..12,
    )
    .prop_map(|pieces| pieces.concat())
}

/// The same, with ASCII text only and no C1 controls: where folio and vte should agree
/// exactly (folio reads the UTF-8 C1 controls as introducers, which vte does not).
fn hostile_ascii() -> impl Strategy<Value = String> {
    hostile().prop_map(|s| {
        s.chars()
            .filter(|c| c.is_ascii() && *c != '\u{7f}')
            .collect()
    })
}

fn check_clean(input: &str, out: &str) -> Result<(), TestCaseError> {
    let seen = parse(out);
    prop_assert!(
        seen.other.is_empty(),
        "{input:?} → {out:?}: a terminal still sees {:?}",
        seen.other
    );
    prop_assert!(
        !out.chars().any(is_unsafe),
        "{input:?} → {out:?} keeps a control or bidi character"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sanitized_text_is_nothing_but_text_to_a_terminal(input in hostile()) {
        check_clean(&input, &sanitize(&input))?;
        let line = sanitize_line(&input);
        check_clean(&input, &line)?;
        prop_assert!(!line.contains(['\n', '\t']), "{input:?} → {line:?}");
    }

    #[test]
    fn sanitize_keeps_nothing_a_terminal_takes_for_a_sequence(input in hostile()) {
        let out = sanitize(&input);
        let seen = parse(&input);
        prop_assert!(
            is_subsequence(&out, &seen.text),
            "{input:?} → {out:?}, but a terminal shows only {:?}",
            seen.text
        );
    }

    #[test]
    fn on_ascii_sanitize_removes_exactly_what_a_terminal_takes(input in hostile_ascii()) {
        let out = sanitize(&input);
        // A terminal executes a control inside a sequence (a line feed moves the cursor);
        // sanitize drops it with the sequence. Compare the text without line breaks and tabs.
        let strip = |s: &str| s.replace(['\n', '\t'], "");
        let seen = parse(&input);
        prop_assert_eq!(strip(&out), strip(&seen.text), "{:?}", input);
    }
}
