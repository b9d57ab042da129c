//! The benchmark suite works end to end on a small fixture: `fixture` builds homes that the
//! real `stones`-style store opens, `run --quick --json` measures every metric with its anchor.
//! No timing is asserted here (speed goals live in the benchmark report, not in tests).
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn bench() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stones-bench"))
}

/// Runs `stones-bench ARGS PATH`, which must succeed; its standard output.
fn bench_ok(args: &[&str], path: &std::path::Path) -> Vec<u8> {
    let out = bench().args(args).arg(path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_small_fixture_builds_and_every_metric_runs() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("fx");
    let args = [
        "fixture",
        "--sessions",
        "3",
        "--members",
        "4",
        "--seed",
        "5",
        "--out",
    ];
    let text = String::from_utf8(bench_ok(&args, &fixture)).unwrap();
    assert!(text.contains("documents 4"), "3 sessions + index: {text}");
    for i in 1..=4 {
        let home = fixture.join(format!("home-{i:02}"));
        let store = std::sync::Arc::new(stones_store::Store::open(&home).unwrap());
        let notebooks = stones_store::Notebook::list(&store).unwrap();
        assert_eq!(notebooks.len(), 1, "home {i} holds the notebook");
        let mut nb = stones_store::Notebook::open(&store, notebooks[0].0).unwrap();
        let view = nb.view();
        assert_eq!((view.sessions.len(), view.members.len()), (3, 4));
        let last = view.sessions.last().unwrap().id;
        let s = nb.session(last).unwrap();
        assert!(!s.reflections.is_empty() && !s.reflections[0].body.is_empty());
        assert!(
            s.turns.iter().any(|t| t.text.len() > 100),
            "check-ins were typed"
        );
    }
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("fixture.json")).unwrap())
            .unwrap();
    assert!(info["bursts"].as_u64().unwrap() > info["changes"].as_u64().unwrap());

    let out = bench_ok(&["run", "--quick", "--json", "--fixture"], &fixture);
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // What signing every change would cost: every change of the notebook is signed and
    // verified (the command fails if one did not verify).
    let line = String::from_utf8(bench_ok(&["sign-cost", "--fixture"], &fixture)).unwrap();
    let changes: u64 = info["changes"].as_u64().unwrap();
    assert!(line.contains(&format!("changes {changes}\t")), "{line}");
    assert!(line.contains(&format!("adds {} B", changes * 64)), "{line}");
    assert_eq!(
        report["machine"]["cores"].as_u64().map(|c| c > 0),
        Some(true)
    );
    let metrics = report["metrics"].as_array().unwrap();
    let names: Vec<&str> = metrics
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for want in [
        "history size",
        "cold open",
        "peak RSS",
        "keystroke",
        "new device: full sync",
        "new device: bytes",
        "reconnect after a week (one",
        "reconnect after a week: bytes",
        "live edit p50",
        "live edit p99",
        "live keystroke p50",
        "live keystroke p99",
        "devices (one process each) converge",
    ] {
        assert!(
            names.iter().any(|n| n.contains(want)),
            "{want} in {names:?}"
        );
    }
    for m in metrics {
        for key in [
            "value",
            "unit",
            "anchor",
            "anchor_value",
            "ratio",
            "goal",
            "meets",
        ] {
            assert!(m.get(key).is_some(), "{key} in {m}");
        }
        assert!(m["value"].as_f64().unwrap() > 0.0, "{m}");
        if m["anchor"] != "-" {
            assert!(m["anchor_value"].as_f64().unwrap() > 0.0, "{m}");
        }
    }
    assert!(
        std::fs::read_dir(&fixture).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.')),
        "the run leaves no scratch folder in the fixture"
    );
}

#[test]
fn a_folder_that_is_not_a_fixture_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = bench()
        .args(["run", "--quick", "--fixture"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixture.json"), "{err}");
}

#[test]
fn a_fixture_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let out = bench()
        .args(["fixture", "--sessions", "1", "--members", "3", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
}
