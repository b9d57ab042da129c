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
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let secret: [u8; 32] = rand::random();
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                let mut f = opts.open(path).map_err(io(path))?;
                f.write_all(&secret).map_err(io(path))?;
                f.sync_all().map_err(io(path))?;
                Ok(Identity::from_secret(secret))
            }
            Err(e) => Err(io(path)(e)),
        }
    }

    fn from_secret(secret: [u8; 32]) -> Identity {
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
}
