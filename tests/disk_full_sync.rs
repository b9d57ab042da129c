//! A disk that fills up during a sync, through the real binary: Bea's home is on a small
//! tmpfs (the test mounts it; needs root, and under `CI=true` fails without it). While her
//! disk is full, a sync that must write what Ada wrote fails saying the disk is full and
//! never claims to be caught up; her store still checks sound; once space is freed the next
//! sync completes and she holds every reflection Ada wrote.
#![allow(clippy::unwrap_used)]

mod common;
#[path = "../crates/store/tests/common/small_disk.rs"]
mod small_disk;

use common::{Device, founded, join};
use small_disk::{fill, small_disk_or_skip};

/// Reflections of 60 KB each that Ada writes while Bea's disk is full (Bea's store file is
/// about 140 KB then: they cannot fit in the room redb keeps inside it).
const REFLECTIONS: usize = 8;

#[test]
fn a_sync_onto_a_full_disk_fails_clearly_and_the_next_one_completes() {
    let Some(disk) = small_disk_or_skip() else {
        return;
    };
    let a = Device::new();
    let b = Device {
        dir: tempfile::tempdir_in(disk.path()).unwrap(),
    };
    let (s, _) = founded(&a);
    let serve = a.serve();
    join(&a, &b, "Bea");
    b.sync_with(&serve.ticket);

    // Ada writes far more than Bea's disk will have room for (letters that do not compress).
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut letters = |n: usize| -> String {
        (0..n)
            .map(|k| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if k % 7 == 6 {
                    ' '
                } else {
                    char::from(b'a' + (state % 26) as u8)
                }
            })
            .collect()
    };
    for i in 0..REFLECTIONS {
        let text = format!("reflection {i}: {}", letters(60_000));
        let title = format!("Long {i}");
        a.ok(&["reflection", "add", &s, "--title", &title, "--text", &text]);
    }
    let filler = fill(disk.path());
    // A long limit: the sync must stop because of the disk, not because time ran out.
    let out = b.run(&["sync", "--peer", &serve.ticket, "--timeout", "300"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "a sync onto a full disk must fail: {said}"
    );
    assert!(said.contains("No space left on device"), "{said}");
    assert!(
        said.contains("could not be written on this device"),
        "{said}"
    );
    assert!(!said.contains("caught-up"), "caught up was claimed: {said}");

    std::fs::remove_file(&filler).unwrap();
    assert!(b.ok(&["check"]).contains("sound"));
    b.sync_with(&serve.ticket);
    let shown = b.ok(&["show", &s]);
    for i in 0..REFLECTIONS {
        assert!(
            shown.contains(&format!("reflection {i}: ")),
            "reflection {i} is missing"
        );
    }
    assert!(b.ok(&["check"]).contains("sound"));
}
