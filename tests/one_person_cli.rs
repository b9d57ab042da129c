//! One person, one member, through the real `stones` binary over iroh on 127.0.0.1: a name
//! the group has already is refused with the way out; an invite made *for* a member without
//! a device makes the joining device hers (the ticket says so; no second member); a plain
//! invite under her name is refused until the joiner says `--as`; two entries made for one
//! person on two devices apart are merged into one; an off-the-record turn keeps its place
//! in a fresh process and never leaves in an export.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded};

/// `stones members` on `d`: (name, status) per member.
fn members(d: &Device) -> Vec<(String, String)> {
    d.ok(&["members"])
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[1].to_string(), f[4].to_string())
        })
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn a_member_added_first_joins_later_as_herself_never_as_a_second_member() {
    let (ann, zoe, ben) = (Device::new(), Device::new(), Device::new());
    let (s, _) = founded(&ann);
    ann.ok(&["member", "add", "--name", "Zoë", "--sector", "council"]);
    ann.ok(&["member", "add", "--name", "Ben", "--sector", "charity"]);
    // The same name again, whatever its case or accents: refused, naming the way out.
    for same in ["zoe", "ZOË"] {
        let err = ann.fail(&["member", "add", "--name", same]);
        assert!(
            err.contains("name: there is already a member called Zoë"),
            "{err}"
        );
        assert!(err.contains("invite --for"), "{err}");
    }
    let err = ann.fail(&["member", "add", "--name", &"x".repeat(1_000)]);
    assert!(err.contains("name: 1000 characters"), "{err}");
    assert_eq!(members(&ann).len(), 3, "nothing was added");

    let serve = ann.serve();
    let out = ann.run(&["invite", "--for", "Zoë"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("an invite for Zoë's own device"),
        "{}",
        stderr(&out)
    );
    let ticket = String::from_utf8(out.stdout).unwrap().trim().to_string();
    // The ticket from standard input, and no name: the invite says who she is.
    let out = zoe.run_with_input(&["join", "--sector", "council"], &ticket);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("this invite is for Zoë's own device"),
        "{}",
        stderr(&out)
    );
    let names: Vec<String> = members(&ann).into_iter().map(|m| m.0).collect();
    assert_eq!(names, ["Ada", "Zoë", "Ben"], "still one Zoë");
    zoe.ok(&["checkin", &s, "--text", "Glad to have my own laptop"]);
    zoe.sync_with(&serve.ticket);
    assert!(
        ann.ok(&["show", &s])
            .contains("**Zoë**: Glad to have my own laptop")
    );
    // Her invite is spent: another device cannot take it.
    let err = ann.fail(&["invite", "--for", "Zoë"]);
    assert!(err.contains("already has a device"), "{err}");

    // A plain invite under Ben's name: refused with the way out, then `--as Ben` is him.
    let ticket = ann.ok(&["invite", "--uses", "2"]);
    let out = ben.run_with_input(&["join", "--name", "ben", "--timeout", "30"], &ticket);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("already a member called “Ben”"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--as"), "{}", stderr(&out));
    let out = ben.run_with_input(&["join", "--as", "Ben"], &ticket);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(members(&ann).len(), 3, "Ben's device is Ben's");
    ben.ok(&["checkin", &s, "--pass"]);
    ben.sync_with(&serve.ticket);
    assert!(ann.ok(&["show", &s]).contains("**Ben** passed"));
}

#[test]
fn two_entries_for_one_person_made_apart_merge_into_one() {
    let (ann, bea) = (Device::new(), Device::new());
    let (s, _) = founded(&ann);
    let serve = ann.serve();
    common::join(&ann, &bea, "Bea");
    // Both add Cy while apart: after a sync the notebook has two entries called Cy.
    ann.ok(&["member", "add", "--name", "Cy", "--sector", "funder"]);
    bea.ok(&["member", "add", "--name", "Cy", "--sector", "funder"]);
    bea.sync_with(&serve.ticket);
    let ids: Vec<String> = ann
        .ok(&["members"])
        .lines()
        .filter(|l| l.split('\t').nth(1) == Some("Cy"))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{}", ann.ok(&["members"]));
    ann.ok(&["checkin", &s, "--member", &ids[0], "--text", "one two"]);
    ann.ok(&["session", "present", &s, &ids[1]]);
    let err = ann.fail(&["member", "merge", &ids[0], "--into", &ids[0]]);
    assert!(err.contains("themselves"), "{err}");
    let err = ann.fail(&["member", "merge", "Cy", "--into", "Ada"]);
    assert!(err.contains("more than one member is called"), "{err}");
    ann.ok(&["member", "merge", &ids[0], "--into", &ids[1]]);
    bea.sync_with(&serve.ticket);
    for d in [&ann, &bea] {
        let cys = members(d).into_iter().filter(|m| m.0 == "Cy").count();
        assert_eq!(cys, 1, "{}", d.ok(&["members"]));
        let voices = d.ok(&["voices"]);
        let cy: Vec<&str> = voices
            .lines()
            .filter(|l| l.starts_with("member\tCy\t"))
            .collect();
        assert_eq!(cy.len(), 1, "{voices}");
        let f: Vec<&str> = cy[0].split('\t').collect();
        // present, turns, passes, turn words: her turn and her attendance, one person.
        assert_eq!(f[3..7], ["1", "1", "0", "2"], "{voices}");
    }
    assert!(ann.ok(&["history"]).contains("merge members"));
}

#[test]
fn off_the_record_keeps_its_place_in_a_fresh_process_and_never_leaves() {
    let ann = Device::new();
    let (s, _) = founded(&ann);
    ann.ok(&["member", "add", "--name", "Ben", "--sector", "charity"]);
    let out = ann.run(&["checkin", &s, "--member", "Ben", "--off-the-record"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("only that the turn was taken off the record"));
    // Each command is a fresh process: the place is kept.
    let shown = ann.ok(&["show", &s]);
    assert!(shown.contains("**Ben** spoke off the record"), "{shown}");
    assert!(
        !shown.contains("**Ben** has not taken a turn yet"),
        "{shown}"
    );
    // Not even with the group's own entries: the session's page never names his turn.
    let folder = ann.path().join("all");
    let folder = folder.to_str().unwrap();
    ann.ok(&[
        "export",
        "--format",
        "markdown",
        "--out",
        folder,
        "--include-group",
    ]);
    let sessions = std::path::Path::new(folder).join("sessions");
    for page in std::fs::read_dir(&sessions).unwrap() {
        let text = std::fs::read_to_string(page.unwrap().path()).unwrap();
        assert!(text.contains("How are you arriving?"), "{text}");
        assert!(!text.contains("Ben"), "{text}");
    }
}
