//! Writing an export's files safely: never outside the target, never over anything that is
//! not an earlier export unless asked (`force`), and never a file where a folder is wanted.

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
pub fn prepare_folder(dir: &Path, force: bool) -> Result<()> {
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
    std::fs::create_dir_all(dir).map_err(io(dir))
}

/// Whether `rel` is a relative path of plain names (nothing that could step outside).
pub fn is_plain_relative(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `rel` (a relative path of plain names) under `dir`, refusing anything that could
/// step outside it.
pub fn write_inside(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    if !is_plain_relative(rel) {
        return Err(refuse(format!(
            "refusing to write {rel} outside the export folder"
        )));
    }
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(&path, bytes).map_err(io(&path))
}

/// Writes one file (HTML, JSON); an existing file is replaced only with `force`.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
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
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(path, bytes).map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_written_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x.md", "/etc/x", "a/../../x", ""] {
            let err = write_inside(dir.path(), bad, b"x").unwrap_err();
            assert!(matches!(err, StoreError::Export(_)), "{bad}: {err}");
        }
        write_inside(dir.path(), "sessions/a.md", b"x").unwrap();
        assert!(dir.path().join("sessions/a.md").exists());
    }

    #[test]
    fn a_folder_with_other_files_is_kept_unless_forced_and_then_only_exports_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("README.md"), "old").unwrap();
        std::fs::write(dir.path().join("mine.txt"), "keep").unwrap();
        assert!(prepare_folder(dir.path(), false).is_err());
        prepare_folder(dir.path(), true).unwrap();
        assert!(!dir.path().join("README.md").exists());
        assert!(dir.path().join("mine.txt").exists());
        let file = dir.path().join("out.html");
        write_file(&file, b"1", false).unwrap();
        assert!(write_file(&file, b"2", false).is_err());
        write_file(&file, b"2", true).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"2");
    }
}
