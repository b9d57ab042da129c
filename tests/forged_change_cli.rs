//! A forged membership change, through the real `stones` binary over iroh on 127.0.0.1:
//! Bea, a member, writes an index change under Ann's device id (a new member "Mallory",
//! as if Ann had added her) — a valid automerge change, which Bea's key cannot sign as
//! Ann's. Every device she syncs with refuses it, says why, and takes the rest of what she
//! wrote.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join, write_as};
use stones_doc::{DeviceId, DocKind, IndexDoc};
use stones_store::Store;

/// Writes, into `forger`'s store, an index change under `author`'s device id adding `name`.
fn forge_member(forger: &Device, author: DeviceId, name: &str) {
    write_as(forger, DocKind::Index, author.actor(9), |am| {
        let mut doc = IndexDoc::from_doc(std::mem::take(am));
        doc.add_member(name, "funder", "", None, 1_800_000_000_000)
            .unwrap();
        *am = std::mem::take(doc.doc_mut());
    });
}

fn lists(d: &Device, name: &str) -> bool {
    d.ok(&["members"]).lines().any(|l| l.contains(name))
}

/// The count `stones status` gives for index changes refused at the door.
fn refused_count(d: &Device) -> u64 {
    d.ok(&["status"])
        .lines()
        .find_map(|l| l.strip_prefix("refused_unsigned_changes\t"))
        .and_then(|rest| rest.split('\t').nth(1))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_forged_membership_change_is_refused_by_every_device_with_a_reason() {
    let (ann, bea, cal) = (Device::new(), Device::new(), Device::new());
    let (s, _) = founded(&ann);
    {
        let _serve = ann.serve();
        join(&ann, &bea, "Bea");
        join(&ann, &cal, "Cal");
    }
    let ann_device = Store::open(ann.path()).unwrap().device();
    forge_member(&bea, ann_device, "Mallory");
    assert!(lists(&bea, "Mallory"), "Bea's own copy holds the forgery");
    // Bea also writes honestly: a check-in turn (a session document).
    bea.ok(&["checkin", &s, "--text", "Bea arrives honestly"]);

    for host in [&ann, &cal] {
        let serve = host.serve();
        // Bea's sync never settles (her peers will not take the forgery): it times out.
        let out = bea.run(&["sync", "--peer", &serve.ticket, "--timeout", "10"]);
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            said.contains("refused") && said.contains("signature"),
            "Bea is told why: {said}"
        );
        drop(serve);
        assert!(!lists(host, "Mallory"), "the forged member is not listed");
        assert!(refused_count(host) >= 1, "status counts the refusal");
        let shown = host.ok(&["show", &s]);
        assert!(
            shown.contains("Bea arrives honestly"),
            "the rest synced: {shown}"
        );
    }
    // Cal and Ann meet: nothing forged passes between honest devices either.
    {
        let serve = ann.serve();
        cal.sync_with(&serve.ticket);
    }
    assert!(!lists(&ann, "Mallory") && !lists(&cal, "Mallory"));
}
