//! Search over everything a notebook holds: the text of each document as items
//! (`items`), folded for case- and accent-insensitive matching (`fold`), kept as bytes by the
//! store so a query loads no document (`encode`), and the query itself (`query`).
//!
//! A plain scan of folded text, not an inverted index: the 4-year notebook's text is a few
//! megabytes, which a substring scan (memchr's `memmem`) reads in a few milliseconds, and a
//! scan finds parts of words and needs nothing kept in step beyond the text itself
//! (ARCHITECTURE.md, Search, has the measurement).

pub mod encode;
pub mod fold;
pub mod items;
pub mod query;

pub use items::{ItemKind, SearchItem, index_items, session_items};
pub use query::{Folded, Hit, Query, search};

#[cfg(test)]
mod tests;
