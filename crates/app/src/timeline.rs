//! A document's history as a timeline people read: consecutive changes by one person within
//! half an hour of each other make one block — who, from when to when, and what they did
//! (each commit message with how many times, most first).

use stones_store::HistoryItem;

/// Changes by one person this close together (ms) belong to one block.
pub const GAP_MS: i64 = 30 * 60 * 1000;

/// One block of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Who (a name; "someone outside the group" when the device is unknown).
    pub who: String,
    /// The first change's time (unix ms).
    pub from_ms: i64,
    /// The last change's time (unix ms).
    pub to_ms: i64,
    /// What they did: each kind of change and how many, most first.
    pub did: Vec<(String, usize)>,
    /// Operations in all.
    pub ops: usize,
}

impl Block {
    /// "typing ×12, add reflection" — what the block did, in words.
    pub fn did_words(&self) -> String {
        self.did
            .iter()
            .map(|(what, n)| {
                if *n == 1 {
                    what.clone()
                } else {
                    format!("{what} ×{n}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Groups `items` (oldest first, as the engine gives them) into blocks, newest first.
pub fn blocks(items: &[HistoryItem]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for item in items {
        let who = if item.who.is_empty() {
            "someone outside the group".to_string()
        } else {
            item.who.clone()
        };
        let what = if item.message.is_empty() {
            "a change".to_string()
        } else {
            item.message.clone()
        };
        let joins = out
            .last()
            .is_some_and(|b| b.who == who && item.time_ms - b.to_ms <= GAP_MS);
        if !joins {
            out.push(Block {
                who,
                from_ms: item.time_ms,
                to_ms: item.time_ms,
                did: Vec::new(),
                ops: 0,
            });
        }
        let Some(b) = out.last_mut() else {
            continue;
        };
        b.to_ms = b.to_ms.max(item.time_ms);
        b.ops += item.ops;
        match b.did.iter_mut().find(|(w, _)| *w == what) {
            Some((_, n)) => *n += 1,
            None => b.did.push((what, 1)),
        }
    }
    for b in &mut out {
        b.did.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(t_min: i64, who: &str, message: &str) -> HistoryItem {
        HistoryItem {
            time_ms: t_min * 60_000,
            who: who.into(),
            message: message.into(),
            ops: 2,
        }
    }

    #[test]
    fn one_persons_nearby_changes_make_one_block_newest_first() {
        let items = [
            item(0, "Ada", "new session"),
            item(5, "Ada", "typing"),
            item(9, "Ada", "typing"),
            item(10, "Bea", "typing"),
            item(11, "Ada", "typing"),
            item(200, "Ada", "add reflection"),
        ];
        let b = blocks(&items);
        let shape: Vec<(&str, i64, i64, String)> = b
            .iter()
            .map(|b| {
                (
                    b.who.as_str(),
                    b.from_ms / 60_000,
                    b.to_ms / 60_000,
                    b.did_words(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Ada", 200, 200, "add reflection".to_string()),
                ("Ada", 11, 11, "typing".to_string()),
                ("Bea", 10, 10, "typing".to_string()),
                ("Ada", 0, 9, "typing ×2, new session".to_string()),
            ]
        );
        assert_eq!(b[3].ops, 6);
    }
}
