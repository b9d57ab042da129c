//! Runs the real `stones` binary in a temporary home.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Home {
    pub dir: tempfile::TempDir,
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_stones"))
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args)
            .env("STONES_HOME", self.path())
            .env_remove("STONES_NOTEBOOK");
        c.stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs a command that must succeed; returns its trimmed stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
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

    /// Runs a command that must fail; returns its stderr.
    pub fn fail(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "stones {args:?} should have failed");
        assert!(out.stdout.is_empty(), "a failing command printed to stdout");
        String::from_utf8(out.stderr).unwrap()
    }

    /// A notebook with one weekly session; returns the session id.
    pub fn with_session(&self) -> String {
        self.ok(&[
            "init",
            "--title",
            "Stewardship Group",
            "--name",
            "Ana",
            "--sector",
            "NHS",
        ]);
        self.ok(&["member", "add", "--name", "Ben", "--sector", "council"]);
        self.ok(&[
            "session",
            "new",
            "--date",
            "2026-11-26",
            "--kind",
            "weekly",
            "--title",
            "First hour",
            "--question",
            "What weather are you today?",
        ])
    }
}
