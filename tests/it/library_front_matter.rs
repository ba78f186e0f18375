//! Every front-matter form and failure, table-driven through real files.

use folio::library::{self, Date};

struct Case {
    name: &'static str,
    file: &'static str,
    text: &'static str,
    title: &'static str,
    date: Option<(i32, u8, u8)>,
    description: Option<&'static str>,
    authors: &'static [&'static str],
    tags: &'static [&'static str],
    source: Option<&'static str>,
    /// A substring of the joined problems; "" means no problems at all.
    problem: &'static str,
}

const BASE: Case = Case {
    name: "",
    file: "post.md",
    text: "",
    title: "Post",
    date: None,
    description: None,
    authors: &[],
    tags: &[],
    source: None,
    problem: "",
};

const CASES: &[Case] = &[
    Case {
        name: "full yaml",
        text: "---\ntitle: Hello\ndescription: Short\ndate: 2024-05-06\nauthor: Ana\ntags: [rust, cli]\nsource: https://e.com/a\n---\nbody",
        title: "Hello",
        date: Some((2024, 5, 6)),
        description: Some("Short"),
        authors: &["Ana"],
        tags: &["rust", "cli"],
        source: Some("https://e.com/a"),
        ..BASE
    },
    Case {
        name: "toml",
        text: "+++\ntitle = \"Zola\"\ndate = 2023-01-02T03:04:05Z\nauthors = [\"A\", \"B\"]\n[taxonomies]\ntags = [\"x\"]\n+++\n",
        title: "Zola",
        date: Some((2023, 1, 2)),
        authors: &["A", "B"],
        ..BASE
    },
    Case {
        name: "alternate keys and case",
        text: "---\nTITLE: Alt\nExcerpt: Ex\npubDate: '2022-02-03'\nAuthors: [{name: Ana, url: x}]\nkeywords: a, b\ncategories: [b, c]\nCanonical_URL: https://c.example\n---\n",
        title: "Alt",
        date: Some((2022, 2, 3)),
        description: Some("Ex"),
        authors: &["Ana"],
        tags: &["b", "c", "a"],
        source: Some("https://c.example"),
        ..BASE
    },
    Case {
        name: "summary subtitle url link published",
        text: "---\nsubtitle: Sub\npublished: 2021-07-08 10:00\nlink: https://l.example\n---\n",
        description: Some("Sub"),
        date: Some((2021, 7, 8)),
        source: Some("https://l.example"),
        ..BASE
    },
    Case {
        name: "hugo's site-relative url is not a source",
        text: "---\ntitle: hugo build\nurl: /commands/hugo_build/\n---\n",
        title: "hugo build",
        ..BASE
    },
    Case {
        name: "a relative permalink gives way to an absolute link",
        text: "---\npermalink: /a/b/\nlink: http://l.example/x\n---\n",
        source: Some("http://l.example/x"),
        ..BASE
    },
    Case {
        name: "no front matter: first heading and date prefix",
        file: "2020-09-10-some-post.md",
        text: "intro\n\n# The *Real* Title\n",
        title: "The Real Title",
        date: Some((2020, 9, 10)),
        ..BASE
    },
    Case {
        name: "no title anywhere: readable file name",
        file: "2020-09-10-some_post-name.md",
        text: "just text\n## not level one\n",
        title: "Some post name",
        date: Some((2020, 9, 10)),
        ..BASE
    },
    Case {
        name: "front matter date wins over file name",
        file: "2020-09-10-x.md",
        text: "---\ndate: 2021-01-01\n---\n",
        title: "X",
        date: Some((2021, 1, 1)),
        ..BASE
    },
    Case {
        name: "dots close yaml",
        text: "---\ntitle: Dots\n...\n# Body",
        title: "Dots",
        ..BASE
    },
    Case {
        name: "empty front matter",
        text: "---\n---\n# From body\n",
        title: "From body",
        ..BASE
    },
    Case {
        name: "bom crlf trailing spaces",
        text: "\u{feff}---  \r\ntitle: Windows\r\n---\t\r\nbody\r\n",
        title: "Windows",
        ..BASE
    },
    Case {
        name: "invalid yaml",
        text: "---\ntitle: ok\n  bad: indent\n---\n# Fallback\n",
        title: "Fallback",
        problem: "invalid YAML front matter at line 3",
        ..BASE
    },
    Case {
        name: "invalid toml",
        text: "+++\ntitle = \n+++\n",
        problem: "invalid TOML front matter at line 2",
        ..BASE
    },
    Case {
        name: "unterminated",
        text: "---\ntitle: open\n# Heading\n",
        title: "Heading",
        problem: "never closed",
        ..BASE
    },
    Case {
        name: "scalar instead of map",
        text: "---\njust a sentence\n---\n",
        problem: "should be a map",
        ..BASE
    },
    Case {
        name: "list instead of map",
        text: "---\n- a\n- b\n---\n",
        problem: "not a list",
        ..BASE
    },
    Case {
        name: "wrong types",
        text: "---\ntitle: {a: 1}\ndate: [2020]\nauthor: [[x]]\ntags: {a: b}\nsource: [x]\ndescription: 42\n---\n",
        description: Some("42"),
        problem: "`title` should be text, not a map",
        ..BASE
    },
    Case {
        name: "bad date string",
        text: "---\ntitle: T\ndate: last tuesday\n---\n",
        title: "T",
        problem: "`date` \"last tuesday\" is not a YYYY-MM-DD date",
        ..BASE
    },
    Case {
        name: "numbers as text",
        text: "---\ntitle: 1984\ntags: [2024, true]\n---\n",
        title: "1984",
        tags: &["2024", "true"],
        ..BASE
    },
    Case {
        name: "duplicate keys",
        text: "---\ntitle: First\ntitle: Second\n---\n",
        title: "First",
        problem: "given twice",
        ..BASE
    },
    Case {
        name: "alias bomb",
        text: "---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\ntitle: Bomb\n---\n",
        problem: "invalid YAML",
        ..BASE
    },
    Case {
        name: "control characters in fields",
        text: "---\ntitle: \"a\\e[31mred\\u202e\\a\"\nauthor: \"x\\u009b2Jy\"\ntags: [\"t\\u0000g\"]\n---\n",
        title: "ared",
        authors: &["xy"],
        tags: &["tg"],
        ..BASE
    },
];

#[test]
fn every_front_matter_form_reads_as_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    for case in CASES {
        let path = dir.path().join(case.file);
        std::fs::write(&path, case.text).expect("write");
        let (article, _) = library::read_article(&path).expect("readable");
        let meta = &article.meta;
        let name = case.name;
        assert_eq!(meta.title, case.title, "{name}: title");
        let date = case.date.and_then(|(y, m, d)| Date::new(y, m, d));
        assert_eq!(meta.date, date, "{name}: date");
        assert_eq!(
            meta.description.as_deref(),
            case.description,
            "{name}: description"
        );
        assert_eq!(meta.authors, case.authors, "{name}: authors");
        assert_eq!(meta.tags, case.tags, "{name}: tags");
        assert_eq!(meta.source.as_deref(), case.source, "{name}: source");
        let problems = article.problems.join("; ");
        if case.problem.is_empty() {
            assert_eq!(problems, "", "{name}: problems");
        } else {
            assert!(problems.contains(case.problem), "{name}: {problems:?}");
        }
        std::fs::remove_file(&path).expect("clean up");
    }
}

#[test]
fn the_body_starts_after_the_front_matter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.md");
    std::fs::write(&path, "---\r\ntitle: A\r\n---\r\n# Body\r\ntext").expect("write");
    let (_, body) = library::read_article(&path).expect("readable");
    assert_eq!(body.markdown, "# Body\ntext");
}

#[test]
fn a_200_kb_title_is_refused_with_the_front_matter_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.md");
    let title = "word ".repeat(40_000);
    std::fs::write(&path, format!("---\ntitle: \"{title}\"\n---\n# Heading\n")).expect("write");
    let (article, body) = library::read_article(&path).expect("readable");
    assert_eq!(article.meta.title, "Heading");
    assert_eq!(
        article.problems,
        ["front matter is longer than 64 KiB; ignored"]
    );
    assert_eq!(body.markdown, "# Heading\n");
}
