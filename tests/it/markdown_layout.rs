//! Snapshots of every supported construct laid out at 20, 40 and 80 columns: one snapshot of the
//! text as a reader sees it, one of the spans and their roles, so both a layout change and a
//! style leak show up in review.

use folio::library::{Date, Meta};
use folio::markdown::model::Role;
use folio::markdown::parse::{Options, parse_article_with, parse_markdown};
use folio::markdown::{Layout, layout};
use folio::text::display_width;

const WIDTHS: [usize; 3] = [20, 40, 80];

/// Layout without highlighting, so style snapshots do not depend on the highlighter's colours.
fn lay(markdown: &str, width: usize) -> Layout {
    let doc = parse_article_with(&Meta::default(), markdown, Options { highlight: false });
    layout(&doc, width)
}

fn text_snapshot(layouts: &[Layout]) -> String {
    let mut out = String::new();
    for l in layouts {
        out.push_str(&format!(
            "── width {} {}\n",
            l.width,
            "─".repeat(l.width.saturating_sub(10))
        ));
        for line in l.plain_lines() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn role_name(role: Role) -> String {
    role.name()
}

fn style_snapshot(layouts: &[Layout]) -> String {
    let mut out = String::new();
    for l in layouts {
        out.push_str(&format!("── width {}\n", l.width));
        for line in &l.lines {
            let spans: Vec<String> = line
                .spans()
                .map(|s| {
                    let mut tag = role_name(s.style.role);
                    if s.style.strong {
                        tag.push_str("+b");
                    }
                    if s.style.emphasis {
                        tag.push_str("+i");
                    }
                    if s.style.strike {
                        tag.push_str("+s");
                    }
                    if let Some(token) = s.style.token {
                        tag.push('+');
                        tag.push_str(token.name());
                    }
                    if let Some(n) = s.link {
                        tag.push_str(&format!("#{n}"));
                    }
                    format!("{tag}{:?}", s.text)
                })
                .collect();
            out.push_str(&spans.join(" "));
            out.push('\n');
        }
        out.push_str(&format!(
            "links: {:?}\nheadings: {:?}\n",
            l.links
                .iter()
                .map(|t| (t.number, t.url.as_str(), t.places.clone()))
                .collect::<Vec<_>>(),
            l.headings
                .iter()
                .map(|h| (h.row, h.level, h.anchor.as_str()))
                .collect::<Vec<_>>()
        ));
    }
    out
}

fn assert_fits(l: &Layout) {
    for (row, line) in l.lines.iter().enumerate() {
        let w = line.width();
        assert!(
            w <= l.width,
            "row {row} is {w} wide at width {}: {:?}",
            l.width,
            line.text()
        );
        assert!(
            !line.text().chars().any(|c| c.is_control()),
            "control character in row {row}"
        );
    }
}

fn check(name: &str, markdown: &str) {
    let layouts: Vec<Layout> = WIDTHS.iter().map(|&w| lay(markdown, w)).collect();
    layouts.iter().for_each(assert_fits);
    insta::assert_snapshot!(format!("{name}_text"), text_snapshot(&layouts));
    insta::assert_snapshot!(format!("{name}_styles"), style_snapshot(&layouts));
}

#[test]
fn header_shows_title_byline_description_and_host() {
    let meta = Meta {
        title: "Reading Markdown in a Terminal".to_owned(),
        description: Some("How a reader wraps, styles and numbers what it shows.".to_owned()),
        date: Some(Date {
            year: 2024,
            month: 3,
            day: 9,
        }),
        authors: vec!["Ada Lovelace".to_owned(), "Grace Hopper".to_owned()],
        tags: vec!["terminal".to_owned(), "rust".to_owned()],
        source: Some("https://www.example.com/posts/reading?x=1".to_owned()),
        ..Meta::default()
    };
    let body = "# Reading Markdown in a Terminal\n\nThe first paragraph of the body.\n";
    let layouts: Vec<Layout> = WIDTHS
        .iter()
        .map(|&w| {
            layout(
                &parse_article_with(&meta, body, Options { highlight: false }),
                w,
            )
        })
        .collect();
    layouts.iter().for_each(assert_fits);
    insta::assert_snapshot!("header_text", text_snapshot(&layouts));
    insta::assert_snapshot!("header_styles", style_snapshot(&layouts));
}

#[test]
fn headings_are_distinct_and_blank_lines_collapse() {
    check(
        "headings",
        "# A First-Level Heading\n\n\n\n\nSome text under it.\n## Second level {#custom-id}\n\
         ### Third level\n#### Fourth level\n##### Fifth\n###### Sixth\n\nEnd.\n\n## Second level\n",
    );
}

#[test]
fn paragraphs_wrap_soft_breaks_are_spaces_hard_breaks_break() {
    check(
        "paragraphs",
        "A paragraph that goes on for a while so that it has to wrap at every width we try.\n\
         This line was a soft break away.\\\nThis one a hard break away.  \nAnd this one too.\n\n\
         Second paragraph.",
    );
}

#[test]
fn inline_styles_combine() {
    check(
        "inline",
        "Plain *emphasis* **strong** ~~struck~~ `code` ***both*** **bold *and italic* inside** \
         ~~**struck bold**~~ and `code with spaces` after.",
    );
}

#[test]
fn links_are_numbered_in_reading_order() {
    check(
        "links",
        "Read [the guide](https://example.com/guide) and <https://example.org/auto>, then \
         [a reference][ref] and [**bold `code` link**](https://example.net/b).\n\n\
         ![A diagram of the layout](img/diagram.png \"Diagram\") and ![](empty.png).\n\n\
         [ref]: https://example.com/reference\n",
    );
}

#[test]
fn code_blocks_have_labels_tabs_and_continuations() {
    check(
        "code",
        "```rust\nfn main() {\n\tlet greeting = \"hello, world, from a line that is long\";\n\
         \tprintln!(\"{greeting}\");\n}\n```\n\n```\nplain\tblock\n\n  indented after blank\n```\n\n\
         ```no-such-lang\nunknown language stays plain\n```\n\n    indented code block\n",
    );
}

#[test]
fn lists_nest_number_and_hang() {
    check(
        "lists",
        "- First item with enough text to wrap around at narrow widths\n\
         - Second\n  - Nested once\n    - Nested twice with more words to wrap\n      - Thrice\n\
         - Third\n\n\
         Between lists.\n\n\
         9. Nine\n10. Ten, whose number is wider\n11. Eleven\n\n\
         Tasks:\n\n- [ ] Open task\n- [x] Done task that also has enough words to wrap\n\n\
         Loose:\n\n- One\n\n- Two\n\n  Two's second paragraph.\n",
    );
}

#[test]
fn quotes_keep_their_gutter_and_alerts_their_label() {
    check(
        "quotes",
        "> A quoted paragraph long enough to wrap at the narrower widths.\n>\n\
         > > A nested quote inside it.\n>\n> Back in the outer quote.\n\n\
         > [!NOTE]\n> Useful information.\n\n> [!TIP]\n> A tip.\n\n> [!IMPORTANT]\n> Key point.\n\n\
         > [!WARNING]\n> Careful.\n\n> [!CAUTION]\n> Danger ahead.\n\n\
         - A list item\n  > with a quote inside\n",
    );
}

#[test]
fn tables_fit_shrink_and_degrade() {
    check(
        "tables",
        "| Left | Center | Right |\n|:-----|:------:|------:|\n| a | b | 1 |\n\
         | *em* text | [link](https://example.com/t) | 22 |\n\n\
         | Name | Description |\n|---|---|\n\
         | wrap | A long description that cannot fit in a narrow column and must wrap inside the cell |\n\n\
         | A | B | C | D | E | F | G | H |\n|---|---|---|---|---|---|---|---|\n\
         | one | two | three | four | five | six | seven | eight |\n",
    );
}

#[test]
fn footnotes_gather_under_notes() {
    check(
        "footnotes",
        "Text with a note.[^a] And another.[^b] The first again.[^a]\n\n\
         [^b]: The second note, with [a link](https://example.com/note).\n\n\
         [^a]: The first note.\n\nMore text with [a body link](https://example.com/body).\n",
    );
}

#[test]
fn rules_and_html() {
    check(
        "rules_html",
        "Above.\n\n---\n\nBelow with <b>inline</b> tags and a<br>break.<!-- hidden -->\n\n\
         <div>\n<p>Block <em>html</em> text</p>\n<script>alert('x')</script>\n<style>p{}</style>\n\
         </div>\n\nAfter.",
    );
}

#[test]
fn wide_characters_wrap_by_display_width() {
    check(
        "unicode",
        "终端阅读器中文段落测试日本語のテキスト漢字と仮名 and 한국어 문장 with emoji 🚀📚✨🦀 \
         and combining e\u{301}e\u{301}e\u{301} marks. \
         Averyveryverylongwordthatcannotfitonanylineatthenarrowestwidth.",
    );
}

#[test]
fn deep_nesting_stops_indenting() {
    let quotes = format!("{} deep quote text that wraps", ">".repeat(30));
    let mut lists = String::new();
    for depth in 0..15 {
        lists.push_str(&"  ".repeat(depth));
        lists.push_str(&format!("- level {depth}\n"));
    }
    check("nesting", &format!("{quotes}\n\n{lists}"));
}

#[test]
fn every_width_down_to_one_fits() {
    let all = [
        "# Heading that is long",
        "Paragraph with **bold** and a [link](https://x.y/z).",
        "```rust\nfn main() { println!(\"hi\"); }\n```",
        "- item\n  - nested\n1. one\n- [ ] task",
        "> quote\n> > nested\n\n> [!WARNING]\n> alert",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "日本語 🚀 e\u{301}",
        "text[^1]\n\n[^1]: note",
        "---",
    ]
    .join("\n\n");
    let meta = Meta {
        title: "A title 日本語 that wraps".to_owned(),
        description: Some("Described at some length".to_owned()),
        authors: vec!["Ada".to_owned()],
        tags: vec!["x".to_owned()],
        source: Some("https://example.com/a".to_owned()),
        ..Meta::default()
    };
    let doc = parse_article_with(&meta, &all, Options { highlight: true });
    for width in 1..=30 {
        assert_fits(&lay(&all, width));
        assert_fits(&layout(&doc, width));
    }
}

#[test]
fn link_places_cover_every_piece() {
    let l = lay(
        "Go to [a link whose text wraps over lines](https://example.com) now.",
        12,
    );
    let link = &l.links[0];
    assert_eq!(link.number, 1);
    assert!(link.places.len() >= 2, "{:?}", link.places);
    for &(row, start, end) in &link.places {
        let line = l.lines.get(row).expect("the link's row");
        let mut col = 0;
        let mut covered = String::new();
        for span in line.spans() {
            let w = display_width(span.text);
            if col >= start && col + w <= end {
                assert_eq!(span.link, Some(1));
                covered.push_str(span.text);
            }
            col += w;
        }
        assert!(!covered.is_empty());
    }
}

#[test]
fn front_matter_never_shows() {
    let doc = parse_markdown("---\ntitle: Hidden\nsecret: yes\n---\n\nVisible.\n");
    let text = layout(&doc, 40).plain_lines().join("\n");
    assert_eq!(text, "Visible.");
    let doc = parse_markdown("+++\ntitle = \"Hidden\"\n+++\n\nVisible.\n");
    assert_eq!(layout(&doc, 40).plain_lines().join("\n"), "Visible.");
}

#[test]
fn escapes_in_any_construct_never_reach_output() {
    let evil = "\x1b[31mred\x1b[0m";
    let md = format!(
        "# {evil}\n\n{evil} [{evil}](https://e.com/\x1b]8;;x\x07) `{evil}`\n\n```rust\n{evil}\t\x07\n```\n\n\
         | {evil} |\n|---|\n| {evil} |\n\n> {evil}\n\n- {evil}\n\n<b>{evil}</b>\n"
    );
    let l = lay(&md, 40);
    for line in l.plain_lines() {
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
    for link in &l.links {
        assert!(!link.url.chars().any(|c| c.is_control()));
    }
}

/// Regression: `> > ---\n> >\n> > *a*\n\n---` was taken for a metadata block and vanished.
#[test]
fn a_rule_at_the_top_of_a_quote_is_not_front_matter() {
    let text = lay("> > ---\n> >\n> > *a*\n\n---", 20)
        .plain_lines()
        .join("\n");
    assert!(text.contains('a'), "{text}");
}

#[test]
fn heading_anchors_leave_out_link_numbers_and_dedupe() {
    let l = lay(
        "# See [the docs](https://d.example)\n\n## Intro\n\n## Intro\n\n### Named {#custom}\n",
        80,
    );
    let anchors: Vec<&str> = l.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(anchors, ["see-the-docs", "intro", "intro-1", "custom"]);
    assert_eq!(l.headings[0].text, "See the docs");
    assert_eq!(
        l.lines.get(l.headings[1].row).map(|r| r.text()).as_deref(),
        Some("Intro")
    );
}

/// (A `<script>` *block* runs to `</script>` or the end of the document, as CommonMark says.)
#[test]
fn an_unclosed_inline_script_hides_only_its_own_paragraph() {
    let text = lay("Para with <script> evil()\n\nAfter.\n", 80)
        .plain_lines()
        .join("\n");
    assert_eq!(text, "Para with\n\nAfter.");
}

#[test]
fn tight_lists_have_no_blank_lines_and_loose_ones_do() {
    let tight = lay("- a\n- b\n  - c\n- d\n", 40).plain_lines();
    assert_eq!(tight, ["• a", "• b", "  ◦ c", "• d"]);
    let loose = lay("- a\n\n- b\n", 40).plain_lines();
    assert_eq!(loose, ["• a", "", "• b"]);
}

#[test]
fn wrapped_quote_lines_keep_their_gutter() {
    let l = lay("> one two three four five six seven eight nine ten", 12);
    assert!(l.lines.len() > 2);
    for line in l.plain_lines() {
        assert!(line.starts_with("│ "), "{line:?}");
    }
}

#[test]
fn a_header_only_table_too_wide_for_a_grid_still_shows() {
    let md = format!(
        "Before.\n\n|{}\n|{}\n\nAfter.",
        " head |".repeat(40),
        "---|".repeat(40)
    );
    let lines = lay(&md, 40).plain_lines();
    assert!(lines.iter().any(|l| l.contains("head · head")), "{lines:?}");
    assert!(
        !lines.windows(2).any(|w| w[0].is_empty() && w[1].is_empty()),
        "{lines:?}"
    );
}

#[test]
fn an_image_inside_a_link_has_its_own_number_and_names_the_link() {
    let l = lay("[![Logo](logo.png)](https://example.com)", 80);
    assert_eq!(l.plain_lines(), ["[image: Logo][1][2]"]);
    assert_eq!(l.links[0].url, "logo.png");
    assert_eq!(l.links[1].url, "https://example.com");
    assert_eq!(l.links[1].text, "[image: Logo]");
}

#[test]
fn shortcodes_and_template_tags_are_not_prose() {
    check(
        "shortcodes",
        "Inline {{< new-in 0.123.0 >}} mark and [a page]({{< relref \"other.md\" >}}).\n\n\
         {{< figure src=\"/img/diagram.png\" alt=\"A diagram\" caption=\"How it fits\" >}}\n\n\
         {{< highlight go \"linenos=table\" >}}\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n{{< /highlight >}}\n\n\
         {{% notice warning %}}\nA **warning** in Markdown.\n{{% /notice %}}\n\n\
         {{< youtube\n  id=\"w7Ft2ymGmfc\"\n>}}\n\n\
         Escaped: {{</* figure src=\"x.png\" */>}}\n\n\
         ```\n{{</* tab */>}}\n{{< kept >}}\n```\n\n\
         {% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n\
         {% note(kind=\"tip\") %}\nZola body.\n{% end %}\n",
    );
}

/// Text of a layout at 80 columns, rows joined with newlines.
fn text_of(markdown: &str) -> String {
    lay(markdown, 80).plain_lines().join("\n")
}

#[test]
fn a_closing_shortcode_line_is_never_a_quote_bar() {
    // Regression: the `>}}` line of a multi-line shortcode was drawn as a block quote.
    let l = lay(
        "{{< figure\n  src=\"a.png\"\n  alt=\"Alt\"\n>}}\n\n{{< gist\n  user=\"x\"\n>}}\n",
        40,
    );
    assert!(
        l.lines
            .iter()
            .flat_map(|line| line.spans())
            .all(|s| s.style.role != Role::QuoteGutter),
        "{:?}",
        l.plain_lines()
    );
    assert_eq!(
        l.plain_lines(),
        [
            "[image: Alt][1]",
            "",
            "  gist",
            "  {{< gist",
            "    user=\"x\"",
            "  >}}"
        ]
    );
}

#[test]
fn shortcodes_are_left_alone_in_code_and_shown_as_written_escaped() {
    let text = text_of(
        "Use `{{< figure >}}` and {{%/* note */%}}.\n\n    {{< indented >}}\n\n~~~\n{% raw %}\n~~~\n",
    );
    assert_eq!(
        text,
        "Use {{< figure >}} and {{% note %}}.\n\n  {{< indented >}}\n\n  {% raw %}"
    );
}

#[test]
fn unclosed_or_broken_shortcodes_never_swallow_the_article() {
    for markdown in [
        "{{< highlight go >}}\ncode\n\nThe rest stays.",
        "{{< figure src=\"x\"\n\nThe rest stays.",
        "{% raw %}\n\nThe rest stays.",
        "{% comment %}\n\nThe rest stays.",
        "{{< >}} {{<< x >>}} {{% /* %}}\n\nThe rest stays.",
        "> {{< tab >}}\n\nThe rest stays.",
        "- {{< highlight >}}\n  x\n\nThe rest stays.",
    ] {
        let text = text_of(markdown);
        assert!(text.ends_with("The rest stays."), "{markdown:?}\n{text}");
    }
}

#[test]
fn shortcode_images_and_refs_are_numbered_links() {
    let l = lay(
        "{{< img src=\"pic.png\" alt=\"A cat\" >}}\n\nSee {{< ref \"posts/a.md#intro\" >}} and \
         {{< figure src=\"javascript:alert(1)\" caption=\"Caption only\" >}}.",
        80,
    );
    let urls: Vec<&str> = l.links.iter().map(|t| t.url.as_str()).collect();
    assert_eq!(urls, ["pic.png", "posts/a.md#intro"]);
    assert_eq!(
        l.plain_lines(),
        [
            "[image: A cat][1]",
            "",
            "See posts/a.md#intro[2] and [image: Caption only]."
        ]
    );
}

#[test]
fn highlight_shortcodes_are_highlighted_code() {
    let doc = parse_article_with(
        &Meta::default(),
        "{{< highlight rust >}}\nfn main() {}\n{{< /highlight >}}\n",
        Options { highlight: true },
    );
    let l = layout(&doc, 40);
    assert_eq!(l.plain_lines(), ["  rust", "  fn main() {}"]);
    assert!(
        l.lines
            .get(1)
            .is_some_and(|r| r.spans().any(|s| s.style.token.is_some())),
        "{:?}",
        l.lines.get(1).map(|r| r.to_line())
    );
}

#[test]
fn raw_html_keeps_links_images_and_text() {
    check(
        "html_links",
        "<p align=\"center\">\n  <a href=\"https://example.com/p\"><img src=\"logo.png\" alt=\"Logo\"></a>\n</p>\n\n\
         Inline <a href=\"https://example.org/docs\">the <b>docs</b></a>, <kbd>Ctrl</kbd>+<kbd>C</kbd>, \
         x<sup>2</sup>, H<sub>2</sub>O, a<br>break and <img alt=\"icon\" src=\"i.svg\">.\n\n\
         <details>\n<summary>More</summary>\n\nInside with <a href=\"javascript:alert(1)\">bad</a>.\n\n</details>\n\n\
         <script>\nhidden()\n</script>\n<style>p{}</style>\n\n\
         Entities &amp; &eacute; <a href=\"a.md?x=1&amp;y=2\">amp</a>.\n",
    );
}

#[test]
fn html_links_that_may_not_be_followed_keep_only_their_text() {
    let l = lay(
        "<a href=\"javascript:alert(1)\">one</a> <a href=\"data:text/html,x\">two</a> \
         <a href=\"&#106;avascript:x\">three</a> <a href=\"jav&#x09;ascript:x\">four</a> \
         <a name=\"anchor\">five</a> <img src=\"vbscript:x\" alt=\"six\">\n\n\
         <a href=\"javascript:x\">\n\nblock</a>\n",
        80,
    );
    assert!(l.links.is_empty(), "{:?}", l.links);
    assert_eq!(
        l.plain_lines(),
        ["one two three four five [image: six]", "", "block"]
    );
}

#[test]
fn html_links_follow_the_markdown_numbering_and_close_with_their_block() {
    let l = lay(
        "[md](https://a.example) <a href=\"https://b.example\">html</a> [md2](https://c.example)\n\n\
         <a href=\"https://d.example\">never closed\n\nNext paragraph.</a>\n\n\
         [outer <a href=\"https://e.example\">inner</a> tail](https://f.example)\n",
        80,
    );
    let urls: Vec<&str> = l.links.iter().map(|t| t.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://a.example",
            "https://b.example",
            "https://c.example",
            "https://d.example",
            "https://f.example",
            "https://e.example"
        ]
    );
    assert_eq!(
        l.plain_lines(),
        [
            "md[1] html[2] md2[3]",
            "",
            "never closed[4]",
            "",
            "Next paragraph.",
            "",
            // The outer link's text comes first, so it is met first (as an image in a link).
            "outer inner[6] tail[5]"
        ]
    );
    assert_eq!(l.links[1].text, "html");
}

#[test]
fn hostile_html_lays_out_safely() {
    let huge = "x".repeat(1 << 20);
    let md = format!(
        "<a href=\"https://e.com/{huge}\" title=\"{huge}\">big</a>\n\n\
         <a href=\"x\x1b]8;;evil\x07\">ctl</a> <img alt=\"a\x1b[31m\u{202e}b\" src=\"p.png\">\n\n\
         <a href=\"unterminated\n\n<img src=\"x\n\n{}\n\n<div><a href=y>",
        "<a href=\"q>".repeat(20_000)
    );
    let l = lay(&md, 40);
    assert_fits(&l);
    for link in &l.links {
        assert!(!link.url.chars().any(char::is_control), "{:?}", link.url);
    }
    assert!(
        l.plain_lines()
            .iter()
            .any(|line| line.contains("[image: ab]"))
    );
}
