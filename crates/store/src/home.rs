//! The device home: where the store file and identity key live (`--home`, `STONES_HOME`, or
//! the XDG data dir `stepping-stones/`).

use std::path::{Path, PathBuf};

/// File name of the redb store inside a home.
pub const STORE_FILE: &str = "stones.redb";
/// File name of the identity key inside a home.
pub const IDENTITY_FILE: &str = "identity.key";
/// Folder of writer-slot lock files inside a home.
pub const WRITERS_DIR: &str = "writers";

/// The default home: `$XDG_DATA_HOME/stepping-stones`, else `~/.local/share/stepping-stones`.
pub fn default_home() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("stepping-stones");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/stepping-stones")
}

/// Whether a folder holds a store.
pub fn has_store(home: &Path) -> bool {
    home.join(STORE_FILE).is_file()
}
