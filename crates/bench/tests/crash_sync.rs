//! SIGKILL during a full sync, both sides (issue 14): `stones-bench crash-sync` on a small
//! fixture, with the real `stones` binary. Each round kills a joiner mid-fetch or the
//! serving device mid-serve; the harness fails a round unless the killed store checks
//! sound, the server still holds exactly what it held, and the next sync completes with
//! both homes equal (document by document: heads and number of changes). The four-year run
//! with 20 rounds each is in docs/reliability.md.
#![allow(clippy::unwrap_used)]

use std::process::Command;

#[test]
fn killed_joiners_and_killed_servers_lose_nothing_and_the_next_sync_completes() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("fx");
    let bench = env!("CARGO_BIN_EXE_stones-bench");
    let built = Command::new(bench)
        .args([
            "fixture",
            "--sessions",
            "4",
            "--members",
            "3",
            "--seed",
            "9",
            "--out",
        ])
        .arg(&fixture)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let out = Command::new(bench)
        .args(["crash-sync", "--rounds", "10", "--seed", "3", "--dir"])
        .arg(dir.path())
        .arg("--fixture")
        .arg(&fixture)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |line: &str, name: &str| -> u64 {
        let l = text.lines().find(|l| l.starts_with(line)).unwrap();
        let at = l.find(name).unwrap() + name.len();
        l[at..].split_whitespace().next().unwrap().parse().unwrap()
    };
    assert_eq!(field("crash-sync", "documents "), 5, "{text}");
    assert_eq!(field("receive", "rounds "), 10, "{text}");
    assert_eq!(field("serve", "rounds "), 10, "{text}");
    assert_eq!(field("after", "checks sound "), 20, "{text}");
    // Most kills interrupted a fetch (the rest found it finished, which is checked too).
    let mid = field("receive", "killed mid-fetch ") + field("serve", "killed mid-fetch ");
    assert!(mid >= 5, "only {mid} kills landed during a fetch: {text}");
}
