//! Hosts and invites that hold, through the real `stones` binary over iroh on 127.0.0.1:
//! only a host removes; a removed member cannot walk back in with the group's many-use
//! ticket under a new name (the removal closed it, and the remover is told); `invite list`
//! says what became of each invite and `invite cancel` closes one; the last host stays.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded};
use std::process::Output;

fn join_with(ticket: &str, d: &Device, name: &str) -> Output {
    d.run_with_input(
        &[
            "join",
            "--name",
            name,
            "--sector",
            "council",
            "--timeout",
            "30",
        ],
        ticket,
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `members` line of `name` on `d`, split at tabs.
fn member_line(d: &Device, name: &str) -> Vec<String> {
    d.ok(&["members"])
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
        .find(|f| f.get(1).map(String::as_str) == Some(name))
        .unwrap()
}

#[test]
fn a_removed_member_cannot_walk_back_in_and_only_hosts_remove() {
    let (ada, bea, dan, dan_again, eve) = (
        Device::new(),
        Device::new(),
        Device::new(),
        Device::new(),
        Device::new(),
    );
    founded(&ada);
    let _serve = ada.serve();
    let group_ticket = ada.ok(&["invite", "--uses", "5"]);
    for (d, name) in [(&bea, "Bea"), (&dan, "Dan")] {
        let out = join_with(&group_ticket, d, name);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
    }
    assert_eq!(member_line(&ada, "Ada").last().unwrap(), "host");
    assert_eq!(member_line(&ada, "Bea").len(), 5, "Bea is no host");

    // Bea is not a host: she cannot remove anyone, not even the founder.
    let refused = bea.fail(&["member", "remove", "Ada"]);
    assert!(
        refused.contains("only a host may remove a member"),
        "{refused}"
    );

    // Ada removes Dan; the group's ticket closes with the removal, and she is told.
    let out = ada.run(&["member", "remove", "Dan"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 open invite(s) closed"),
        "{}",
        stderr(&out)
    );
    let back = join_with(&group_ticket, &dan_again, "Daniel");
    assert!(!back.status.success(), "Dan walked back in");
    assert!(
        stderr(&back).contains("closed when a member was removed"),
        "{}",
        stderr(&back)
    );
    let list = ada.ok(&["invite", "list"]);
    assert!(
        list.contains("2/5 used") && list.contains("closed when a member was removed"),
        "{list}"
    );

    // A new invite admits until it is cancelled.
    let ticket = ada.ok(&["invite"]);
    let open: Vec<String> = ada
        .ok(&["invite", "list"])
        .lines()
        .filter(|l| l.ends_with("\topen"))
        .map(|l| l[..8].to_string())
        .collect();
    assert_eq!(open.len(), 1);
    ada.ok(&["invite", "cancel", &open[0]]);
    let out = join_with(&ticket, &eve, "Eve");
    assert!(!out.status.success(), "joined with a cancelled invite");
    assert!(stderr(&out).contains("cancelled"), "{}", stderr(&out));
    assert!(ada.ok(&["invite", "list"]).contains("\tcancelled"));

    // Ada is the only host: she stays one, and may make Bea one.
    let last = ada.fail(&["member", "host", "Ada", "--off"]);
    assert!(last.contains("only host"), "{last}");
    ada.ok(&["member", "host", "Bea"]);
    assert_eq!(member_line(&ada, "Bea").last().unwrap(), "host");
    ada.ok(&["member", "host", "Ada", "--off"]);
    assert_eq!(member_line(&ada, "Ada").len(), 5);
}
