//! Device settings (network mode, chosen port, preferences): small named values.

use crate::db::{Db, SETTINGS};
use crate::error::Result;

impl Db {
    /// Reads a setting.
    pub fn setting(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let tx = self.read()?;
        let t = tx.open_table(SETTINGS).map_err(|e| self.err(e))?;
        Ok(t.get(name)
            .map_err(|e| self.err(e))?
            .map(|v| v.value().to_vec()))
    }

    /// Writes a setting durably.
    pub fn set_setting(&self, name: &str, value: &[u8]) -> Result<()> {
        self.write(|tx| {
            tx.open_table(SETTINGS)?.insert(name, value)?;
            Ok(())
        })
    }
}

impl Db {
    /// Every setting whose name starts with `prefix`, by name.
    pub fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let tx = self.read()?;
        let t = tx.open_table(SETTINGS).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in t.range(prefix..).map_err(|e| self.err(e))? {
            let (k, v) = row.map_err(|e| self.err(e))?;
            if !k.value().starts_with(prefix) {
                break;
            }
            out.push((k.value().to_string(), v.value().to_vec()));
        }
        Ok(out)
    }

    /// Writes a setting durably without telling other processes to re-read documents
    /// (bookkeeping such as a node's status).
    pub fn set_setting_quiet(&self, name: &str, value: &[u8]) -> Result<()> {
        self.write_quiet(|tx| {
            tx.open_table(SETTINGS)?.insert(name, value)?;
            Ok(())
        })
    }

    /// Removes a setting durably.
    pub fn remove_setting(&self, name: &str) -> Result<()> {
        self.write(|tx| {
            tx.open_table(SETTINGS)?.remove(name)?;
            Ok(())
        })
    }
}
