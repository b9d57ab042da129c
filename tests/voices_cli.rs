//! `stones voices` through the real binary on three devices: three people co-write one
//! reflection on their own laptops, sync, and each is counted for the words they typed;
//! turns, passes and presence are counted, an off-the-record turn never is.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join};

/// `stones voices` rows as (name → fields), members and sectors apart.
fn voices(d: &Device, args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["voices"];
    all.extend_from_slice(args);
    d.ok(&all)
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], what: &str, name: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == what && r[1] == name)
        .unwrap_or_else(|| panic!("no {what} {name} in {rows:?}"))
}

#[test]
fn co_writers_of_one_reflection_each_count_their_own_words() {
    let (a, b, c) = (Device::new(), Device::new(), Device::new());
    let (s, r) = founded(&a); // Ada wrote "We began." (2 words)
    let serve = a.serve();
    join(&a, &b, "Bea");
    join(&a, &c, "Cy");
    b.ok(&["reflection", "append", &s, &r, "--text", " Bea adds three."]);
    b.sync_with(&serve.ticket);
    c.ok(&[
        "reflection",
        "append",
        &s,
        &r,
        "--text",
        " Cy writes four words.",
    ]);
    c.sync_with(&serve.ticket);
    // Each records their own turn, on their own device.
    a.ok(&["checkin", &s, "--text", "Arriving slowly today"]);
    b.ok(&["checkin", &s, "--pass"]);
    b.sync_with(&serve.ticket);
    c.ok(&["checkin", &s, "--off-the-record"]);
    c.sync_with(&serve.ticket);
    a.ok(&["session", "present", &s, "Ada", "Cy"]);
    let shown = a.ok(&["show", &s]);
    assert!(
        shown.contains("Bea adds three.") && shown.contains("Cy writes four words."),
        "{shown}"
    );

    let rows = voices(&a, &[]);
    // name, sector, present, turns, passes, turn words, written words, share
    assert_eq!(
        row(&rows, "member", "Ada")[2..8],
        ["NHS", "1", "1", "0", "3", "2"]
    );
    assert_eq!(
        row(&rows, "member", "Bea")[2..8],
        ["charity", "1", "0", "1", "0", "3"]
    );
    // Cy spoke off the record: present, a turn taken, and not a word of it counted.
    assert_eq!(
        row(&rows, "member", "Cy")[2..8],
        ["charity", "1", "1", "0", "0", "4"]
    );
    let charity = row(&rows, "sector", "charity");
    assert_eq!(charity[2], "2 members");
    assert_eq!(charity[7], "7");
    // 7 of the 12 words came from the charity sector.
    assert_eq!(charity[8], "58%");
    assert_eq!(row(&rows, "sector", "NHS")[8], "42%");

    let chart = a.ok(&["voices", "--chart"]);
    assert!(chart.contains("Words per sector"), "{chart}");
    assert!(chart.contains("█"), "{chart}");

    // A window with no sessions counts nothing; a bad date is refused, naming the flag.
    let none = voices(&a, &["--to", "2020-01-01"]);
    assert_eq!(
        row(&none, "member", "Bea")[2..8],
        ["charity", "0", "0", "0", "0", "0"]
    );
    let err = a.fail(&["voices", "--from", "2026-13-01"]);
    assert!(err.contains("--from"), "{err}");
}
