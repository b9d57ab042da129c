//! No one's words under another's hand, through the real `stones` binary over iroh on
//! 127.0.0.1: Bea, a member, cannot record or change Ada's check-in turn, nor let Ada's
//! reflection leave the group; the convener (a host, where none is recorded) records the
//! turn of a member without a device, and nobody else does.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join};

#[test]
fn only_ada_records_adas_turn_and_decides_whether_her_words_leave_the_group() {
    let (ada, bea) = (Device::new(), Device::new());
    let (s, r) = founded(&ada);
    ada.ok(&["member", "add", "--name", "Cy", "--sector", "council"]);
    ada.ok(&["checkin", &s, "--text", "Tired, and glad to be here"]);
    let serve = ada.serve();
    join(&ada, &bea, "Bea");
    bea.sync_with(&serve.ticket);
    drop(serve);

    // Bea's stock CLI cannot put words in Ada's mouth, nor flip her consent.
    let before = bea.ok(&["show", &s]);
    let err = bea.fail(&["checkin", &s, "--member", "Ada", "--text", "Bea's words"]);
    assert!(err.contains("Ada records their own turn"), "{err}");
    let err = bea.fail(&["checkin", &s, "--member", "Ada", "--pass"]);
    assert!(err.contains("Ada records their own turn"), "{err}");
    let err = bea.fail(&["reflection", "edit", &s, &r, "--scope", "export"]);
    assert!(
        err.contains("decides whether it may leave the group"),
        "{err}"
    );
    // Cy has no device, and Bea neither convenes nor hosts: not hers to record either.
    let err = bea.fail(&["checkin", &s, "--member", "Cy", "--pass"]);
    assert!(err.contains("convener records their turn"), "{err}");
    assert_eq!(bea.ok(&["show", &s]), before, "nothing changed");

    // Ada (the host; no convener is recorded) records Cy's; Bea records her own.
    ada.ok(&["checkin", &s, "--member", "Cy", "--pass"]);
    bea.ok(&["checkin", &s, "--text", "Here, after a long drive"]);
    let shown = bea.ok(&["show", &s]);
    assert!(shown.contains("Tired, and glad to be here"), "{shown}");
    assert!(shown.contains("Here, after a long drive"), "{shown}");
}
