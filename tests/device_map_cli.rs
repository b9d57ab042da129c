//! The device map is not who a device is, through the real `stones` binary over iroh on
//! 127.0.0.1: Bea, a member with a modified client, re-points Ada's device to herself in
//! the index's device map (a change she signs with her own key, so it is taken). Before,
//! everything Ada's device wrote from then on was shown as Bea's — in history, in voices,
//! in who "you" are on Ada's own device. Now whose a device is comes from the membership
//! acts, so nothing moves.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, device_id, founded, join, member_id, write_as};
use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{ObjType, ROOT, ReadDoc, Value};
use stones_doc::{DeviceId, DocKind};

/// Bea's modified client: in her own copy, the device map entry of `device` names `to`.
fn repoint_device(forger: &Device, device: DeviceId, to: &str) {
    let actor = device_id(forger).actor(9);
    write_as(forger, DocKind::Index, actor, |am| {
        let Some((_, devices)) = am.get(ROOT, "devices").unwrap() else {
            panic!("no device map")
        };
        let entry = match am.get(&devices, device.to_hex()).unwrap() {
            Some((Value::Object(ObjType::Map), id)) => id,
            other => panic!("no entry for the device: {other:?}"),
        };
        am.put(&entry, "member", to).unwrap();
    });
}

#[test]
fn re_pointing_a_device_in_the_map_moves_nobodys_words() {
    let (ada, bea) = (Device::new(), Device::new());
    let (s, _) = founded(&ada);
    let serve = ada.serve();
    join(&ada, &bea, "Bea");
    let ada_device = device_id(&ada);
    drop(serve);
    repoint_device(&bea, ada_device, &member_id(&bea, "Bea"));
    {
        let serve = bea.serve();
        ada.sync_with(&serve.ticket);
    }
    // Ada writes after the forged change reached her.
    ada.ok(&[
        "reflection",
        "add",
        &s,
        "--title",
        "Later",
        "--text",
        "Ada's later words",
    ]);
    let you = ada
        .ok(&["members"])
        .lines()
        .find(|l| l.contains("\tyou"))
        .map(|l| l.split('\t').nth(1).unwrap().to_string());
    assert_eq!(
        you.as_deref(),
        Some("Ada"),
        "Ada's own device still knows her"
    );
    let history = ada.ok(&["history", &s]);
    let last = history.lines().last().unwrap();
    assert!(last.contains("Ada") && !last.contains("Bea"), "{history}");
}
