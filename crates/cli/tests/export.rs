//! `stones export` and `stones import` through the real binary, each output read back with
//! an independent parser: pulldown-cmark and yaml-rust2 for Markdown and its front matter,
//! scraper (html5ever) for HTML, serde_json for JSON.
#![allow(clippy::unwrap_used)]

mod common;

use common::Home;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::path::Path;
use yaml_rust2::YamlLoader;

const HOSTILE: &str = "# Not a heading\n---\n<script>alert('x')</script>\n[[Wiki link]] | a | b |\n## Also not\n- not a list";
const HOSTILE_TITLE: &str = "../../etc: a/b..c";

struct Demo {
    home: Home,
    sessions: Vec<String>,
}

/// A notebook with three sessions created out of date order, every kind of entry, one
/// group-scope turn per session, and a hostile reflection.
fn demo() -> Demo {
    let h = Home::new();
    h.ok(&[
        "init",
        "--title",
        "Stewardship Group",
        "--name",
        "Ana",
        "--sector",
        "NHS",
        "--purpose",
        "Practising togetherness",
    ]);
    h.ok(&["member", "add", "--name", "Ben", "--sector", "council"]);
    let mut sessions = Vec::new();
    for (day, title) in [
        ("2026-12-10", "Third"),
        ("2026-11-26", HOSTILE_TITLE),
        ("2026-12-03", "Second"),
    ] {
        let s = h.ok(&[
            "session",
            "new",
            "--date",
            day,
            "--kind",
            "weekly",
            "--title",
            title,
            "--convener",
            "Ana",
            "--question",
            "How are you arriving?",
        ]);
        h.ok(&[
            "checkin",
            &s,
            "--text",
            &format!("Ana on {day}"),
            "--scope",
            "export",
        ]);
        h.ok(&[
            "checkin",
            &s,
            "--member",
            "Ben",
            "--text",
            &format!("secret of {day}"),
        ]);
        h.ok(&[
            "reflection",
            "add",
            &s,
            "--title",
            &format!("Noticed {day}"),
            "--text",
            &format!("Reflection of {day}"),
        ]);
        let st = h.ok(&[
            "story",
            "add",
            &s,
            "--title",
            &format!("Story {day}"),
            "--text",
            "We met at the bridge.",
        ]);
        h.ok(&[
            "story",
            "retell",
            &s,
            &st,
            "--angle",
            "the council",
            "--text",
            &format!("Retold {day}"),
            "--teller",
            "Ben",
        ]);
        sessions.push(s);
    }
    h.ok(&[
        "reflection",
        "add",
        &sessions[1],
        "--title",
        "Hostile",
        "--text",
        HOSTILE,
    ]);
    let q = h.ok(&[
        "question",
        "add",
        "--text",
        "How do we practise togetherness?",
        "--session",
        &sessions[1],
    ]);
    h.ok(&[
        "question",
        "note",
        &q,
        "--text",
        "Trust first",
        "--session",
        &sessions[2],
    ]);
    h.ok(&[
        "learning",
        "add",
        "--title",
        "Slow is fine",
        "--text",
        "Trust takes time",
        "--session",
        &sessions[0],
    ]);
    Demo { home: h, sessions }
}

fn export(h: &Home, args: &[&str]) -> std::path::PathBuf {
    let out = h
        .path()
        .join(format!("out-{}", args.join("-").replace(['/', ' '], "_")));
    let mut full = vec!["export", "--out", out.to_str().unwrap()];
    full.extend_from_slice(args);
    h.ok(&full);
    out
}

fn json(h: &Home, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let p = export(h, &args);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn json_holds_every_entry_once_in_date_order_with_authors() {
    let d = demo();
    let j = json(&d.home, &[]);
    assert_eq!(j["format"], "stepping-stones-export");
    assert_eq!(j["version"], 1);
    let dates: Vec<&str> = j["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-11-26", "2026-12-03", "2026-12-10"]);
    for s in j["sessions"].as_array().unwrap() {
        let day = s["date"].as_str().unwrap();
        let turns = s["checkin"]["turns"].as_array().unwrap();
        assert_eq!(turns.len(), 1, "the group-scope turn is left out");
        assert_eq!(turns[0]["member"]["name"], "Ana");
        assert_eq!(turns[0]["text"], format!("Ana on {day}"));
        let refl = s["reflections"].as_array().unwrap();
        assert!(refl.iter().all(|r| r["author"]["name"] == "Ana"
            && r["id"].is_string()
            && r["created_at"].is_i64()
            && r["scope"] == "export"));
        let stories = s["stories"].as_array().unwrap();
        assert_eq!(stories.len(), 1);
        assert_eq!(stories[0]["retellings"][0]["teller"]["name"], "Ben");
        assert_eq!(stories[0]["retellings"][0]["text"], format!("Retold {day}"));
    }
    assert_eq!(j["left_out"]["turns"], 3);
    assert_eq!(j["questions"].as_array().unwrap().len(), 1);
    assert_eq!(j["questions"][0]["trail"][0]["note"], "Trust first");
    assert_eq!(j["learnings"][0]["title"], "Slow is fine");
    let text = j.to_string();
    assert!(!text.contains("secret of"), "no group-scope text anywhere");
    assert_eq!(text.matches("Reflection of 2026-12-03").count(), 1);
}

fn front_matter(md: &str) -> (yaml_rust2::Yaml, &str) {
    let rest = md.strip_prefix("---\n").expect("front matter first");
    let end = rest.find("\n---\n").expect("front matter closed");
    let docs = YamlLoader::load_from_str(&rest[..end]).unwrap();
    (docs[0].clone(), &rest[end + 5..])
}

fn headings(md: &str) -> Vec<(HeadingLevel, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(HeadingLevel, String)> = None;
    for e in Parser::new(md) {
        match e {
            Event::Start(Tag::Heading { level, .. }) => cur = Some((level, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = cur.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(cur.take()),
            _ => {}
        }
    }
    out
}

fn links(md: &str) -> Vec<String> {
    Parser::new(md)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

fn plain_text(md: &str) -> String {
    Parser::new(md)
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.to_string()),
            Event::SoftBreak | Event::HardBreak => Some("\n".into()),
            _ => None,
        })
        .collect()
}

#[test]
fn markdown_has_front_matter_sections_and_links_that_resolve() {
    let d = demo();
    let out = export(&d.home, &["--format", "markdown"]);
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert_eq!(headings(&readme)[0].1, "Stewardship Group");
    assert!(
        readme.contains("3 check-in turn(s)"),
        "the first page says what was left out"
    );
    let readme_links = links(&readme);
    assert_eq!(
        readme_links
            .iter()
            .filter(|l| l.starts_with("sessions/"))
            .count(),
        3
    );
    for l in &readme_links {
        assert!(out.join(l).is_file(), "README links to {l}, which exists");
    }
    let mut files: Vec<_> = std::fs::read_dir(out.join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    let mut dates = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (fm, body) = front_matter(&text);
        dates.push(fm["date"].as_str().unwrap().to_string());
        assert_eq!(fm["kind"].as_str(), Some("weekly"));
        assert_eq!(fm["convener"].as_str(), Some("Ana"));
        let took: Vec<&str> = fm["took_turn"]
            .as_vec()
            .unwrap()
            .iter()
            .map(|y| y.as_str().unwrap())
            .collect();
        assert_eq!(took, ["Ana"], "only export-scope turns");
        let h = headings(body);
        let h2: Vec<&str> = h
            .iter()
            .filter(|(l, _)| *l == HeadingLevel::H2)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(h2, ["Check-in", "Reflections", "Re-storying"]);
        assert!(
            h.iter()
                .any(|(l, t)| *l == HeadingLevel::H4 && t.starts_with("Retold by Ben"))
        );
        for l in links(body) {
            assert!(
                f.parent().unwrap().join(&l).is_file(),
                "{l} resolves from {}",
                f.display()
            );
        }
        assert!(!text.contains("secret of"));
    }
    assert_eq!(
        dates,
        ["2026-11-26", "2026-12-03", "2026-12-10"],
        "file names sort by date"
    );
    let questions = std::fs::read_to_string(out.join("questions.md")).unwrap();
    for l in links(&questions) {
        assert!(out.join(&l).is_file(), "questions.md links to {l}");
    }
    assert!(plain_text(&questions).contains("Trust first"));
    assert!(
        plain_text(&std::fs::read_to_string(out.join("learnings.md")).unwrap())
            .contains("Trust takes time")
    );
}

#[test]
fn hostile_text_and_titles_cannot_break_structure_or_escape_the_folder() {
    let d = demo();
    let out = export(&d.home, &["--format", "markdown"]);
    // Every file stays inside the export folder, with a safe name.
    let all = walk(&out);
    assert_eq!(all.len(), 6);
    for p in &all {
        assert!(p.starts_with(&out));
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
            "{name}"
        );
    }
    let hostile_file = out.join("sessions/2026-11-26-etc-a-b-c.md");
    let text = std::fs::read_to_string(&hostile_file).unwrap();
    let (fm, body) = front_matter(&text);
    assert_eq!(
        fm["title"].as_str(),
        Some(HOSTILE_TITLE),
        "the title survives the front matter"
    );
    let h = headings(body);
    assert!(
        !h.iter()
            .any(|(_, t)| t.contains("Not a heading") || t.contains("Also not")),
        "{h:?}"
    );
    let reflections_h3: Vec<&str> = h
        .iter()
        .filter(|(l, _)| *l == HeadingLevel::H3)
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(reflections_h3.contains(&"Hostile"));
    let events: Vec<Event> = Parser::new(body).collect();
    assert!(!events.iter().any(|e| matches!(
        e,
        Event::Html(_) | Event::InlineHtml(_) | Event::Rule | Event::Start(Tag::Table(_))
    )));
    let plain = plain_text(body);
    for piece in [
        "# Not a heading",
        "<script>alert('x')</script>",
        "[[Wiki link]] | a | b |",
        "- not a list",
    ] {
        assert!(plain.contains(piece), "{piece:?} shows as text: {plain}");
    }
    // HTML: parsed by html5ever, the hostile text is text, never an element.
    let html = std::fs::read_to_string(export(&d.home, &["--format", "html"])).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("script")).count(), 0);
    let bodies: String = doc
        .select(&sel("article.reflection"))
        .map(|a| a.text().collect::<String>())
        .collect();
    assert!(bodies.contains("<script>alert('x')</script>"));
    assert!(bodies.contains("# Not a heading"));
}

#[test]
fn html_is_one_printable_file_with_contents_in_date_order() {
    let d = demo();
    let html = std::fs::read_to_string(export(&d.home, &["--format", "html"])).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert!(
        doc.select(&sel("style"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .contains("@media print")
    );
    assert_eq!(
        doc.select(&sel("link, img, script")).count(),
        0,
        "self-contained"
    );
    let toc: Vec<String> = doc
        .select(&sel("nav li a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        toc[0].starts_with("2026-11-26")
            && toc[1].starts_with("2026-12-03")
            && toc[2].starts_with("2026-12-10"),
        "{toc:?}"
    );
    for a in doc.select(&sel("nav li a")) {
        let target = a.value().attr("href").unwrap().trim_start_matches('#');
        assert_eq!(
            doc.select(&sel(&format!("[id='{target}']"))).count(),
            1,
            "anchor {target}"
        );
    }
    let turns: Vec<String> = doc
        .select(&sel("li.turn"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(turns.len(), 3);
    assert!(turns.iter().all(|t| t.starts_with("Ana")));
    assert_eq!(doc.select(&sel("article.story .retelling")).count(), 3);
    assert!(
        doc.select(&sel("#left-out"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .contains("3 check-in turn(s)")
    );
}

#[test]
fn group_scope_entries_only_with_the_flag_in_every_format() {
    let d = demo();
    let h = &d.home;
    for fmt in ["markdown", "html", "json"] {
        let without = export(h, &["--format", fmt]);
        let with = export(h, &["--format", fmt, "--include-group"]);
        let read = |p: &Path| -> String {
            if p.is_dir() {
                let mut s = String::new();
                for e in walk(p) {
                    s.push_str(&std::fs::read_to_string(e).unwrap());
                }
                s
            } else {
                std::fs::read_to_string(p).unwrap()
            }
        };
        assert!(
            !read(&without).contains("secret of"),
            "{fmt} without the flag"
        );
        assert_eq!(
            read(&with).matches("secret of").count(),
            3,
            "{fmt} with the flag"
        );
    }
    // Automerge: imported into a fresh home, the group's entries are there only with the flag.
    for (flag, expect) in [(false, 0), (true, 1)] {
        let mut args = vec!["--format", "automerge"];
        if flag {
            args.push("--include-group");
        }
        let am = export(h, &args);
        let fresh = Home::new();
        fresh.ok(&["import", am.to_str().unwrap()]);
        let shown = fresh.ok(&["show", &d.sessions[0]]);
        assert_eq!(
            shown.matches("secret of").count(),
            expect,
            "automerge, flag {flag}"
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

#[test]
fn automerge_export_imports_back_to_the_same_json() {
    let d = demo();
    for flag in [false, true] {
        let extra: &[&str] = if flag { &["--include-group"] } else { &[] };
        let original = json(&d.home, extra);
        let mut args = vec!["--format", "automerge"];
        args.extend_from_slice(extra);
        let am = export(&d.home, &args);
        let fresh = Home::new();
        let id = fresh.ok(&["import", am.to_str().unwrap()]);
        assert_eq!(id, original["notebook"]["id"].as_str().unwrap());
        assert_eq!(
            json(&fresh, extra),
            original,
            "round trip, include_group={flag}"
        );
        // Importing it again is refused: the notebook is already there.
        let err = fresh.fail(&["import", am.to_str().unwrap()]);
        assert!(err.contains("already holds"), "{err}");
    }
}

#[test]
fn folders_and_files_are_not_overwritten_without_force_and_filters_apply() {
    let d = demo();
    let h = &d.home;
    let out = h.path().join("md");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "keep me").unwrap();
    let err = h.fail(&[
        "export",
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("not empty") && err.contains("--force"),
        "{err}"
    );
    h.ok(&[
        "export",
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "keep me"
    );
    let file = h.path().join("n.json");
    h.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    let err = h.fail(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(err.contains("--force"), "{err}");
    let one = json(h, &["--session", "2026-12-03"]);
    assert_eq!(one["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(one["sessions"][0]["title"], "Second");
    let range = json(h, &["--from", "2026-12-01", "--to", "2026-12-31"]);
    assert_eq!(range["sessions"].as_array().unwrap().len(), 2);
    let err = h.fail(&["export", "--format", "pdf", "--out", "x"]);
    assert!(err.contains("unknown format"), "{err}");
}
