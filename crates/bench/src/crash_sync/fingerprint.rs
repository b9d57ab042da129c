//! What a home holds of one notebook, to compare two homes (or one home before and after a
//! kill): every document with its heads and its number of changes. Equal heads mean equal
//! content; equal change counts mean nothing was taken in twice.

use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use stones_doc::{DocId, NotebookId};
use stones_store::Store;

/// Per document: sorted heads (hex) and the number of changes.
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint {
    docs: BTreeMap<DocId, (Vec<String>, usize)>,
}

impl Fingerprint {
    /// Reads every document of `notebook` in the home (opening it as any command would).
    pub fn of(home: &Path, notebook: NotebookId) -> Result<Fingerprint> {
        let store = Arc::new(Store::open(home)?);
        let mut docs = BTreeMap::new();
        for (doc, nb, _) in store.db().docs()? {
            if nb != notebook {
                continue;
            }
            let (mut am, _, _) = stones_store::loaded::load_am(&store, doc)?;
            let mut heads: Vec<String> = am.get_heads().iter().map(|h| h.to_string()).collect();
            heads.sort();
            docs.insert(doc, (heads, am.get_changes(&[]).len()));
        }
        Ok(Fingerprint { docs })
    }

    /// Documents held.
    pub fn documents(&self) -> usize {
        self.docs.len()
    }

    /// Fails, naming the first difference, unless `self` holds exactly what `other` does.
    pub fn must_equal(&self, other: &Fingerprint, who: &str) -> Result<()> {
        for (doc, (heads, changes)) in &other.docs {
            match self.docs.get(doc) {
                None => bail!("{who}: document {doc} is missing"),
                Some((h, c)) if h != heads || c != changes => bail!(
                    "{who}: document {doc} differs ({c} changes, heads {h:?}; expected {changes} changes, heads {heads:?})"
                ),
                Some(_) => {}
            }
        }
        if let Some(extra) = self.docs.keys().find(|d| !other.docs.contains_key(d)) {
            bail!("{who}: holds document {extra} the other does not");
        }
        Ok(())
    }
}
