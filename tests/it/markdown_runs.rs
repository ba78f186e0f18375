//! Laying out a long document a run at a time (as `folio print` streams it) gives exactly the
//! rows of a single pass.

use folio::library::{self, Meta};
use folio::markdown::layout::{
    Line, PicturePlace, Rows, Stream, Wrap, layout_with, stream_runs, stream_runs_apart,
};
use folio::markdown::parse::parse_article;

/// Every construct, nested and top-level, many times over: runs start at many places.
fn long_document() -> String {
    let piece = "# Heading {#h}\n\nA paragraph with a [link](https://example.org) and `code`.\n\n\
                 > A quote\n> > nested, with a [^n] note.\n\n- item one\n  - nested item\n\n    \
                 more text in the item\n- [ ] task\n\n1. first\n2. second\n\n\
                 | a | b |\n|---|--:|\n| 1 | [x](https://x.org) |\n\n```rust\nfn main() {}\n```\n\n\
                 <!-- comment -->\n\n---\n\n> [!NOTE]\n> An alert.\n\n";
    let mut text = piece.repeat(300);
    text.push_str("\n[^n]: The note.\n");
    text
}

fn same_layout(markdown: &str, name: &str) {
    // With a header, and without one (runs may then be first on the page).
    for title in [name, ""] {
        let meta = Meta {
            title: title.to_owned(),
            ..Meta::default()
        };
        same_layout_of(&parse_article(&meta, markdown), name);
    }
    let empty_start = format!("<!-- a -->\n\n{}", "<!-- b -->\n\n".repeat(50));
    let meta = Meta::default();
    same_layout_of(
        &parse_article(&meta, &format!("{empty_start}{markdown}")),
        name,
    );
}

/// The rows of `doc` laid out run by run over `runs`, joined, with the pictures at their rows.
fn streamed(
    doc: &folio::markdown::Document,
    width: usize,
    wrap: Wrap,
    runs: Vec<std::ops::Range<usize>>,
) -> (Vec<Line>, Vec<PicturePlace>) {
    let (mut lines, mut pictures) = (Vec::new(), Vec::new());
    let mut write = |rows: &Rows, places: &[PicturePlace]| -> Result<(), ()> {
        let offset = lines.len();
        pictures.extend(places.iter().map(|p| PicturePlace {
            row: p.row + offset,
            ..p.clone()
        }));
        lines.extend(rows.iter().map(|r| r.to_line()));
        Ok(())
    };
    let mut stream = Stream::start(doc, width, wrap, &mut write).expect("no write fails");
    for run in runs {
        stream.lay(doc, run, &mut write).expect("no write fails");
    }
    (lines, pictures)
}

/// [`streamed`], as `folio print` lays out with code still being coloured: each run for which
/// `behind` holds is laid out once to go on past it, and again from a copy of the stream as it
/// stood before it, after the runs behind it, which wait in order.
fn streamed_ahead(
    doc: &folio::markdown::Document,
    width: usize,
    wrap: Wrap,
    runs: Vec<std::ops::Range<usize>>,
    behind: impl Fn(&std::ops::Range<usize>) -> bool,
) -> (Vec<Line>, Vec<PicturePlace>) {
    enum Queued {
        Laid(Rows, Vec<PicturePlace>),
        Again(std::ops::Range<usize>, Stream),
    }
    let mut header = Vec::new();
    let mut stream = Stream::start(doc, width, wrap, &mut |rows: &Rows, _: &[PicturePlace]| {
        header.extend(rows.iter().map(|r| r.to_line()));
        Ok::<(), ()>(())
    })
    .expect("no write fails");
    let mut queue = Vec::new();
    for run in runs {
        if behind(&run) {
            queue.push(Queued::Again(run.clone(), stream.clone()));
            let _ = stream.lay_rows(doc, run);
        } else {
            let (rows, pictures) = stream.lay_rows(doc, run);
            queue.push(Queued::Laid(rows, pictures));
        }
    }
    let (mut lines, mut pictures) = (header, Vec::new());
    for queued in queue {
        let (rows, places) = match queued {
            Queued::Laid(rows, places) => (rows, places),
            Queued::Again(run, mut from) => from.lay_rows(doc, run),
        };
        let offset = lines.len();
        pictures.extend(places.iter().map(|p| PicturePlace {
            row: p.row + offset,
            ..p.clone()
        }));
        lines.extend(rows.iter().map(|r| r.to_line()));
    }
    (lines, pictures)
}

fn same_layout_of(doc: &folio::markdown::Document, name: &str) {
    for (width, wrap) in [1, 7, 40, 100]
        .into_iter()
        .flat_map(|w| [(w, Wrap::Optimal), (w, Wrap::Greedy)])
    {
        let single = layout_with(doc, width, wrap);
        let single_lines = single.lines.to_lines();
        // The runs print takes, those it takes with code to colour, and a run at every
        // top-level block (the most places a run can start).
        let every_kind = [
            ("runs", stream_runs(doc)),
            (
                "runs from each code block",
                stream_runs_apart(doc, |b| {
                    matches!(b.kind, folio::markdown::model::BlockKind::Code { .. })
                }),
            ),
            ("a run per block", stream_runs_apart(doc, |_| true)),
        ];
        let is_code = |run: &std::ops::Range<usize>| {
            doc.blocks
                .get(run.start)
                .is_some_and(|b| matches!(b.kind, folio::markdown::model::BlockKind::Code { .. }))
        };
        let laid = every_kind
            .iter()
            .map(|(kind, runs)| (*kind, streamed(doc, width, wrap, runs.clone())))
            .chain([
                (
                    "code blocks laid out again after the text past them",
                    streamed_ahead(doc, width, wrap, every_kind[1].1.clone(), is_code),
                ),
                (
                    "every other run laid out again at the end",
                    streamed_ahead(doc, width, wrap, every_kind[2].1.clone(), |r| {
                        r.start % 2 == 0
                    }),
                ),
            ]);
        for (kind, (lines, pictures)) in laid {
            if lines != single_lines || pictures != single.pictures {
                let row = lines.iter().zip(&single_lines).position(|(a, b)| a != b);
                panic!(
                    "{name}: {kind} at width {width} ({wrap:?}) differ from one pass: rows {} vs {}, \
                     first differing row {row:?}: {:?} vs {:?}; pictures equal {}",
                    lines.len(),
                    single_lines.len(),
                    row.and_then(|r| lines.get(r)),
                    row.and_then(|r| single_lines.get(r)),
                    pictures == single.pictures,
                );
            }
        }
    }
}

#[test]
fn streamed_runs_join_into_the_single_pass_layout() {
    same_layout(&long_document(), "generated");
    same_layout(
        &"# Head\n\nSome words in a paragraph that wraps.\n\n> quoted\n\n- a\n- b\n\n".repeat(40),
        "headings, quotes and lists",
    );
    for path in crate::support::bundled_articles() {
        let (_, body) = library::read_article(&path).expect("readable");
        same_layout(&body.markdown, &path.display().to_string());
    }
}
