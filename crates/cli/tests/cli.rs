//! The `stones` binary end to end in a temp home: commands, output shapes, and clear errors.

mod common;
use common::Home;

#[test]
fn a_session_from_start_to_show() {
    let h = Home::new();
    let s = h.with_session();
    h.ok(&["checkin", &s[..6], "--text", "café ☕ naïve"]);
    h.ok(&["checkin", "2026-11-26", "--member", "ben", "--pass"]);
    let r = h.ok(&[
        "reflection",
        "add",
        &s,
        "--title",
        "What we noticed",
        "--text",
        "Relationships are the work.",
    ]);
    h.ok(&[
        "reflection",
        "append",
        &s,
        &r[..5],
        "--text",
        "It takes time.",
    ]);
    let st = h.ok(&[
        "story",
        "add",
        &s,
        "--title",
        "The bus stop",
        "--text",
        "We waited.\nNobody came.",
    ]);
    h.ok(&[
        "story",
        "retell",
        &s,
        &st[..5],
        "--angle",
        "the resident",
        "--text",
        "I waited longest.",
        "--teller",
        "Ben",
    ]);
    h.ok(&[
        "session",
        "notes",
        &s,
        "--text",
        "Next time: the council budget.",
    ]);
    let shown = h.ok(&["show", &s]);
    for want in [
        "# 2026-11-26 (weekly) — First hour",
        "*What weather are you today?*",
        "- **Ana**: café ☕ naïve",
        "- **Ben** passed",
        "Relationships are the work.\n\nIt takes time.",
        "### The bus stop — told by Ana",
        "> We waited.\n> Nobody came.",
        "#### Retold by Ben, from the angle of the resident",
        "Next time: the council budget.",
    ] {
        assert!(shown.contains(want), "missing {want:?} in\n{shown}");
    }
    let sessions = h.ok(&["sessions"]);
    assert_eq!(
        sessions,
        format!("{s}\t2026-11-26\tweekly\tFirst hour\t0 present\t-")
    );
    let members = h.ok(&["members"]);
    let lines: Vec<Vec<&str>> = members.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0][1], lines[0][2], lines[0][4]),
        ("Ana", "NHS", "you")
    );
    assert_eq!((lines[1][1], lines[1][4]), ("Ben", "member"));
}

#[test]
fn held_questions_keep_a_trail() {
    let h = Home::new();
    let s = h.with_session();
    let q = h.ok(&[
        "question",
        "add",
        "--text",
        "How do we practise togetherness?",
        "--session",
        &s,
    ]);
    h.ok(&[
        "question",
        "note",
        &q[..4],
        "--text",
        "Came up in the check-in",
        "--session",
        "2026-11-26",
    ]);
    h.ok(&["question", "status", &q[..4], "let-go"]);
    assert_eq!(
        h.ok(&["question", "list"]),
        format!("{q}\tlet-go\tHow do we practise togetherness?")
    );
    let overview = h.ok(&["show"]);
    assert!(
        overview.contains("### How do we practise togetherness? (let-go)"),
        "{overview}"
    );
    assert!(
        overview.contains("(session of 2026-11-26), Ana: Came up in the check-in"),
        "{overview}"
    );
    assert!(overview.contains("status → let-go"), "{overview}");
    let l = h.ok(&[
        "learning",
        "add",
        "--title",
        "Relationships are the work",
        "--session",
        &s,
    ]);
    assert_eq!(l.len(), 32);
    assert!(
        h.ok(&["show"])
            .contains("### Relationships are the work\n\nFrom sessions: 2026-11-26")
    );
}

#[test]
fn off_the_record_keeps_only_that_the_turn_was_taken() {
    let h = Home::new();
    let s = h.with_session();
    let commits = |h: &Home| {
        h.ok(&["status"])
            .lines()
            .find(|l| l.starts_with("commits\t"))
            .unwrap()
            .to_string()
    };
    let before_commits = commits(&h);
    let out = h.run(&["checkin", &s, "--member", "Ben", "--off-the-record"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("only that the turn was taken off the record"),
        "{said}"
    );
    assert_ne!(before_commits, commits(&h), "that much is recorded");
    let shown = h.ok(&["show", &s]);
    assert!(shown.contains("**Ben** spoke off the record"), "{shown}");
}

#[test]
fn clear_errors_with_nonzero_exit() {
    let h = Home::new();
    let missing = h.fail(&["sessions"]);
    assert!(
        missing.contains("no Stepping Stones home")
            && missing.contains(&h.path().display().to_string()),
        "{missing}"
    );
    let s = h.with_session();
    h.ok(&["session", "new", "--date", "2026-12-03", "--kind", "weekly"]);
    assert!(
        h.fail(&["checkin", "zzzz", "--pass"])
            .contains("unknown session \"zzzz\"")
    );
    assert!(
        h.fail(&["checkin", "", "--pass"])
            .contains("empty session id")
    );
    assert!(
        h.fail(&["session", "new", "--date", "2026-02-30", "--kind", "weekly"])
            .contains("not a date")
    );
    assert!(
        h.fail(&["session", "new", "--date", "26/11/2026", "--kind", "weekly"])
            .contains("bad date")
    );
    assert!(
        h.fail(&[
            "session",
            "new",
            "--date",
            "2026-11-27",
            "--kind",
            "fortnightly"
        ])
        .contains("unknown session kind \"fortnightly\"")
    );
    let q = h.ok(&["question", "add", "--text", "Why?"]);
    assert!(
        h.fail(&["question", "status", &q, "closed"])
            .contains("unknown question status \"closed\"")
    );
    assert!(
        h.fail(&["question", "add", "--text", "  "])
            .contains("must not be empty")
    );
    assert!(
        h.fail(&["reflection", "add", &s, "--title", ""])
            .contains("must not be empty")
    );
    assert!(
        h.fail(&["story", "add", &s, "--title", "T", "--text", " "])
            .contains("a story must not be empty")
    );
    assert!(
        h.fail(&["init", "--title", "", "--name", "X"])
            .contains("must not be empty")
    );
    assert!(
        h.fail(&["checkin", &s, "--member", "Zed", "--pass"])
            .contains("unknown member")
    );
    // Two ids that share a first hex digit make a one-character prefix ambiguous, eventually.
    let mut ids = vec![q];
    while !ids
        .iter()
        .any(|a| ids.iter().filter(|b| b[..1] == a[..1]).count() > 1)
    {
        ids.push(h.ok(&["question", "add", "--text", "Another?"]));
    }
    let dup = ids
        .iter()
        .find(|a| ids.iter().filter(|b| b[..1] == a[..1]).count() > 1)
        .unwrap();
    assert!(
        h.fail(&["question", "note", &dup[..1], "--text", "x"])
            .contains("ambiguous question")
    );
    let removing_me = h.fail(&["member", "remove", "Ana"]);
    assert!(
        removing_me.contains("cannot remove yourself"),
        "{removing_me}"
    );
    for bad in ["7", "1mo", "0d", "soon"] {
        let err = h.fail(&["invite", "--expires", bad]);
        assert!(err.contains("like 7d"), "--expires {bad}: {err}");
    }
    // Nothing above left a partial edit behind.
    assert_eq!(h.ok(&["sessions"]).lines().count(), 2);
    assert_eq!(h.ok(&["members"]).lines().count(), 2);
    // No node runs for this home: never a stale "caught up", but plainly offline.
    let status = h.ok(&["status"]);
    assert!(
        status.contains("\nroom\toffline\tno node is running"),
        "{status}"
    );
}

#[test]
fn two_notebooks_need_a_choice() {
    let h = Home::new();
    let a = h.ok(&["init", "--title", "Alpha", "--name", "Ana"]);
    let b = h.ok(&["init", "--title", "Beta", "--name", "Ana"]);
    assert!(h.fail(&["sessions"]).contains("choose one with --notebook"));
    let listed = h.ok(&["notebooks"]);
    assert_eq!(listed, format!("{a}\tAlpha\n{b}\tBeta"));
    h.ok(&[
        "--notebook",
        &b[..6],
        "session",
        "new",
        "--date",
        "2026-01-05",
        "--kind",
        "monthly",
    ]);
    assert_eq!(h.ok(&["--notebook", &a[..6], "sessions"]), "");
    assert_eq!(
        h.ok(&["--notebook", &b[..6], "sessions"]).lines().count(),
        1
    );
}

#[test]
fn show_is_byte_identical_for_identical_documents() {
    let h = Home::new();
    let s = h.with_session();
    h.ok(&["checkin", &s, "--text", "Hello"]);
    h.ok(&["reflection", "add", &s, "--title", "T", "--text", "Body"]);
    // A second home holding the same documents: copy the store file, new identity.
    let other = Home::new();
    std::fs::copy(
        h.path().join("stones.redb"),
        other.path().join("stones.redb"),
    )
    .unwrap();
    assert_ne!(
        h.ok(&["id"]),
        other.ok(&["id"]),
        "the copy has its own device key"
    );
    assert_eq!(h.ok(&["show", &s]), other.ok(&["show", &s]));
    assert_eq!(h.ok(&["show"]), other.ok(&["show"]));
}

#[test]
fn history_attributes_changes_and_as_of_reads_the_past() {
    let h = Home::new();
    let s = h.with_session();
    h.ok(&["checkin", &s, "--text", "Early words"]);
    let hist = h.ok(&["history", &s]);
    let rows: Vec<Vec<&str>> = hist.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.len() >= 2, "{hist}");
    assert!(
        rows.iter().all(|r| r[2] == "Ana"),
        "every change is Ana's: {hist}"
    );
    assert!(rows.iter().any(|r| r[3] == "check-in"));
    let shown = h.ok(&["show", &s, "--as-of", "2000-01-01"]);
    assert!(!shown.contains("Early words"), "{shown}");
    let shown = h.ok(&["show", &s, "--as-of", "2999-01-01"]);
    assert!(shown.contains("Early words"), "{shown}");
}

#[test]
fn a_text_given_as_a_dash_is_read_from_standard_input() {
    let h = Home::new();
    let s = h.with_session();
    let words = "What I said,\nover two lines — and nothing on the command line.";
    let mut child = h
        .cmd(&["checkin", &s, "--member", "Ben", "--text", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        format!("{words}\n").as_bytes(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = h.ok(&["show", &s]);
    assert!(shown.contains("over two lines — and nothing"), "{shown}");
    assert!(
        !shown.contains("lines.\n\n\n"),
        "the final newline is not kept"
    );
}
