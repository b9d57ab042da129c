//! The live text editor's arithmetic, pure: the one splice (code-point position, deleted,
//! inserted) that turns what the field held into what the member's editor holds now, and
//! where a caret goes when text changes around it. The editor types every splice through
//! the engine at once (journaled, committed by the policy), so others see it live.

/// One splice of a text, in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// Where it starts.
    pub pos: usize,
    /// How many code points it deletes there.
    pub del: usize,
    /// What it inserts there.
    pub insert: String,
}

/// The splice that turns `before` into `after` (`None`: they are equal): the common
/// beginning and end are kept, the middle replaced.
pub fn splice(before: &str, after: &str) -> Option<Splice> {
    if before == after {
        return None;
    }
    let b: Vec<char> = before.chars().collect();
    let a: Vec<char> = after.chars().collect();
    let prefix = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let max_suffix = b.len().min(a.len()) - prefix;
    let suffix = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    Some(Splice {
        pos: prefix,
        del: b.len() - prefix - suffix,
        insert: a[prefix..a.len() - suffix].iter().collect(),
    })
}

/// Where a caret at `caret` in `before` stands in `after` when no cursor of the document
/// says: before the changed part it stays, after it it moves with the text, inside it it
/// goes to the end of what replaced it.
pub fn move_caret(before: &str, after: &str, caret: usize) -> usize {
    let Some(s) = splice(before, after) else {
        return caret;
    };
    let inserted = s.insert.chars().count();
    if caret <= s.pos {
        caret
    } else if caret >= s.pos + s.del {
        caret - s.del + inserted
    } else {
        s.pos + inserted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_splice_is_the_changed_middle_in_code_points() {
        assert_eq!(splice("abc", "abc"), None);
        let s = splice("café au lait", "café noir au lait").unwrap();
        assert_eq!((s.pos, s.del, s.insert.as_str()), (5, 0, "noir "));
        let s = splice("naïve", "nave").unwrap();
        assert_eq!((s.pos, s.del, s.insert.as_str()), (2, 1, ""));
        let s = splice("aaa", "aa").unwrap();
        assert_eq!((s.pos, s.del), (2, 1));
        let s = splice("", "🙂 hi").unwrap();
        assert_eq!((s.pos, s.del, s.insert.as_str()), (0, 0, "🙂 hi"));
        // Applying the splice gives the new text back.
        for (b, a) in [("one two", "one three two"), ("xyz", "ab"), ("ééé", "éé")] {
            let s = splice(b, a).unwrap();
            let mut chars: Vec<char> = b.chars().collect();
            chars.splice(s.pos..s.pos + s.del, s.insert.chars());
            assert_eq!(chars.into_iter().collect::<String>(), a);
        }
    }

    #[test]
    fn a_caret_keeps_its_place_when_text_changes_elsewhere() {
        // Someone types before the caret: it moves with the text after it.
        assert_eq!(move_caret("hello world", "oh hello world", 6), 9);
        // After the caret: it stays.
        assert_eq!(move_caret("hello world", "hello world!", 5), 5);
        // Its text deleted around it: to the end of what replaced it.
        assert_eq!(move_caret("hello world", "hello", 8), 5);
    }
}
