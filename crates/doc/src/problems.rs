//! Validation of documents written by others: a list of problems found while reading.
//! Readers never panic on a wrong shape: they note the problem, skip that entry and go on.
//! Unknown fields are simply not read, so they stay in the document untouched.

use std::fmt;

/// What a reader found wrong with a document. Empty means the document had the shape we expect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<String>);

impl Problems {
    /// Records one problem, saying where it is.
    pub fn note(&mut self, at: &str, what: impl fmt::Display) {
        self.0.push(format!("{at}: {what}"));
    }
    /// True when the document had nothing wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}
