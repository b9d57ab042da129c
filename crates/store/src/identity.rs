//! The device identity: an ed25519 secret key in `identity.key` (mode 0600), whose public key
//! is the device id (and, with sync, the iroh endpoint id).

use crate::error::{Result, StoreError, io};
use ed25519_dalek::SigningKey;
use std::io::Write;
use std::path::Path;
use stones_doc::DeviceId;

/// This device's key pair.
pub struct Identity {
    secret: [u8; 32],
    device: DeviceId,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({:?})", self.device)
    }
}

impl Identity {
    /// Loads the key, or creates it (0600) if the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Identity> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let secret: [u8; 32] =
                    bytes
                        .as_slice()
                        .try_into()
                        .map_err(|_| StoreError::Corrupt {
                            path: path.to_path_buf(),
                            detail: format!(
                                "identity key should be 32 bytes, found {}",
                                bytes.len()
                            ),
                        })?;
                Ok(Identity::from_secret(secret))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_atomically(path),
            Err(e) => Err(io(path)(e)),
        }
    }

    pub(crate) fn from_secret(secret: [u8; 32]) -> Identity {
        let device = DeviceId(SigningKey::from_bytes(&secret).verifying_key().to_bytes());
        Identity { secret, device }
    }

    /// This device's id.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// The secret key bytes (for the sync transport).
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.secret
    }
}

/// Creates the key file whole or not at all: the secret goes to a private temporary file,
/// is synced, then hard-linked into place (which fails if the key exists). A crash leaves
/// either no key or a whole one, never a torn one; of two processes creating it at once,
/// one wins and the other reads the winner's key.
fn create_atomically(path: &Path) -> Result<Identity> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".identity.key.{}.{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let secret: [u8; 32] = rand::random();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let written = opts.open(&tmp).and_then(|mut f| {
        f.write_all(&secret)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(&tmp)(e));
    }
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(Identity::from_secret(secret))
        }
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Identity::load_or_create(path),
        Err(e) => Err(io(path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_private_key_and_reloads_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("identity.key");
        let a = Identity::load_or_create(&path).unwrap();
        let b = Identity::load_or_create(&path).unwrap();
        assert_eq!(a.device(), b.device());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::write(&path, b"short").unwrap();
        let err = Identity::load_or_create(&path).unwrap_err().to_string();
        assert!(
            err.contains("identity.key") && err.contains("32 bytes"),
            "{err}"
        );
    }

    #[test]
    fn devices_creating_the_key_at_once_all_get_the_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("identity.key");
        let devices: Vec<DeviceId> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| Identity::load_or_create(&path).map(|i| i.device())))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().unwrap())
                .collect()
        });
        assert!(devices.iter().all(|d| *d == devices[0]), "{devices:?}");
        assert_eq!(std::fs::read(&path).unwrap().len(), 32);
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
