//! Devices for end-to-end tests: each is a temporary home driven through the real `stones`
//! binary, on loopback only.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `stones` binary cargo built beside this test.
pub fn bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir.join(format!("stones{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p stones-cli` (cargo test --workspace does)",
        path.display()
    );
    path
}

/// `stones` on the home at `home`, on loopback.
pub fn cmd_at(home: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(args)
        .env("STONES_HOME", home)
        .env("STONES_NET", "loopback")
        .env_remove("STONES_NOTEBOOK")
        .env_remove("STONES_RELAY")
        .stdin(Stdio::null());
    c
}

/// A command on the home at `home` that must succeed; its trimmed stdout.
pub fn ok_at(home: &Path, args: &[&str]) -> String {
    let out = cmd_at(home, args).output().unwrap();
    assert!(
        out.status.success(),
        "stones {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

/// One device: a home of its own.
pub struct Device {
    pub dir: tempfile::TempDir,
}

impl Device {
    pub fn new() -> Device {
        Device {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        cmd_at(self.path(), args)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// A command that must succeed; its trimmed stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        ok_at(self.path(), args)
    }

    /// A command given `input` on standard input (a ticket, say: never on argv); its
    /// output, success or not.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    /// A command that must fail; its stderr.
    pub fn fail(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "stones {args:?} should have failed");
        String::from_utf8(out.stderr).unwrap()
    }

    /// Starts `stones serve`; waits for its `listening` line.
    pub fn serve(&self) -> Serve {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.serve_log())
            .unwrap();
        let mut child = self
            .cmd(&["serve"])
            .env("STONES_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ticket = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("serve printed {line:?}"))
            .to_string();
        assert!(ticket.starts_with("endpoint"), "{ticket}");
        Serve { child, ticket }
    }

    /// Where `serve` writes its log (beside the store, in the home).
    pub fn serve_log(&self) -> PathBuf {
        self.path().join("serve.log")
    }

    /// `stones sync --peer`; the traffic line's (received bytes, documents synced, loaded).
    pub fn sync_with(&self, ticket: &str) -> (u64, u64, u64) {
        let out = self.ok(&["sync", "--peer", ticket, "--timeout", "30"]);
        traffic(&out)
    }
}

/// Reads `traffic  sent N  received N  documents N  loaded N` from `stones sync` output.
pub fn traffic(out: &str) -> (u64, u64, u64) {
    let line = out
        .lines()
        .find(|l| l.starts_with("traffic\t"))
        .unwrap_or_else(|| panic!("no traffic line in {out:?}"));
    let f: Vec<&str> = line.split('\t').collect();
    (
        f[4].parse().unwrap(),
        f[6].parse().unwrap(),
        f[8].parse().unwrap(),
    )
}

/// A running `stones serve`, killed when dropped.
pub struct Serve {
    pub child: Child,
    pub ticket: String,
}

impl Serve {
    /// SIGKILL, as a crash or a pulled plug would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls until `ok` holds (or fails the test after `secs`).
pub fn eventually(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Founds a notebook on `a` with one session and a reflection; returns (session, reflection).
pub fn founded(a: &Device) -> (String, String) {
    a.ok(&[
        "init", "--title", "Stewards", "--name", "Ada", "--sector", "NHS",
    ]);
    let s = a.ok(&[
        "session",
        "new",
        "--date",
        "2026-11-26",
        "--kind",
        "weekly",
        "--title",
        "first",
        "--question",
        "How are you arriving?",
    ]);
    let r = a.ok(&[
        "reflection",
        "add",
        &s,
        "--title",
        "What we noticed",
        "--text",
        "We began.",
    ]);
    (s, r)
}

/// `b` joins `a`'s notebook through `a`'s running serve (the ticket on standard input).
pub fn join(a: &Device, b: &Device, name: &str) -> String {
    let ticket = a.ok(&["invite", "--uses", "1"]);
    let out = b.run_with_input(&["join", "--name", name, "--sector", "charity"], &ticket);
    assert!(
        out.status.success(),
        "join failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A modified client's write: applies `f` to the first document of `kind` in `dev`'s store
/// under `actor`, and stores what it changed (signed by `dev`'s key when it syncs, where
/// signing applies).
pub fn write_as(
    dev: &Device,
    kind: stones_doc::DocKind,
    actor: stones_doc::automerge::ActorId,
    f: impl FnOnce(&mut stones_doc::automerge::AutoCommit),
) {
    let store = stones_store::Store::open(dev.path()).unwrap();
    let (doc, nb, _) = store
        .db()
        .docs()
        .unwrap()
        .into_iter()
        .find(|(_, _, k)| *k == kind)
        .unwrap();
    let (mut am, _, _) = stones_store::loaded::load_am(&store, doc).unwrap();
    let before = am.get_heads();
    am.set_actor(actor);
    f(&mut am);
    am.commit();
    let bytes = am.save_after(&before);
    store.append_changes(doc, nb, kind, &bytes).unwrap();
}

/// The id `stones members` on `d` prints for the member called `name`.
pub fn member_id(d: &Device, name: &str) -> String {
    d.ok(&["members"])
        .lines()
        .find(|l| l.split('\t').nth(1) == Some(name))
        .unwrap_or_else(|| panic!("no member called {name}"))
        .split('\t')
        .next()
        .unwrap()
        .to_string()
}

/// The device id of `d`'s home.
pub fn device_id(d: &Device) -> stones_doc::DeviceId {
    stones_store::Store::open(d.path()).unwrap().device()
}
