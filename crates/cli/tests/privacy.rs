//! Privacy on a shared computer, through the real binary: a new home is 0700 and every file
//! in it 0600; a home another user could read is tightened when it is next opened, with a
//! notice naming what was loose; exports are private unless `--readable-by-others`.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use common::Home;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

fn set_mode(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Every folder and file under `dir` (itself included), with its mode.
fn walk(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut out = vec![(dir.to_path_buf(), mode(dir))];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push((p.clone(), mode(&p)));
        }
    }
    out
}

fn stones(home: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(common::bin())
        .args(args)
        .env("STONES_HOME", home)
        .env_remove("STONES_NOTEBOOK")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stones {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn assert_private(dir: &Path) {
    for (p, m) in walk(dir) {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(m, want, "{} is {m:04o}", p.display());
    }
}

#[test]
fn a_new_home_is_private_and_a_loose_one_is_tightened_with_a_notice() {
    let scratch = Home::new();
    let home = scratch.path().join("new-home");
    stones(&home, &["init", "--title", "Stewards", "--name", "Ana"]);
    let s = String::from_utf8(
        stones(
            &home,
            &["session", "new", "--date", "2026-12-03", "--kind", "weekly"],
        )
        .stdout,
    )
    .unwrap();
    stones(&home, &["checkin", s.trim(), "--text", "kept to ourselves"]);
    let files = walk(&home);
    assert!(
        files.iter().any(|(p, _)| p.ends_with("stones.redb"))
            && files.iter().any(|(p, _)| p.ends_with("identity.key"))
            && files
                .iter()
                .any(|(p, _)| p.parent().unwrap().ends_with("writers")),
        "the home holds its store, key and writer slots: {files:?}"
    );
    assert_private(&home);

    // As a home made by an earlier version, or copied with loose modes, would be.
    for (p, _) in &files {
        set_mode(p, if p.is_dir() { 0o755 } else { 0o644 });
    }
    let out = stones(&home, &["sessions"]);
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains(
            "stones.redb could be read by other users of this computer (mode 0644); it is now 0600"
        ),
        "{said}"
    );
    assert!(said.contains("(mode 0755); it is now 0700"), "{said}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("2026-12-03"),
        "the command still did its work"
    );
    assert_private(&home);
    let again = stones(&home, &["sessions"]);
    assert!(again.stderr.is_empty(), "said once, not every time");
}

#[test]
fn exports_are_private_unless_readable_by_others_is_asked() {
    let h = Home::new();
    h.ok(&["init", "--title", "Stewards", "--name", "Ana"]);
    h.ok(&["session", "new", "--date", "2026-12-03", "--kind", "weekly"]);
    let folder = h.path().join("out-md");
    h.ok(&[
        "export",
        "--format",
        "markdown",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert_private(&folder);
    let html = h.path().join("notebook.html");
    h.ok(&[
        "export",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    assert_eq!(mode(&html), 0o600);
    let shared = h.path().join("shared.json");
    h.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        shared.to_str().unwrap(),
        "--readable-by-others",
    ]);
    assert_ne!(
        mode(&shared) & 0o044,
        0,
        "asked to be readable: {:04o}",
        mode(&shared)
    );
}
