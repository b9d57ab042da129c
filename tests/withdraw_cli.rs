//! Withdrawal through the real binary: a member withdraws their turn, a retelling, a story
//! and a held question, and nothing of them is left in `show`, search or any export, here or
//! on a device that syncs afterwards; a member who did not write an entry is refused (and as
//! convener only when they convene the session), and nothing changes.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join};

/// Every export format's text, with the group's own entries included.
fn every_export(d: &Device) -> String {
    let mut all = String::new();
    for (format, name) in [("markdown", "md"), ("html", "e.html"), ("json", "e.json")] {
        let out = d.path().join(format!("export-{name}"));
        d.ok(&[
            "export",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--include-group",
            "--force",
        ]);
        if out.is_dir() {
            for f in walk(&out) {
                all.push_str(&std::fs::read_to_string(f).unwrap());
            }
        } else {
            all.push_str(&std::fs::read_to_string(&out).unwrap());
        }
    }
    all
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn withdrawn_entries_leave_show_search_and_exports_and_others_are_refused() {
    let (a, b) = (Device::new(), Device::new());
    let (s, r) = founded(&a);
    a.ok(&["checkin", &s, "--text", "Quietly marmalade today"]);
    let story = a.ok(&[
        "story",
        "add",
        &s,
        "--title",
        "The bus",
        "--text",
        "A heron story.",
    ]);
    let retelling = a.ok(&[
        "story",
        "retell",
        &s,
        &story,
        "--angle",
        "the driver",
        "--text",
        "A kestrel view.",
    ]);
    let q = a.ok(&["question", "add", "--text", "Who owns the lighthouse?"]);
    let serve = a.serve();
    join(&a, &b, "Bea");

    // Bea wrote none of it: refused, and nothing changes.
    let before = b.ok(&["show", &s]);
    let err = b.fail(&["reflection", "withdraw", &s, &r]);
    assert!(err.contains("you did not write this reflection"), "{err}");
    let err = b.fail(&["question", "withdraw", &q]);
    assert!(err.contains("you did not write this question"), "{err}");
    let err = b.fail(&["checkin", &s, "--withdraw", "--member", "Ada"]);
    assert!(err.contains("--as-convener"), "{err}");
    // With no convener recorded, acting as one takes a host (Bea is not).
    let err = b.fail(&["reflection", "withdraw", &s, &r, "--as-convener"]);
    assert!(err.contains("only a host"), "{err}");
    a.ok(&["session", "edit", &s, "--convener", "Ada"]);
    b.sync_with(&serve.ticket);
    let err = b.fail(&["reflection", "withdraw", &s, &r, "--as-convener"]);
    assert!(err.contains("only this session's convener"), "{err}");
    assert_eq!(
        b.ok(&["show", &s]),
        before.replace("— first\n", "— first, convened by Ada\n"),
        "nothing was withdrawn"
    );

    // Ada withdraws what she wrote.
    a.ok(&["story", "withdraw", &s, &story, "--retelling", &retelling]);
    let shown = a.ok(&["show", &s]);
    assert!(
        !shown.contains("kestrel") && shown.contains("heron"),
        "{shown}"
    );
    a.ok(&["story", "withdraw", &s, &story]);
    a.ok(&["checkin", &s, "--withdraw"]);
    a.ok(&["question", "withdraw", &q]);
    let err = a.fail(&["question", "withdraw", &q]);
    assert!(err.contains("unknown question"), "{err}");

    b.sync_with(&serve.ticket);
    for d in [&a, &b] {
        let shown = format!("{}{}", d.ok(&["show", &s]), d.ok(&["show"]));
        let exported = every_export(d);
        for gone in ["marmalade", "heron", "kestrel", "lighthouse"] {
            assert!(!shown.contains(gone), "{gone} in show: {shown}");
            assert!(!exported.contains(gone), "{gone} in an export");
            assert!(d.ok(&["search", gone]).is_empty(), "{gone} found by search");
        }
        assert!(shown.contains("We began."), "the rest stays: {shown}");
        assert!(exported.contains("We began."));
    }
}
