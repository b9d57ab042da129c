//! Running a query over folded items: every word must match (anywhere in an item's title or
//! text, as part of a word too: `turn` finds `turnover`), a match in the title ranks first,
//! then newer first; each hit carries a one-line snippet around its first match.

use super::fold::{fold, original_offset};
use super::items::SearchItem;
use crate::date::Date;
use crate::error::{DocError, Result};
use crate::ids::EntryId;
use memchr::memmem::Finder;

/// An item with its title and text folded, ready to be searched (what the store keeps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    /// The item as written.
    pub item: SearchItem,
    /// Its title, folded.
    pub title: String,
    /// Its text, folded.
    pub body: String,
}

impl Folded {
    /// Folds an item.
    pub fn new(item: SearchItem) -> Folded {
        Folded {
            title: fold(&item.title),
            body: fold(&item.body),
            item,
        }
    }
}

/// A parsed query: its words, folded.
#[derive(Debug)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    /// Parses what someone typed; a query with no word in it is an error.
    pub fn parse(text: &str) -> Result<Query> {
        let words: Vec<String> = fold(text).split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            return Err(DocError::Invalid(
                "a search needs at least one word".to_string(),
            ));
        }
        Ok(Query { words })
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// What matched.
    pub item: SearchItem,
    /// The date of the session it belongs to, if any.
    pub date: Option<Date>,
    /// Every word matched in its title.
    pub in_title: bool,
    /// One line of its text around the first match.
    pub snippet: String,
}

/// Characters of context kept before the first match in a snippet.
const BEFORE: usize = 30;
/// Characters a snippet holds at most.
const WIDTH: usize = 100;

/// Searches `groups` of items (one group per document) and returns the best `limit` hits;
/// `date_of` gives a session's date (from the index, which may have corrected it).
pub fn search<'a>(
    query: &Query,
    groups: impl IntoIterator<Item = &'a [Folded]>,
    date_of: impl Fn(EntryId) -> Option<Date>,
    limit: usize,
) -> Vec<Hit> {
    let finders: Vec<Finder<'_>> = query.words.iter().map(Finder::new).collect();
    let mut found: Vec<(&Folded, bool)> = Vec::new();
    for group in groups {
        for f in group {
            let mut in_title = true;
            let all = finders.iter().all(|w| {
                let t = w.find(f.title.as_bytes()).is_some();
                in_title &= t;
                t || w.find(f.body.as_bytes()).is_some()
            });
            if all {
                found.push((f, in_title && !f.title.is_empty()));
            }
        }
    }
    let mut hits: Vec<(Hit, i64)> = found
        .into_iter()
        .map(|(f, in_title)| {
            let date = f.item.session.and_then(&date_of);
            let hit = Hit {
                snippet: snippet(f, &finders),
                item: f.item.clone(),
                date,
                in_title,
            };
            (hit, f.item.at)
        })
        .collect();
    hits.sort_by(|(a, a_at), (b, b_at)| {
        let day = |h: &Hit, at: i64| h.date.unwrap_or_else(|| Date::from_unix_ms(at));
        b.in_title
            .cmp(&a.in_title)
            .then_with(|| day(b, *b_at).cmp(&day(a, *a_at)))
            .then_with(|| b_at.cmp(a_at))
            .then_with(|| (a.item.kind, &a.item.id).cmp(&(b.item.kind, &b.item.id)))
    });
    hits.truncate(limit);
    hits.into_iter().map(|(h, _)| h).collect()
}

/// One line around the earliest match in the text (or, if the text holds none, the title).
fn snippet(f: &Folded, finders: &[Finder<'_>]) -> String {
    let first = |folded: &str| {
        finders
            .iter()
            .filter_map(|w| w.find(folded.as_bytes()))
            .min()
    };
    let (original, at) = match first(&f.body) {
        Some(at) => (&f.item.body, original_offset(&f.item.body, at)),
        None => (
            &f.item.title,
            first(&f.title)
                .map(|at| original_offset(&f.item.title, at))
                .unwrap_or(0),
        ),
    };
    let before: Vec<char> = original[..at].chars().rev().take(BEFORE + 1).collect();
    let cut_start = before.len() > BEFORE;
    let start = at
        - before
            .iter()
            .take(BEFORE)
            .map(|c| c.len_utf8())
            .sum::<usize>();
    let rest = &original[start..];
    let mut line: String = rest.chars().take(WIDTH).collect();
    let cut_end = rest.chars().nth(WIDTH).is_some();
    line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if cut_start {
        line.insert(0, '…');
    }
    if cut_end {
        line.push('…');
    }
    line
}
