//! The real window, driven the way a screen reader drives it: the `stepping-stones` binary
//! on an Xvfb display this test starts, its accessibility tree read over AT-SPI (AccessKit
//! on Linux) by `atspi/drive.py`, which finds the controls by role and name, types a
//! check-in turn, records it, starts a reflection and types into it; then Bea, on her own
//! device connected over QUIC on loopback, writes a line into the same reflection, and the
//! driver presses Ctrl+Z in the window: Ada's typing goes, Bea's line stays. The store then
//! holds the turn and exactly Bea's words. Needs Xvfb, D-Bus, the AT-SPI bus, pyatspi and xdotool (`.ci/run`
//! installs them); without them it fails under `CI=true` and is skipped (said so) elsewhere.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use stones_doc::{EntryId, NewSession, NotebookId, SessionKind, TextField};
use stones_store::{Store, Target};
use stones_sync::Engine;
use stones_sync::net::{NetConfig, NetMode};

const PYTHON: &str = "/usr/bin/python3";

/// What this machine lacks to run the test.
fn missing() -> Vec<&'static str> {
    let mut out = Vec::new();
    for tool in ["Xvfb", "dbus-run-session", "dbus-send", "xdotool"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            out.push(tool);
        }
    }
    if !Path::new("/usr/libexec/at-spi-bus-launcher").exists() {
        out.push("at-spi2-core");
    }
    let pyatspi = Command::new(PYTHON)
        .args(["-c", "import pyatspi"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !pyatspi {
        out.push("python3-pyatspi");
    }
    out
}

/// Processes to stop however the test ends.
struct Stop(Vec<u32>);

impl Drop for Stop {
    fn drop(&mut self) {
        for pid in &self.0 {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

/// A display number nobody uses here.
fn free_display() -> u32 {
    (90..400)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .unwrap()
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_child(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the AT-SPI driver did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_screen_reader_takes_a_turn_and_writes_a_reflection_in_the_real_window() {
    let lacking = missing();
    if !lacking.is_empty() {
        let why = format!("the real-window test needs {}", lacking.join(", "));
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{why} (.ci/run installs them)"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let (home, bea_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let loopback = NetConfig::new(NetMode::Loopback, None);
    let (nb, s) = {
        let e = Engine::start(home.path(), &loopback).unwrap();
        let nb = e.create_notebook("Stewards", "", &common::ada()).unwrap();
        let week = NewSession {
            date: "2026-12-03".parse().unwrap(),
            kind: SessionKind::Weekly,
            title: String::new(),
            convener: None,
        };
        let s = e.new_session(nb, &week, "How are you arriving?").unwrap();
        // Bea joins on her own device before the window opens (the app keeps the port).
        let ticket = e
            .create_invite(nb, e.addr().unwrap(), 1, 3_600_000)
            .unwrap();
        let bea = Engine::start(bea_home.path(), &loopback).unwrap();
        bea.join(&ticket, "Bea", "council").unwrap();
        wait_for("Bea to hold the session", Duration::from_secs(60), || {
            bea.view(nb).is_ok_and(|v| v.session(s).is_some()) && bea.session(nb, s).is_ok()
        });
        bea.shutdown();
        e.shutdown();
        (nb, s)
    };
    NetConfig::resolve(
        &Store::open_or_create(home.path()).unwrap(),
        Some("loopback"),
        None,
    )
    .unwrap();

    let display = free_display();
    let mut stop = Stop(Vec::new());
    let xvfb = Command::new("Xvfb")
        .args([
            &format!(":{display}"),
            "-screen",
            "0",
            "1280x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    stop.0.push(xvfb.id());
    let mut xvfb = xvfb;
    // Ready when a client can connect (its socket appears a little before that).
    wait_for("Xvfb to take connections", Duration::from_secs(30), || {
        assert!(xvfb.try_wait().unwrap().is_none(), "Xvfb :{display} exited");
        Command::new("xdotool")
            .arg("getdisplaygeometry")
            .env("DISPLAY", format!(":{display}"))
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success())
    });

    let runtime = tempfile::tempdir().unwrap();
    let pid_file = runtime.path().join("app.pid");
    let landed = runtime.path().join("landed");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/atspi/drive.py");
    let mut drive = Command::new("dbus-run-session")
        .arg("--")
        .arg(PYTHON)
        .arg(&driver)
        .env("DISPLAY", format!(":{display}"))
        .env("GSETTINGS_BACKEND", "memory")
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env("APP", env!("CARGO_BIN_EXE_stepping-stones"))
        .env("STONES_TEST_HOME", home.path())
        .env("STONES_TEST_PID", &pid_file)
        .env("STONES_TEST_LANDED", &landed)
        .env("STONES_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(drive.stdout.take().unwrap());
    let mut said = String::new();
    let mut bea_device = None;
    for line in std::io::BufRead::lines(lines) {
        let line = line.unwrap();
        said.push_str(&line);
        said.push('\n');
        if line == "typed" {
            bea_device = Some(bea_writes_into(&bea_home, &loopback, nb, s));
            std::fs::write(&landed, b"").unwrap();
        }
    }
    let status = wait_child(&mut drive, Duration::from_secs(150));
    let app_pid: Option<u32> = std::fs::read_to_string(&pid_file)
        .ok()
        .and_then(|p| p.trim().parse().ok());
    if let Some(pid) = app_pid {
        stop.0.insert(0, pid);
    }
    assert!(
        status.success() && said.contains("done"),
        "the driver: {status}, {said}"
    );

    // The app is stopped as a window manager would kill it: what was typed is in its
    // journal already, and the next open of the home takes it in.
    drop(stop);
    if let Some(pid) = app_pid {
        let proc = PathBuf::from(format!("/proc/{pid}"));
        wait_for("the app to stop", Duration::from_secs(20), || {
            !proc.exists()
        });
    }
    let e = Engine::open_or_create(home.path()).unwrap();
    let session = e.session(nb, s).unwrap();
    let turn = session.turns.iter().find(|t| !t.passed).unwrap();
    assert_eq!(turn.text, "Spoken through AT-SPI");
    let r = session
        .reflections
        .iter()
        .find(|r| r.title == "Heard")
        .unwrap();
    assert_eq!(
        r.body, " Bea's line.",
        "Ada's typing undone, Bea's words kept"
    );
    e.shutdown();
    if let Some(bea) = bea_device {
        bea.shutdown();
    }
}

/// Bea's device meets the app (live, over QUIC on loopback), sees Ada's typing, and adds a
/// line at the end of the reflection; returns her running device once the line is written
/// there (it goes on to the app while the device stays up).
fn bea_writes_into(
    home: &tempfile::TempDir,
    net: &NetConfig,
    nb: NotebookId,
    s: EntryId,
) -> Engine {
    let bea = Engine::start(home.path(), net).unwrap();
    let heard = |bea: &Engine| {
        bea.session(nb, s).is_ok_and(|v| {
            v.reflections
                .iter()
                .any(|r| r.title == "Heard" && r.body.ends_with("would."))
        })
    };
    wait_for("Ada's typing to reach Bea", Duration::from_secs(60), || {
        heard(&bea)
    });
    let r = bea.session(nb, s).unwrap().reflections[0].id;
    bea.append_text(
        nb,
        Target::Session(s),
        TextField::Reflection(r),
        " Bea's line.",
    )
    .unwrap();
    bea.commit_pending().unwrap();
    bea
}
