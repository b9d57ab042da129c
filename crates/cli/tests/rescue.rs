//! `stones check` and `stones rescue` through the real binary: a sound store checks sound;
//! a session's chunk damaged in place makes `check` fail naming that session while the rest
//! of the notebook still reads, and `rescue` copies everything readable into a new home that
//! the other commands then use; a store cut in half no longer opens (the error names the
//! file) and rescue still copies what is left.
#![allow(clippy::unwrap_used)]

mod common;

use common::Home;
use std::path::Path;

/// A notebook with six sessions, each with a reflection whose words name its week.
fn six_weeks(h: &Home) -> Vec<String> {
    h.ok(&[
        "init", "--title", "Stewards", "--name", "Ana", "--sector", "NHS",
    ]);
    (1..=6)
        .map(|week| {
            let s = h.ok(&[
                "session",
                "new",
                "--date",
                &format!("2026-10-{:02}", week * 3),
                "--kind",
                "weekly",
                "--title",
                &format!("Week {week}"),
            ]);
            let text = format!(
                "week {week}: {}",
                "the waiting list held us again. ".repeat(40)
            );
            h.ok(&["reflection", "add", &s, "--title", "Heard", "--text", &text]);
            s
        })
        .collect()
}

/// The largest stored chunk of the session titled `title`, as its bytes are in the file.
fn largest_chunk_of(home: &Path, title: &str) -> Vec<u8> {
    let store = std::sync::Arc::new(stones_store::Store::open(home).unwrap());
    let nb_id = store.db().docs().unwrap()[0].1;
    let nb = stones_store::Notebook::open(&store, nb_id).unwrap();
    let doc = nb
        .view()
        .sessions
        .iter()
        .find(|s| s.title == title)
        .unwrap()
        .doc;
    store
        .db()
        .read_chunks(doc, 0)
        .unwrap()
        .into_iter()
        .map(|c| c.bytes)
        .max_by_key(Vec::len)
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn check_names_a_damaged_session_and_rescue_copies_the_rest_into_a_new_home() {
    let h = Home::new();
    six_weeks(&h);
    let sound = h.ok(&["check"]);
    assert!(sound.contains("sound"), "{sound}");
    assert!(
        sound.contains("7 documents found, 7 readable, 0 damaged"),
        "{sound}"
    );

    // Damage the middle of week 3's largest stored chunk, in every copy the file holds (redb
    // writes copy-on-write, so an older page may hold it too).
    let file = h.path().join("stones.redb");
    let chunk = largest_chunk_of(h.path(), "Week 3");
    let mut bytes = std::fs::read(&file).unwrap();
    let copies: Vec<usize> = (0..=bytes.len() - chunk.len())
        .filter(|at| bytes[*at..*at + chunk.len()] == chunk[..])
        .collect();
    assert!(!copies.is_empty(), "the chunk is in the file");
    for at in copies {
        for b in &mut bytes[at + chunk.len() / 2..at + chunk.len() / 2 + 8] {
            *b ^= 0x5a;
        }
    }
    std::fs::write(&file, &bytes).unwrap();

    let out = h.run(&["check"]);
    assert!(
        !out.status.success(),
        "check must fail on a damaged store: {}",
        stdout(&out)
    );
    let said = stdout(&out);
    assert!(
        said.contains("damaged: the session of 2026-10-09"),
        "{said}"
    );
    assert!(said.contains("Week 3"), "{said}");
    assert!(stderr(&out).contains("stones rescue"), "{}", stderr(&out));

    let new_home = h.path().join("rescued");
    let to = new_home.to_str().unwrap();
    let rescued = h.ok(&["rescue", "--to", to]);
    assert!(
        rescued.contains("rescued notebook \"Stewards\""),
        "{rescued}"
    );
    let new = |args: &[&str]| {
        let mut all = vec!["--home", to];
        all.extend_from_slice(args);
        h.ok(&all)
    };
    let sessions = new(&["sessions"]);
    for week in 1..=6 {
        assert!(sessions.contains(&format!("Week {week}")), "{sessions}");
    }
    let week5 = new(&["show", "2026-10-15"]);
    assert!(week5.contains("week 5: the waiting list"), "{week5}");
    assert!(new(&["check"]).contains("sound"));
    // The old home was not written to: still the same bytes.
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}

#[test]
fn a_store_cut_in_half_fails_naming_its_file_and_rescue_still_runs() {
    let h = Home::new();
    six_weeks(&h);
    let file = h.path().join("stones.redb");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let err = h.fail(&["sessions"]);
    assert!(err.contains("stones.redb"), "{err}");
    let out = h.run(&["check"]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("does not open"), "{}", stdout(&out));
    let to = h.path().join("rescued");
    let rescued = h.ok(&["rescue", "--to", to.to_str().unwrap()]);
    assert!(rescued.contains("the new home is"), "{rescued}");
    assert!(Path::new(&to).join("stones.redb").is_file());
}

#[test]
fn a_store_left_by_a_killed_process_checks_sound_and_is_not_touched() {
    let h = Home::new();
    let sessions = six_weeks(&h);
    // A process holding the store is killed: redb marks the file for repair on next open.
    let mut serve = h
        .cmd(&["serve"])
        .env("STONES_NET", "loopback")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(serve.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert!(line.starts_with("listening"), "{line}");
    serve.kill().unwrap();
    serve.wait().unwrap();
    let file = h.path().join("stones.redb");
    let before = std::fs::read(&file).unwrap();
    let out = h.ok(&["check"]);
    assert!(out.contains("was not closed cleanly"), "{out}");
    assert!(
        out.contains("7 documents found, 7 readable, 0 damaged"),
        "{out}"
    );
    assert!(
        out.contains("sound: every document and chunk reads"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "check wrote to the file"
    );
    // The next command repairs it as it opens, and every session reads.
    assert!(h.ok(&["show", &sessions[5]]).contains("week 6:"));
    assert!(h.ok(&["check"]).contains(": opens"));
}
