//! Removal that holds while devices are offline, through the real `stones` binary over iroh
//! on 127.0.0.1: Ann removes Cal while Bea and Cal are away; Cal, who has not heard, admits
//! Eve; Bea meets Cal and Ann in either order. Eve never receives what Ann wrote after the
//! removal, and no device lists her as a member.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join};

/// The status word `stones members` prints for `name` on `d`.
fn standing(d: &Device, name: &str) -> Option<String> {
    d.ok(&["members"]).lines().find_map(|l| {
        let f: Vec<&str> = l.split('\t').collect();
        (f.get(1) == Some(&name)).then(|| f[4].to_string())
    })
}

/// Ann, Bea and Cal are members; Ann removes Cal while the others are away and then writes
/// a group-scope check-in; Cal admits Eve. Returns (ann, bea, cal, eve, session).
fn cal_admits_eve_after_his_removal() -> (Device, Device, Device, Device, String) {
    let (ann, bea, cal, eve) = (Device::new(), Device::new(), Device::new(), Device::new());
    let (s, _) = founded(&ann);
    {
        let _serve = ann.serve();
        join(&ann, &bea, "Bea");
        join(&ann, &cal, "Cal");
    }
    ann.ok(&["member", "remove", "Cal"]);
    ann.ok(&[
        "checkin",
        &s,
        "--text",
        "written after the removal",
        "--scope",
        "group",
    ]);
    {
        let _serve = cal.serve();
        join(&cal, &eve, "Eve");
    }
    assert_eq!(
        standing(&cal, "Eve").as_deref(),
        Some("member"),
        "Cal has not heard"
    );
    (ann, bea, cal, eve, s)
}

/// Eve tries Ann and Bea: refused by both, and she holds nothing written after the removal.
fn eve_gets_nothing_new(ann: &Device, bea: &Device, eve: &Device, s: &str) {
    for host in [ann, bea] {
        let serve = host.serve();
        // Refused at the handshake (the dialler sees the door shut, or no answer at all).
        let err = eve.fail(&["sync", "--peer", &serve.ticket, "--timeout", "10"]);
        assert!(
            [
                "refused",
                "not a member",
                "removed",
                "no member device reachable"
            ]
            .iter()
            .any(|w| err.contains(w)),
            "{err}"
        );
    }
    let shown = eve.run(&["show", s]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(!text.contains("written after the removal"), "{text}");
}

#[test]
fn a_device_admitted_by_a_removed_member_is_not_admitted_when_bea_meets_cal_first() {
    let (ann, bea, cal, eve, s) = cal_admits_eve_after_his_removal();
    // Bea meets Cal first (she has not heard either): Eve's admission reaches her.
    {
        let serve = cal.serve();
        bea.sync_with(&serve.ticket);
    }
    assert_eq!(standing(&bea, "Eve").as_deref(), Some("member"));
    // Then Bea meets Ann: both now hold the removal and Eve's admission, and neither
    // counts her.
    {
        let serve = ann.serve();
        bea.sync_with(&serve.ticket);
    }
    for d in [&ann, &bea] {
        assert_eq!(standing(d, "Eve").as_deref(), Some("not-admitted"));
        assert_eq!(standing(d, "Cal").as_deref(), Some("left"));
        let eve_line = d.ok(&["members"]);
        assert!(eve_line.contains("being removed"), "{eve_line}");
    }
    let status = ann.ok(&["status"]);
    let refused = status
        .lines()
        .find(|l| l.starts_with("refused_membership_changes\t"))
        .unwrap();
    assert!(!refused.ends_with("\t0"), "{status}");
    eve_gets_nothing_new(&ann, &bea, &eve, &s);
}

#[test]
fn with_the_meetings_reversed_cal_and_eve_are_refused_and_eve_is_never_a_member() {
    let (ann, bea, cal, eve, s) = cal_admits_eve_after_his_removal();
    // Bea meets Ann first and hears of the removal; then Cal tries Bea and is refused, so
    // Eve's admission never reaches her.
    {
        let serve = ann.serve();
        bea.sync_with(&serve.ticket);
    }
    {
        let serve = bea.serve();
        // Refused: by the core (with the reason) or at the handshake (the dialler sees the
        // door shut, or no answer at all, depending on which check is first).
        let err = cal.fail(&["sync", "--peer", &serve.ticket, "--timeout", "10"]);
        assert!(
            [
                "removed",
                "refused",
                "not a member",
                "no member device reachable"
            ]
            .iter()
            .any(|w| err.contains(w)),
            "{err}"
        );
    }
    for d in [&ann, &bea] {
        assert_ne!(standing(d, "Eve").as_deref(), Some("member"));
        assert_eq!(standing(d, "Cal").as_deref(), Some("left"));
    }
    eve_gets_nothing_new(&ann, &bea, &eve, &s);
    // Cal, having been told, still cannot admit anyone: a new invite of his is refused.
    let fay = Device::new();
    let ticket = cal.ok(&["invite", "--uses", "1"]);
    let serve = cal.serve();
    fay.ok(&["join", &ticket, "--name", "Fay", "--sector", "council"]);
    drop(serve);
    let serve = ann.serve();
    let err = fay.fail(&["sync", "--peer", &serve.ticket, "--timeout", "10"]);
    assert!(
        err.contains("refused") || err.contains("not a member"),
        "{err}"
    );
}
