//! Nothing acknowledged is ever lost: real `stones` processes killed with SIGKILL at random
//! moments, killed while holding journaled but uncommitted typing, and several processes
//! writing to one home at the same time.

mod common;
use common::Home;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A small deterministic generator, so a failing round can be replayed from its seed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn questions(h: &Home) -> Vec<String> {
    h.ok(&["question", "list"])
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap_or("").to_string())
        .collect()
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_edit() {
    let h = Home::new();
    let s = h.with_session();
    let r = h.ok(&["reflection", "add", &s, "--title", "Crash diary"]);
    let mut rng = Lcg(0x5eed_2026);
    let mut acknowledged_questions = Vec::new();
    let mut acknowledged_lines = Vec::new();
    let rounds = 24;
    let mut killed_mid_flight = 0;
    for round in 0..rounds {
        let delay = Duration::from_millis(rng.next(120));
        let (mut child, what) = if round % 2 == 0 {
            let text = format!("question {round}");
            (
                h.cmd(&["question", "add", "--text", &text])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
                text,
            )
        } else {
            let text = format!("line {round}");
            (
                h.cmd(&["reflection", "append", &s, &r, "--text", &text])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
                text,
            )
        };
        std::thread::sleep(delay);
        match child.try_wait().unwrap() {
            Some(status) => {
                if status.success() {
                    if round % 2 == 0 {
                        acknowledged_questions.push(what);
                    } else {
                        acknowledged_lines.push(what);
                    }
                }
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                killed_mid_flight += 1;
            }
        }
    }
    let finished = acknowledged_questions.len() + acknowledged_lines.len();
    eprintln!("{killed_mid_flight} killed mid-flight, {finished} finished");
    assert!(
        killed_mid_flight >= 3,
        "only {killed_mid_flight} of {rounds} rounds were killed mid-flight"
    );
    assert!(
        finished >= 3,
        "only {finished} of {rounds} rounds finished before the kill"
    );
    // The store opens, and every acknowledged edit is there exactly once.
    let qs = questions(&h);
    for q in &acknowledged_questions {
        assert_eq!(
            qs.iter().filter(|x| *x == q).count(),
            1,
            "{q} missing or duplicated in {qs:?}"
        );
    }
    let shown = h.ok(&["show", &s]);
    for l in &acknowledged_lines {
        assert_eq!(
            shown.lines().filter(|x| x == l).count(),
            1,
            "{l} missing or duplicated in\n{shown}"
        );
    }
    // And the store still takes edits.
    h.ok(&["question", "add", "--text", "after the storm"]);
    assert!(questions(&h).contains(&"after the storm".to_string()));
}

#[test]
fn killed_typist_journal_is_replayed_on_next_start() {
    let h = Home::new();
    let s = h.with_session();
    let r = h.ok(&["reflection", "add", &s, "--title", "Typed live"]);
    let mut child = h
        .cmd(&["reflection", "write", &s, &r])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut acks = BufReader::new(child.stdout.take().unwrap()).lines();
    let lines = [
        "café ☕ naïve",
        "second thought",
        "third: relationships are the work",
    ];
    let started = Instant::now();
    for l in lines {
        writeln!(stdin, "{l}").unwrap();
        stdin.flush().unwrap();
        let ack = acks.next().unwrap().unwrap();
        assert!(ack.starts_with("typed\t"), "{ack}");
    }
    child.kill().unwrap(); // SIGKILL while the edits are journaled but not committed
    child.wait().unwrap();
    let quick = started.elapsed() < Duration::from_millis(1_900);
    // The first process to open the home replays the dead writer's journal.
    let status = h.ok(&["status"]);
    let recovered: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("recovered_edits\t"))
        .unwrap()
        .parse()
        .unwrap();
    if quick {
        // The commit policy waits for a 2 s pause, so nothing was committed before the kill.
        assert_eq!(recovered, lines.len(), "{status}");
    }
    assert!(status.contains("journal_entries\t0"), "{status}");
    let shown = h.ok(&["show", &s]);
    assert!(
        shown.contains(&lines.join("\n")),
        "typed text missing after restart:\n{shown}"
    );
    // Replaying again adds nothing: the journal was truncated with the recovery commit.
    assert_eq!(h.ok(&["show", &s]), shown);
}

#[test]
fn processes_sharing_a_home_keep_each_others_edits() {
    let h = Home::new();
    let s = h.with_session();
    let r = h.ok(&["reflection", "add", &s, "--title", "Shared"]);
    // A long-running writer (like the app) holds the home open and types...
    let mut typist = h
        .cmd(&["reflection", "write", &s, &r])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = typist.stdin.take().unwrap();
    let mut acks = BufReader::new(typist.stdout.take().unwrap()).lines();
    writeln!(stdin, "from the app").unwrap();
    acks.next().unwrap().unwrap();
    // ...while other processes edit the same reflection and add questions, in parallel.
    let mut children = Vec::new();
    for i in 0..6 {
        let args: Vec<String> = if i % 2 == 0 {
            vec![
                "question".into(),
                "add".into(),
                "--text".into(),
                format!("parallel {i}"),
            ]
        } else {
            vec![
                "reflection".into(),
                "append".into(),
                s.clone(),
                r.clone(),
                "--text".into(),
                format!("from the terminal {i}"),
            ]
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        children.push(h.cmd(&args).stdout(Stdio::null()).spawn().unwrap());
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    writeln!(stdin, "still typing").unwrap();
    acks.next().unwrap().unwrap();
    drop(stdin); // end of input: the typist commits and exits
    assert!(typist.wait().unwrap().success());
    let shown = h.ok(&["show", &s]);
    for want in [
        "from the app",
        "still typing",
        "from the terminal 1",
        "from the terminal 3",
        "from the terminal 5",
    ] {
        assert_eq!(
            shown.matches(want).count(),
            1,
            "{want} missing or duplicated:\n{shown}"
        );
    }
    let qs = questions(&h);
    for i in [0, 2, 4] {
        assert!(qs.contains(&format!("parallel {i}")), "{qs:?}");
    }
}
