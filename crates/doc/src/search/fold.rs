//! Folding text for search: lower case, accents and other marks dropped, compatibility forms
//! (ligatures, full-width letters) spelt out, so `cafe` finds `café` and `NAIVE` finds
//! `naïve`. Folding goes character by character, so a position in folded text maps back to
//! the character of the original it came from (for snippets).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Appends the folded form of one character (possibly empty: a combining mark).
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match lower {
            // Letters that carry their mark inside: no decomposition takes it off.
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            'ħ' => out.push('h'),
            'ı' => out.push('i'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'þ' => out.push_str("th"),
            other => decompose_compatible(other, |d| {
                if !is_combining_mark(d) {
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                }
            }),
        }
    }
}

/// The folded form of a text.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// The byte offset in `original` of the character whose folded form covers byte `folded_at`
/// of `fold(original)` (the end of `original` when past it).
pub fn original_offset(original: &str, folded_at: usize) -> usize {
    let mut folded_len = 0;
    let mut buf = String::new();
    for (i, c) in original.char_indices() {
        buf.clear();
        fold_char(c, &mut buf);
        folded_len += buf.len();
        if folded_len > folded_at {
            return i;
        }
    }
    original.len()
}

/// Where the words of `query` occur in `original`, folded as search folds them: byte ranges
/// of `original`, in order and not overlapping (to highlight what a search found).
pub fn match_ranges(original: &str, query: &str) -> Vec<std::ops::Range<usize>> {
    // Each original character's byte range, and the folded bytes it produced.
    let mut folded = String::with_capacity(original.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(original.len());
    for (i, c) in original.char_indices() {
        let before = folded.len();
        fold_char(c, &mut folded);
        for _ in before..folded.len() {
            origin.push((i, i + c.len_utf8()));
        }
    }
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for word in fold(query).split_whitespace() {
        let mut from = 0;
        while let Some(at) = folded[from..].find(word) {
            let (start, end) = (from + at, from + at + word.len());
            if let (Some(s), Some(e)) = (origin.get(start), origin.get(end - 1)) {
                ranges.push(s.0..e.1);
            }
            from = end;
        }
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_found_in_the_original_text_whatever_its_accents() {
        let s = "Un CAFÉ naïve, café au lait";
        let r = match_ranges(s, "cafe NAIVE");
        let found: Vec<&str> = r.iter().map(|r| &s[r.clone()]).collect();
        assert_eq!(found, ["CAFÉ", "naïve", "café"]);
        assert!(match_ranges(s, "tea").is_empty());
        // Overlapping words merge into one range.
        let r = match_ranges("abcdef", "abcd cdef");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0], 0..6);
    }

    #[test]
    fn accents_case_and_ligatures_fold_away() {
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold("NAÏVE"), "naive");
        assert_eq!(fold("naïve"), fold("NAIVE"));
        // Already decomposed input (e + combining acute) folds the same.
        assert_eq!(fold("cafe\u{301}"), "cafe");
        assert_eq!(fold("ﬁne Straße Søren"), "fine strasse soren");
        assert_eq!(fold("ＡＢＣ"), "abc");
    }

    #[test]
    fn folded_positions_map_back_to_the_original() {
        let s = "Ça va? Naïve café";
        let f = fold(s);
        let at = f.find("cafe").unwrap_or(usize::MAX);
        assert_eq!(&s[original_offset(s, at)..], "café");
        let at = f.find("naive").unwrap_or(usize::MAX);
        assert_eq!(&s[original_offset(s, at)..], "Naïve café");
        assert_eq!(original_offset(s, f.len() + 5), s.len());
    }
}
