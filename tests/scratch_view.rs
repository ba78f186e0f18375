use folio::library::Meta;
use folio::markdown::{
    layout,
    parse::{Options, parse_article_with},
};
#[test]
fn view() {
    let path = std::env::var("VIEW").unwrap_or_default();
    let width: usize = std::env::var("W")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(80);
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1);
    let hl = std::env::var_os("HL").is_some();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let meta = Meta::default();
    let mut doc = parse_article_with(&meta, &text, Options { highlight: hl });
    for _ in 1..n {
        doc = parse_article_with(&meta, &text, Options { highlight: hl });
    }
    let nl: usize = std::env::var("L")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1);
    let mut l = layout(&doc, width);
    for _ in 1..nl {
        l = layout(&doc, width);
    }
    if std::env::var_os("SHOWTEXT").is_some() {
        let mut out = Vec::new();
        folio::commands::print::write_layout(&mut out, &l, None).unwrap_or_default();
        eprintln!("{}", String::from_utf8_lossy(&out));
    }
}
