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
