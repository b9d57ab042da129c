//! Practice features through the real binary: attendance in `sessions`, `show` and the
//! check-in round; presence in voices over several sessions and windows; templates and
//! suggested questions; convener rotation.
#![allow(clippy::unwrap_used)]

mod common;

use common::Home;

fn founded() -> Home {
    let h = Home::new();
    h.ok(&[
        "init", "--title", "Stewards", "--name", "Ana", "--sector", "NHS",
    ]);
    h.ok(&["member", "add", "--name", "Ben", "--sector", "council"]);
    h.ok(&["member", "add", "--name", "Cleo", "--sector", "charity"]);
    h
}

#[test]
fn attendance_shows_in_sessions_show_and_the_checkin_round() {
    let h = founded();
    let s = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-11-26",
        "--kind",
        "weekly",
        "--question",
        "Q?",
    ]);
    h.ok(&["session", "present", &s, "Ana", "Ben", "Cleo"]);
    h.ok(&["checkin", &s, "--text", "Here.", "--member", "Ana"]);
    h.ok(&["session", "present", &s, "--absent", "Cleo"]);
    let line = h.ok(&["sessions"]);
    assert!(line.contains("\t2 present\t"), "{line}");
    let shown = h.ok(&["show", &s]);
    assert!(shown.contains("Present (2): Ana, Ben"), "{shown}");
    assert!(
        shown.contains("- **Ben** has not taken a turn yet"),
        "{shown}"
    );
    assert!(!shown.contains("**Ana** has not"), "{shown}");
    assert!(!shown.contains("Cleo"), "absent now: {shown}");

    let err = h.fail(&["session", "present", &s, "Nobody"]);
    assert!(err.contains("Nobody"), "{err}");
    assert!(
        h.ok(&["sessions"]).contains("\t2 present\t"),
        "nothing changed"
    );
}

/// `stones voices ARGS…`: each member's (present, turns, passes) by name.
fn presence(h: &Home, args: &[&str]) -> Vec<(String, String, String, String)> {
    let mut cmd = vec!["voices"];
    cmd.extend_from_slice(args);
    h.ok(&cmd)
        .lines()
        .filter(|l| l.starts_with("member\t"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[1].into(), f[3].into(), f[4].into(), f[5].into())
        })
        .collect()
}

#[test]
fn voices_count_presence_across_sessions_and_windows() {
    let h = founded();
    let mut sessions = Vec::new();
    for date in ["2026-10-01", "2026-10-08", "2026-10-15"] {
        sessions.push(h.ok(&["session", "new", "--date", date, "--kind", "weekly"]));
    }
    let [s1, s2, s3] = [&sessions[0], &sessions[1], &sessions[2]];
    // Ana is marked present at all three; Ben is marked at the first and takes a turn
    // unmarked at the second; Cleo passes at the third, where Ben is marked absent.
    for s in [s1, s2, s3] {
        h.ok(&["session", "present", s, "Ana"]);
    }
    h.ok(&["session", "present", s1, "Ben"]);
    h.ok(&[
        "checkin",
        s2,
        "--member",
        "Ben",
        "--text",
        "Busy week at the council",
    ]);
    h.ok(&["checkin", s3, "--member", "Cleo", "--pass"]);
    h.ok(&["session", "present", s3, "--absent", "Ben"]);
    let row = |n: &str, p: &str, t: &str, x: &str| (n.into(), p.into(), t.into(), x.into());
    let all = vec![
        row("Cleo", "1", "0", "1"),
        row("Ben", "2", "1", "0"),
        row("Ana", "3", "0", "0"),
    ];
    let mut got = presence(&h, &[]);
    got.sort_by(|a, b| b.0.cmp(&a.0));
    assert_eq!(got, all);
    // A second process reads the kept tallies and says the same.
    let mut again = presence(&h, &[]);
    again.sort_by(|a, b| b.0.cmp(&a.0));
    assert_eq!(again, all);
    let mut last = presence(&h, &["--last", "1"]);
    last.sort_by(|a, b| b.0.cmp(&a.0));
    assert_eq!(
        last,
        [
            row("Cleo", "1", "0", "1"),
            row("Ben", "0", "0", "0"),
            row("Ana", "1", "0", "0")
        ]
    );
    let mut from = presence(&h, &["--from", "2026-10-08", "--to", "2026-10-08"]);
    from.sort_by(|a, b| b.0.cmp(&a.0));
    assert_eq!(
        from,
        [
            row("Cleo", "0", "0", "0"),
            row("Ben", "1", "1", "0"),
            row("Ana", "1", "0", "0")
        ]
    );
}

#[test]
fn templates_lay_out_sections_and_suggested_questions_do_not_repeat() {
    let h = founded();
    let weekly = h.ok(&["session", "new", "--date", "2026-01-06", "--kind", "weekly"]);
    let monthly = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-31",
        "--kind",
        "monthly",
    ]);
    let w = h.ok(&["show", &weekly]);
    assert!(w.contains("## Check-in") && w.contains("## Notes") && w.contains("## Reflections"));
    assert!(!w.contains("## Re-storying"), "{w}");
    assert!(
        w.contains("A short reflection the group writes together"),
        "{w}"
    );
    let m = h.ok(&["show", &monthly]);
    assert!(
        m.contains("## Re-storying") && m.contains("## Learnings"),
        "{m}"
    );

    // Every session got a suggested question; none repeats within the last 12. The first
    // session was pitched to a new group (no first session yet), the monthly day, half a
    // year after it by today, to an established one.
    let question_of = |s: &str| {
        let shown = h.ok(&["show", s]);
        shown
            .lines()
            .find(|l| l.starts_with('*') && l.ends_with("?*"))
            .map(str::to_string)
    };
    let mut asked = vec![question_of(&weekly).unwrap()];
    for day in 1..=7 {
        let date = format!("2026-02-{day:02}");
        let s = h.ok(&[
            "session", "new", "--date", &date, "--kind", "weekly", "--trust", "new",
        ]);
        let q = question_of(&s).unwrap_or_else(|| panic!("no question on {date}"));
        assert!(!asked.contains(&q), "{q} asked twice");
        asked.push(q);
    }
    // All eight built-in questions for a new group are used up: none is suggested.
    let s = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-02-09",
        "--kind",
        "weekly",
        "--trust",
        "new",
    ]);
    assert_eq!(question_of(&s), None);
    assert!(
        h.ok(&["show", &s])
            .contains("*The convener poses a question;")
    );
    let err = h.fail(&[
        "session",
        "new",
        "--date",
        "2026-03-01",
        "--kind",
        "weekly",
        "--trust",
        "old",
    ]);
    assert!(err.contains("new or established"), "{err}");
}

#[test]
fn convener_next_is_who_never_convened_then_who_convened_least_recently() {
    let h = founded();
    h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-06",
        "--kind",
        "weekly",
        "--convener",
        "Ana",
    ]);
    h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-13",
        "--kind",
        "weekly",
        "--convener",
        "Cleo",
    ]);
    let no_convener = h.ok(&["session", "new", "--date", "2026-01-20", "--kind", "weekly"]);
    assert_eq!(h.ok(&["convener", "next"]), "Ben\tnever convened");
    h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-27",
        "--kind",
        "weekly",
        "--convener",
        "Ben",
    ]);
    assert_eq!(h.ok(&["convener", "next"]), "Ana\tlast convened 2026-01-06");
    let list = h.ok(&["conveners"]);
    let names: Vec<&str> = list
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(names, ["Ana", "Cleo", "Ben"]);
    let line = h.ok(&["sessions"]);
    let row = line.lines().find(|l| l.starts_with(&no_convener)).unwrap();
    assert!(row.ends_with("\t-"), "left empty, never guessed: {row}");
}

#[test]
fn a_session_header_and_a_member_are_corrected_and_bad_input_changes_nothing() {
    let h = founded();
    let s = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-06",
        "--kind",
        "weekly",
        "--title",
        "Frist",
    ]);
    h.ok(&[
        "session",
        "edit",
        &s,
        "--date",
        "2026-01-07",
        "--kind",
        "monthly",
        "--title",
        "First",
        "--convener",
        "Ben",
    ]);
    let row = h.ok(&["sessions"]);
    assert_eq!(
        row,
        format!("{s}\t2026-01-07\tmonthly\tFirst\t0 present\tBen")
    );
    let shown = h.ok(&["show", &s]);
    assert!(
        shown.starts_with("# 2026-01-07 (monthly) — First, convened by Ben"),
        "{shown}"
    );
    assert!(
        shown.contains("## Re-storying"),
        "the monthly template follows: {shown}"
    );
    h.ok(&["session", "edit", &s, "--convener", ""]);
    assert!(h.ok(&["sessions"]).ends_with("\t-"));

    h.ok(&[
        "member", "edit", "Ben", "--name", "Benedict", "--sector", "housing",
    ]);
    let members = h.ok(&["members"]);
    assert!(members.contains("\tBenedict\thousing\t"), "{members}");

    for (args, says) in [
        (vec!["member", "edit", "Nobody", "--name", "X"], "Nobody"),
        (vec!["member", "edit", "Benedict"], "nothing to change"),
        (
            vec!["member", "edit", "Benedict", "--name", " "],
            "must not be empty",
        ),
        (vec!["session", "edit", &s], "nothing to change"),
        (
            vec!["session", "edit", &s, "--date", "2026-02-30"],
            "2026-02-30",
        ),
        (vec!["session", "edit", &s, "--kind", "yearly"], "yearly"),
    ] {
        let err = h.fail(&args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(h.ok(&["members"]), members, "nothing changed");
    assert!(
        h.ok(&["sessions"])
            .starts_with(&format!("{s}\t2026-01-07\tmonthly\tFirst"))
    );
}

#[test]
fn a_reflection_and_a_story_are_retitled_and_rescoped() {
    let h = founded();
    let s = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-31",
        "--kind",
        "monthly",
        "--question",
        "Q?",
    ]);
    let r = h.ok(&[
        "reflection",
        "add",
        &s,
        "--title",
        "Wrnog",
        "--text",
        "Body.",
    ]);
    let st = h.ok(&[
        "story",
        "add",
        &s,
        "--title",
        "Teh bus",
        "--text",
        "We waited.",
    ]);
    h.ok(&["reflection", "edit", &s, &r, "--title", "Right"]);
    h.ok(&[
        "story", "edit", &s, &st, "--title", "The bus", "--scope", "group",
    ]);
    let shown = h.ok(&["show", &s]);
    assert!(
        shown.contains("### Right") && shown.contains("### The bus — told by Ana"),
        "{shown}"
    );
    assert!(
        !shown.contains("Wrnog") && !shown.contains("Teh bus"),
        "{shown}"
    );
    let out = h.path().join("out.json");
    h.ok(&["export", "--format", "json", "--out", out.to_str().unwrap()]);
    let json = std::fs::read_to_string(&out).unwrap();
    assert!(
        json.contains("Right") && !json.contains("The bus"),
        "the story is group-scope now"
    );

    let err = h.fail(&["reflection", "edit", &s, &r, "--title", "  "]);
    assert!(err.contains("must not be empty"), "{err}");
    let err = h.fail(&["story", "edit", &s, &st]);
    assert!(err.contains("nothing to change"), "{err}");
    assert!(h.ok(&["show", &s]).contains("### Right"));
}

#[test]
fn digest_tells_the_story_so_far_and_export_scope_leaves_group_entries_out() {
    let h = founded();
    let s = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-03-03",
        "--kind",
        "monthly",
        "--title",
        "Spring day",
        "--convener",
        "Ben",
        "--question",
        "Q?",
    ]);
    h.ok(&[
        "reflection",
        "add",
        &s,
        "--title",
        "Open to all",
        "--text",
        "We saw the waiting list.\n\nSecond paragraph stays out.",
    ]);
    h.ok(&[
        "reflection",
        "add",
        &s,
        "--title",
        "Kept close",
        "--scope",
        "group",
        "--text",
        "Only for us.",
    ]);
    let q = h.ok(&[
        "question",
        "add",
        "--text",
        "Who holds the risk?",
        "--session",
        &s,
    ]);
    h.ok(&["question", "note", &q, "--text", "Nearer after the audit."]);
    let done = h.ok(&["question", "add", "--text", "Answered one"]);
    h.ok(&["question", "status", &done, "answered"]);
    h.ok(&[
        "learning",
        "add",
        "--title",
        "Start with the story",
        "--session",
        &s,
    ]);
    h.ok(&["member", "remove", "Cleo"]);

    let d = h.ok(&["digest"]);
    assert!(d.contains("# Stewards: the story so far"), "{d}");
    assert!(d.contains("- **NHS**: Ana"), "{d}");
    assert!(d.contains("- **council**: Ben"), "{d}");
    assert!(d.contains("Who has left: Cleo (left "), "{d}");
    assert!(
        d.contains("- **Who holds the risk?** — held for 0 days"),
        "{d}"
    );
    assert!(
        d.contains("latest, ") && d.contains("Nearer after the audit."),
        "{d}"
    );
    assert!(
        !d.contains("Answered one"),
        "only open and resting questions: {d}"
    );
    assert!(
        d.contains("- **Start with the story** (from 2026-03-03 Spring day)"),
        "{d}"
    );
    assert!(d.contains("### 2026-03-03 — Open to all"), "{d}");
    assert!(d.contains("We saw the waiting list."), "{d}");
    assert!(!d.contains("Second paragraph"), "first paragraph only: {d}");
    assert!(d.contains("Only for us."), "{d}");
    assert!(
        d.contains("## Who convened lately\n\nBen (2026-03-03)."),
        "{d}"
    );

    let handed_on = h.ok(&["digest", "--export-scope"]);
    assert!(!handed_on.contains("Only for us."), "{handed_on}");
    assert!(!handed_on.contains("Kept close"), "{handed_on}");
    assert!(handed_on.contains("Open to all"), "{handed_on}");
    let one = h.ok(&["digest", "--last", "1"]);
    assert_eq!(one.matches("\n### ").count(), 1, "{one}");
}

#[test]
fn a_retellings_angle_and_a_learnings_title_and_sessions_can_be_corrected() {
    let h = founded();
    let s1 = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-01-06",
        "--kind",
        "weekly",
        "--question",
        "Q?",
    ]);
    let s2 = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-02-03",
        "--kind",
        "monthly",
        "--question",
        "Q?",
    ]);
    let story = h.ok(&[
        "story",
        "add",
        &s2,
        "--title",
        "Bus",
        "--text",
        "It was late.",
    ]);
    let r = h.ok(&[
        "story",
        "retell",
        &s2,
        &story,
        "--angle",
        "the drivr",
        "--text",
        "Traffic.",
    ]);
    h.ok(&["story", "angle", &s2, &story, &r, "the driver"]);
    let shown = h.ok(&["show", &s2]);
    assert!(shown.contains("from the angle of the driver"), "{shown}");
    assert!(!shown.contains("drivr"), "{shown}");
    let err = h.fail(&["story", "angle", &s2, &story, &r, "  "]);
    assert!(err.contains("must not be empty"), "{err}");

    let l = h.ok(&["learning", "add", "--title", "Slow dwn", "--session", &s1]);
    h.ok(&["learning", "edit", &l, "--title", "Slow down"]);
    h.ok(&["learning", "edit", &l, "--session", &s1, "--session", &s2]);
    let digest = h.ok(&["digest"]);
    assert!(
        digest.contains("- **Slow down** (from 2026-01-06 (weekly), 2026-02-03 (monthly))"),
        "{digest}"
    );
    let err = h.fail(&["learning", "edit", &l]);
    assert!(err.contains("nothing to change"), "{err}");
}

#[test]
fn attendance_reaches_every_export_and_survives_a_reimport() {
    let h = founded();
    let s = h.ok(&[
        "session",
        "new",
        "--date",
        "2026-05-05",
        "--kind",
        "weekly",
        "--question",
        "Q?",
    ]);
    h.ok(&["session", "present", &s, "Cleo", "Ana"]);
    let dir = h.path().join("exports");
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    for (format, name) in [
        ("json", "e.json"),
        ("html", "e.html"),
        ("markdown", "md"),
        ("automerge", "am"),
    ] {
        h.ok(&["export", "--format", format, "--out", &out(name)]);
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("e.json")).unwrap()).unwrap();
    let names: Vec<&str> = json["sessions"][0]["present"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana", "Cleo"], "joining order");
    let html = std::fs::read_to_string(dir.join("e.html")).unwrap();
    assert!(html.contains("Present (2): Ana, Cleo"), "{html}");
    let md_file = std::fs::read_dir(dir.join("md/sessions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let md = std::fs::read_to_string(md_file).unwrap();
    assert!(
        md.contains("present: [\"Ana\", \"Cleo\"]") || md.contains("present: [Ana, Cleo]"),
        "{md}"
    );
    assert!(md.contains("Present (2): Ana, Cleo"), "{md}");

    let other = Home::new();
    other.ok(&["import", &out("am")]);
    let line = other.ok(&["sessions"]);
    assert!(line.contains("\t2 present\t"), "{line}");
}
