//! The real `stones` binary as the crash rounds drive it: a `serve` that can be killed, a
//! joiner killed mid-fetch, `check` and `sync` that must succeed. Loopback only.

use anyhow::{Context, Result, anyhow, bail};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The `stones` binary built beside this program.
pub struct Stones {
    exe: PathBuf,
}

/// A running `stones serve`.
pub struct Serve {
    child: Child,
    /// Its endpoint ticket (`listening …`).
    pub ticket: String,
    home: PathBuf,
}

/// A `stones join` that has been let in and is fetching the notebook.
pub struct Joiner {
    child: Child,
    stderr: Receiver<String>,
}

impl Stones {
    /// `stones` from the folder this program runs from (cargo builds both there).
    pub fn beside_this_program() -> Result<Stones> {
        let me = std::env::current_exe()?;
        let exe = me
            .with_file_name(format!("stones{}", std::env::consts::EXE_SUFFIX))
            .to_path_buf();
        if !exe.exists() {
            bail!(
                "{} is missing: build it with `cargo build -p stones-cli` (the same profile as stones-bench)",
                exe.display()
            );
        }
        Ok(Stones { exe })
    }

    fn cmd(&self, home: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(&self.exe);
        c.args(args)
            .env("STONES_HOME", home)
            .env("STONES_NET", "loopback")
            .env_remove("STONES_NOTEBOOK")
            .env_remove("STONES_RELAY")
            .env_remove("STONES_LOG")
            .stdin(Stdio::null());
        c
    }

    /// Runs a command that must succeed; its standard output.
    fn ok(&self, home: &Path, args: &[&str]) -> Result<String> {
        let out = self
            .cmd(home, args)
            .output()
            .with_context(|| format!("running stones {args:?}"))?;
        if !out.status.success() {
            bail!(
                "stones {args:?} on {} failed ({}): {} {}",
                home.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim(),
                String::from_utf8_lossy(&out.stdout).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// A new device at `home` redeems a fresh invite of `serve`'s home; returns once it was
    /// let in and has started fetching.
    pub fn join(&self, serve: &Serve, home: &Path, name: &str) -> Result<Joiner> {
        let ticket = self.ok(&serve.home, &["invite", "--uses", "1"])?;
        let mut child = self
            .cmd(home, &["join", &ticket, "--name", name, "--timeout", "600"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("starting stones join")?;
        let (tx, stderr) = channel();
        let pipe = child.stderr.take().context("join's stderr")?;
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(|l| l.ok()) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line = stderr
                .recv_timeout(Duration::from_secs(120))
                .map_err(|_| anyhow!("{name}: join never said it was let in"))?;
            if line.starts_with("joined:") {
                break;
            }
            if line.starts_with("Error") {
                bail!("{name}: join failed: {line}");
            }
        }
        Ok(Joiner { child, stderr })
    }

    /// `stones check` must find every document and chunk sound.
    pub fn check_sound(&self, home: &Path) -> Result<()> {
        let out = self.ok(home, &["check"])?;
        if !out.lines().any(|l| l.starts_with("sound:")) {
            bail!("stones check on {}: {out}", home.display());
        }
        Ok(())
    }

    /// `stones sync --peer TICKET` must complete; the bytes it received.
    pub fn sync(&self, home: &Path, ticket: &str) -> Result<u64> {
        let out = self.ok(home, &["sync", "--peer", ticket, "--timeout", "600"])?;
        let line = out
            .lines()
            .find(|l| l.starts_with("traffic\t"))
            .ok_or_else(|| anyhow!("no traffic line in {out:?}"))?;
        let fields: Vec<&str> = line.split('\t').collect();
        fields
            .get(4)
            .and_then(|b| b.parse().ok())
            .ok_or_else(|| anyhow!("bad traffic line {line:?}"))
    }
}

impl Serve {
    /// Starts `stones serve` on `home`; waits for its ticket.
    pub fn start(stones: &Stones, home: &Path) -> Result<Serve> {
        let mut child = stones
            .cmd(home, &["serve"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting stones serve")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("serve's stdout")?).read_line(&mut line)?;
        let ticket = line
            .trim()
            .strip_prefix("listening ")
            .ok_or_else(|| anyhow!("serve printed {line:?}"))?
            .to_string();
        Ok(Serve {
            child,
            ticket,
            home: home.to_path_buf(),
        })
    }

    /// SIGKILL, as a pulled plug.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Joiner {
    /// Whether it is still fetching; an error if it ended in failure.
    pub fn still_running(&mut self) -> Result<bool> {
        match self.child.try_wait()? {
            None => Ok(true),
            Some(status) if status.success() => Ok(false),
            Some(status) => bail!("join ended with {status}: {}", self.said()),
        }
    }

    /// SIGKILL; true if it was still fetching.
    pub fn kill(mut self) -> Result<bool> {
        let running = self.still_running()?;
        let _ = self.child.kill();
        let _ = self.child.wait();
        Ok(running)
    }

    /// Waits for the fetch to finish, which must succeed.
    pub fn wait_ok(mut self, limit: Duration) -> Result<()> {
        let deadline = std::time::Instant::now() + limit;
        while self.still_running()? {
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                bail!("join did not finish in {} s", limit.as_secs());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    fn said(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join(" / ")
    }
}

impl Drop for Joiner {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
