//! The README says what the program does: its keys section is the keymap table.

#[test]
fn readme_keys_section_is_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = "<!-- keys: generated from src/app/keymap.rs -->\n";
    let end = "<!-- end of keys -->";
    let section = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(section, _)| section.trim())
        .expect("README has the keys markers");
    let expected = folio::app::keymap::markdown();
    assert_eq!(
        section,
        expected.trim(),
        "README's keys differ from the keymap; paste this between the markers:\n{expected}"
    );
}
