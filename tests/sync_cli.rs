//! Devices syncing through the real `stones` binary over iroh on 127.0.0.1: three devices
//! editing offline then meeting pairwise; a serve killed mid-sync; live edits by a separate
//! process; a writer beside `serve` typing live; a removed member refused.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, eventually, founded, join};

#[test]
fn three_devices_edit_offline_then_sync_pairwise_and_keep_everything() {
    let (a, b, c) = (Device::new(), Device::new(), Device::new());
    let (s, r) = founded(&a);
    // The invite is made while no node runs (it uses the device's kept port), for two.
    let ticket = a.ok(&["invite", "--uses", "2", "--expires", "1h"]);
    {
        let _serve = a.serve();
        b.ok(&["join", &ticket, "--name", "Bea"]);
        c.ok(&["join", &ticket, "--name", "Cy"]);
        let d = Device::new();
        let err = d.fail(&["join", &ticket, "--name", "Dee"]);
        assert!(err.contains("used up"), "{err}");
    } // everyone offline now
    // Each edits the same reflection and records their own check-in, concurrently.
    for (d, who) in [(&a, "ada"), (&b, "bea"), (&c, "cy")] {
        d.ok(&[
            "reflection",
            "append",
            &s,
            &r,
            "--text",
            &format!(" [{who} wrote this]"),
        ]);
        d.ok(&[
            "checkin",
            &s,
            "--text",
            &format!("{who} is here"),
            "--scope",
            "export",
        ]);
    }
    // They meet pairwise, in an arbitrary order: b-c, a-c, a-b, then b-c again.
    for (host, guest) in [(&c, &b), (&c, &a), (&b, &a), (&c, &b)] {
        let serve = host.serve();
        guest.sync_with(&serve.ticket);
    }
    let views: Vec<String> = [&a, &b, &c].iter().map(|d| d.ok(&["show", &s])).collect();
    assert_eq!(views[0], views[1], "a and b differ");
    assert_eq!(views[1], views[2], "b and c differ");
    for who in ["ada", "bea", "cy"] {
        assert_eq!(
            views[0].matches(&format!("[{who} wrote this]")).count(),
            1,
            "{}",
            views[0]
        );
        assert_eq!(
            views[0].matches(&format!("{who} is here")).count(),
            1,
            "{}",
            views[0]
        );
    }
    assert!(views[0].contains("We began."));
}

#[test]
fn a_serve_killed_mid_sync_loses_nothing_and_a_small_edit_resyncs_one_document() {
    let (a, b) = (Device::new(), Device::new());
    let (s, r) = founded(&a);
    {
        let _serve = a.serve();
        join(&a, &b, "Bea");
    }
    // A writes a lot while B is away.
    for i in 0..40 {
        let day = format!("2027-01-{:02}", i % 28 + 1);
        let id = a.ok(&[
            "session",
            "new",
            "--date",
            &day,
            "--kind",
            "weekly",
            "--title",
            &format!("s{i}"),
        ]);
        a.ok(&[
            "reflection",
            "add",
            &id,
            "--title",
            "notes",
            "--text",
            &format!("token-{i} {}", "words ".repeat(40)),
        ]);
    }
    // B syncs while A's serve is killed at different moments, then restarted.
    for delay_ms in [5u64, 40, 120] {
        let serve = a.serve();
        let mut sync = b
            .cmd(&["sync", "--peer", &serve.ticket, "--timeout", "3"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        serve.kill();
        let _ = sync.wait();
    }
    let serve = a.serve();
    let (full_bytes, _, _) = b.sync_with(&serve.ticket);
    let sessions = b.ok(&["sessions"]);
    assert_eq!(sessions.lines().count(), 41, "{sessions}");
    for i in 0..40 {
        assert_eq!(sessions.matches(&format!("\ts{i}\t")).count(), 1);
    }
    assert_eq!(a.ok(&["show"]), b.ok(&["show"]));
    // One small edit on A: the reconnect syncs only that document.
    a.ok(&["reflection", "append", &s, &r, "--text", " tiny"]);
    let (bytes, docs, loaded) = b.sync_with(&serve.ticket);
    eprintln!(
        "catch-up after kills: {full_bytes} bytes received; small edit: {bytes} bytes, {docs} document(s)"
    );
    assert_eq!(docs, 1, "only the edited session's document was synced");
    // And b loaded only what it needed (the index, to know its members, and that session),
    // not the other 40 documents: their heads came from the store's heads cache.
    assert!(
        loaded <= 3,
        "b loaded {loaded} documents for a one-document sync"
    );
    assert!(
        bytes < 4_000,
        "received {bytes} bytes for a five-character edit"
    );
    assert!(
        bytes < full_bytes.max(1) * 2,
        "a small edit costs less than the catch-up"
    );
    assert!(b.ok(&["show", &s]).contains("tiny"));
}

#[test]
fn live_edits_by_a_separate_process_reach_a_connected_peer_without_a_command() {
    let (a, b) = (Device::new(), Device::new());
    let (s, r) = founded(&a);
    let _serve_a = a.serve();
    join(&a, &b, "Bea");
    let _serve_b = b.serve(); // dials a (remembered from the join) and stays connected
    a.ok(&["reflection", "append", &s, &r, "--text", " [live from a]"]);
    eventually("a's edit on b", 15, || {
        b.ok(&["show", &s]).contains("[live from a]")
    });
    b.ok(&["reflection", "append", &s, &r, "--text", " [live from b]"]);
    eventually("b's edit on a", 15, || {
        a.ok(&["show", &s]).contains("[live from b]")
    });
    // `sync` beside a running node waits on it rather than starting a second endpoint.
    assert!(b.ok(&["sync", "--timeout", "20"]).contains("caught-up"));
    let err = b.fail(&["serve"]);
    assert!(err.contains("already running"), "{err}");
    // The serving nodes logged what happened (at debug level), and no notebook content.
    for d in [&a, &b] {
        let log = std::fs::read_to_string(d.serve_log()).unwrap();
        assert!(log.contains("connected"), "{log}");
        for secret in [
            "live from",
            "We began",
            "What we noticed",
            "How are you arriving",
            "Stewards",
        ] {
            assert!(
                !log.contains(secret),
                "serve logged notebook content {secret:?}"
            );
        }
    }
    let status = a.ok(&["status"]);
    let b_device = b.ok(&["id"]);
    assert!(
        status.contains(&format!("peer\t{b_device}\t")),
        "a's node reports b: {status}"
    );
    assert!(
        status.contains("room\tcaught-up") || status.contains("room\tsyncing"),
        "{status}"
    );
}

#[test]
fn a_peer_killed_while_connected_is_taken_back_at_once_when_it_dials_again() {
    // The case that failed: the serving device's id is the smaller, so a race between two
    // dials keeps the one it dialled; the peer's second dial (same direction) was refused
    // as a "duplicate" of its dead first connection until that one timed out.
    let a = Device::new();
    let (s, r) = founded(&a);
    let a_id = a.ok(&["id"]);
    let device_of = |d: &Device| {
        let store = stones_store::Store::open_or_create(d.path()).unwrap();
        store.device().to_hex()
    };
    let b = std::iter::repeat_with(Device::new)
        .find(|b| device_of(b) > a_id)
        .unwrap();
    let b_id = device_of(&b);
    let serve_a = a.serve();
    join(&a, &b, "Bea");
    let serve_b = b.serve(); // dials a (remembered from the join) and stays connected
    eventually("b's node connected to a's", 30, || {
        std::fs::read_to_string(a.serve_log())
            .unwrap()
            .matches(&format!("caught up with {b_id}"))
            .count()
            >= 2 // once for the join's fetch, once for b's node
    });
    serve_b.kill(); // SIGKILL: a's connection to it is now dead, and a does not know yet
    a.ok(&[
        "reflection",
        "append",
        &s,
        &r,
        "--text",
        " [after the crash]",
    ]);
    // Far less than the dead connection's idle timeout (30 s) plus the redial backoff.
    let out = b.ok(&["sync", "--peer", &serve_a.ticket, "--timeout", "15"]);
    assert!(out.contains("caught-up"), "{out}");
    assert!(b.ok(&["show", &s]).contains("[after the crash]"));
}

#[test]
fn a_removed_member_is_refused_and_keeps_only_what_they_had() {
    let (a, b) = (Device::new(), Device::new());
    let (s, r) = founded(&a);
    let serve = a.serve();
    join(&a, &b, "Bea");
    a.ok(&["member", "remove", "Bea"]);
    a.ok(&["reflection", "append", &s, &r, "--text", " [after removal]"]);
    let err = b.fail(&["sync", "--peer", &serve.ticket, "--timeout", "10"]);
    assert!(err.contains("removed") || err.contains("refused"), "{err}");
    // b still has what it had, and nothing written after the removal.
    let shown = b.ok(&["show"]);
    assert!(shown.contains("Stewards"));
    let session = b.run(&["show", &s]);
    let text = String::from_utf8_lossy(&session.stdout);
    assert!(!text.contains("[after removal]"));
}

#[test]
fn a_writer_beside_serve_commits_live_while_a_peer_is_connected() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let (a, b) = (Device::new(), Device::new());
    let (s, r) = founded(&a);
    let _serve_a = a.serve();
    join(&a, &b, "Bea");
    let _serve_b = b.serve();
    eventually("a's node connected to b", 30, || {
        a.ok(&["status"]).contains("\tcaught-up")
    });
    // Twenty lines at human pace, never pausing 2 s: the coarse policy would commit them
    // once, at the end. Live, each goes out on its own as it is typed.
    let mut writer = a
        .cmd(&["reflection", "write", &s, &r])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = writer.stdin.take().unwrap();
    let mut acks = BufReader::new(writer.stdout.take().unwrap()).lines();
    let lines = 20;
    for i in 0..lines {
        writeln!(stdin, "line {i} typed live").unwrap();
        stdin.flush().unwrap();
        acks.next().unwrap().unwrap(); // durable in a's journal
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    drop(stdin);
    assert!(writer.wait().unwrap().success());
    eventually("the last line on b", 30, || {
        b.ok(&["show", &s])
            .contains(&format!("line {} typed live", lines - 1))
    });
    let typing_commits = b
        .ok(&["history", &s])
        .lines()
        .filter(|l| l.ends_with("\tAda\ttyping"))
        .count();
    assert!(
        typing_commits >= 5,
        "the writer committed live ({typing_commits} typing changes reached b)"
    );
}
