//! Privacy on a shared computer: a home holds every check-in the group kept to itself, so
//! the home and every folder in it are mode 0700 and every file 0600 (like `~/.ssh`). A new
//! home is made that way; an existing home with looser modes is tightened when it is opened,
//! and what was tightened is kept so the CLI and the app can say so. Files made later (the
//! store file redb creates, journals, lock files) are tightened as they are opened. On other
//! systems than Unix nothing is done.

use crate::error::{Result, io};
use std::path::{Path, PathBuf};

/// A folder's mode.
pub const DIR_MODE: u32 = 0o700;
/// A file's mode (the home's files and exports).
pub const FILE_MODE: u32 = 0o600;

/// A path whose mode was loosened and is now tight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tightened {
    /// The folder or file.
    pub path: PathBuf,
    /// Its mode before (permission bits).
    pub was: u32,
    /// Its mode now.
    pub now: u32,
}

impl std::fmt::Display for Tightened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} could be read by other users of this computer (mode {:04o}); it is now {:04o}",
            self.path.display(),
            self.was,
            self.now
        )
    }
}

/// Makes the folder `dir` (and its parents) if it is missing, `dir` itself private.
pub fn create_private_dir(home: &Path) -> Result<()> {
    if home.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(home).map_err(io(home))?;
    set_mode(home, DIR_MODE)
}

/// Tightens `home`, every folder in it to 0700 and every file to 0600; returns what was
/// looser. Symbolic links are left alone (never followed).
pub fn tighten_home(home: &Path) -> Result<Vec<Tightened>> {
    let mut out = Vec::new();
    tighten(home, DIR_MODE, &mut out)?;
    let mut folders = vec![home.to_path_buf()];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let kind = entry.file_type().map_err(io(entry.path()))?;
            if kind.is_dir() {
                tighten(&entry.path(), DIR_MODE, &mut out)?;
                folders.push(entry.path());
            } else if kind.is_file() {
                tighten(&entry.path(), FILE_MODE, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// Gives `path` at most `mode` (bits beyond it are taken away); notes it in `out` if any were.
fn tighten(path: &Path, mode: u32, out: &mut Vec<Tightened>) -> Result<()> {
    let Some(was) = mode_of(path)? else {
        return Ok(());
    };
    if was & !mode != 0 {
        let now = was & mode;
        set_mode(path, now)?;
        out.push(Tightened {
            path: path.to_path_buf(),
            was,
            now,
        });
    }
    Ok(())
}

/// Options that create a file private (0600) from the start.
pub fn private_options() -> std::fs::OpenOptions {
    let mut opts = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, FILE_MODE);
    opts
}

/// Makes a file private (a file just created, or an export).
pub fn private_file(path: &Path) -> Result<()> {
    set_mode(path, FILE_MODE)
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::symlink_metadata(path) {
        Ok(m) => Ok(Some(m.permissions().mode() & 0o7777)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io(path))
}

#[cfg(not(unix))]
fn mode_of(_path: &Path) -> Result<Option<u32>> {
    Ok(None)
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_loose_home_is_tightened_and_says_what_was_loose() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join("writers")).unwrap();
        std::fs::write(home.join("stones.redb"), b"x").unwrap();
        std::fs::write(home.join("writers/0.lock"), b"").unwrap();
        std::fs::write(home.join("private"), b"").unwrap();
        for (p, m) in [
            (home.clone(), 0o755),
            (home.join("writers"), 0o775),
            (home.join("stones.redb"), 0o644),
            (home.join("writers/0.lock"), 0o664),
            (home.join("private"), 0o600),
        ] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).unwrap();
        }
        let tightened = tighten_home(&home).unwrap();
        let mut paths: Vec<_> = tightened.iter().map(|t| t.path.clone()).collect();
        paths.sort();
        assert_eq!(
            paths,
            vec![
                home.clone(),
                home.join("stones.redb"),
                home.join("writers"),
                home.join("writers/0.lock")
            ]
        );
        assert_eq!(mode(&home), 0o700);
        assert_eq!(mode(&home.join("writers")), 0o700);
        assert_eq!(mode(&home.join("stones.redb")), 0o600);
        assert_eq!(mode(&home.join("writers/0.lock")), 0o600);
        let said = tightened
            .iter()
            .find(|t| t.path == home.join("stones.redb"))
            .unwrap()
            .to_string();
        assert!(
            said.contains("mode 0644") && said.contains("0600"),
            "{said}"
        );
        assert!(tighten_home(&home).unwrap().is_empty(), "tight stays tight");
    }

    #[test]
    fn a_new_home_is_private_and_tighter_modes_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("a/b/home");
        create_private_dir(&home).unwrap();
        assert_eq!(mode(&home), 0o700);
        std::fs::write(home.join("read-only"), b"").unwrap();
        std::fs::set_permissions(
            home.join("read-only"),
            std::fs::Permissions::from_mode(0o400),
        )
        .unwrap();
        assert!(tighten_home(&home).unwrap().is_empty());
        assert_eq!(mode(&home.join("read-only")), 0o400);
    }
}
