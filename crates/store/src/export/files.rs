//! Writing an export's files safely: never outside the target, never over anything that is
//! not an earlier export unless asked (`force`), and never a file where a folder is wanted;
//! private (files 0600, the folders it makes 0700) unless `shared`.

use crate::error::{Result, StoreError, io};
use std::path::{Component, Path};

/// What an export folder may hold from an earlier export (removed under `force`).
const EXPORT_ENTRIES: &[&str] = &[
    "README.md",
    "questions.md",
    "learnings.md",
    "sessions",
    "manifest.json",
    "index.automerge",
];

fn refuse(why: String) -> StoreError {
    StoreError::Export(why)
}

/// Makes sure `dir` is a folder we may write into: new, empty, or (with `force`) one that
/// holds an earlier export, whose files are removed first.
pub fn prepare_folder(dir: &Path, force: bool, shared: bool) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(refuse(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let non_empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_some();
        if non_empty && !force {
            return Err(refuse(format!(
                "{} is not empty: choose an empty folder, or add --force to replace an earlier export there",
                dir.display()
            )));
        }
        for entry in EXPORT_ENTRIES {
            let p = dir.join(entry);
            if p.is_dir() {
                std::fs::remove_dir_all(&p).map_err(io(&p))?;
            } else if p.exists() {
                std::fs::remove_file(&p).map_err(io(&p))?;
            }
        }
    }
    make_folder(dir, shared)
}

/// Makes `dir` (and its parents) if missing; one it makes is private unless `shared`.
fn make_folder(dir: &Path, shared: bool) -> Result<()> {
    if shared {
        std::fs::create_dir_all(dir).map_err(io(dir))
    } else {
        crate::privacy::create_private_dir(dir)
    }
}

/// Writes `bytes` to `path`, replacing what it held; private unless `shared`.
fn write_bytes(path: &Path, bytes: &[u8], shared: bool) -> Result<()> {
    use std::io::Write;
    if shared {
        return std::fs::write(path, bytes).map_err(io(path));
    }
    let mut f = crate::privacy::private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(io(path))?;
    // A file that was there before (replaced under --force) keeps its mode unless told.
    crate::privacy::private_file(path)?;
    f.write_all(bytes).map_err(io(path))
}

/// Whether `rel` is a relative path of plain names (nothing that could step outside).
pub fn is_plain_relative(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `rel` (a relative path of plain names) under `dir`, refusing anything that could
/// step outside it.
pub fn write_inside(dir: &Path, rel: &str, bytes: &[u8], shared: bool) -> Result<()> {
    if !is_plain_relative(rel) {
        return Err(refuse(format!(
            "refusing to write {rel} outside the export folder"
        )));
    }
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        make_folder(parent, shared)?;
    }
    write_bytes(&path, bytes, shared)
}

/// Writes one file (HTML, JSON); an existing file is replaced only with `force`.
pub fn write_file(path: &Path, bytes: &[u8], force: bool, shared: bool) -> Result<()> {
    if path.is_dir() {
        return Err(refuse(format!(
            "{} is a folder: give a file name for this format",
            path.display()
        )));
    }
    if path.exists() && !force {
        return Err(refuse(format!(
            "{} exists: add --force to replace it",
            path.display()
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        make_folder(parent, shared)?;
    }
    write_bytes(path, bytes, shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_written_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x.md", "/etc/x", "a/../../x", ""] {
            let err = write_inside(dir.path(), bad, b"x", false).unwrap_err();
            assert!(matches!(err, StoreError::Export(_)), "{bad}: {err}");
        }
        write_inside(dir.path(), "sessions/a.md", b"x", false).unwrap();
        assert!(dir.path().join("sessions/a.md").exists());
    }

    #[test]
    fn a_folder_with_other_files_is_kept_unless_forced_and_then_only_exports_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("README.md"), "old").unwrap();
        std::fs::write(dir.path().join("mine.txt"), "keep").unwrap();
        assert!(prepare_folder(dir.path(), false, false).is_err());
        prepare_folder(dir.path(), true, false).unwrap();
        assert!(!dir.path().join("README.md").exists());
        assert!(dir.path().join("mine.txt").exists());
        let file = dir.path().join("out.html");
        write_file(&file, b"1", false, false).unwrap();
        assert!(write_file(&file, b"2", false, false).is_err());
        write_file(&file, b"2", true, false).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"2");
    }

    #[cfg(unix)]
    #[test]
    fn exports_are_private_unless_asked_and_a_replaced_file_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("export");
        prepare_folder(&folder, false, false).unwrap();
        write_inside(&folder, "sessions/a.md", b"x", false).unwrap();
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&folder.join("sessions")), 0o700);
        assert_eq!(mode(&folder.join("sessions/a.md")), 0o600);
        let file = dir.path().join("out.html");
        std::fs::write(&file, b"old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_file(&file, b"new", true, false).unwrap();
        assert_eq!(mode(&file), 0o600, "replaced under --force, made private");
        let open = dir.path().join("shared/out.json");
        write_file(&open, b"{}", false, true).unwrap();
        assert_ne!(mode(&open) & 0o044, 0, "readable by others when asked");
    }
}
