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

#[cfg(test)]
mod tests {
    use super::*;

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
