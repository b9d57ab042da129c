//! File names that are safe on Windows, macOS and Linux: lower-case ASCII letters, digits
//! and single dashes, never empty, never a reserved device name, never with a path
//! separator, `..`, or a trailing dot or space; unique within a folder.

use crate::date::Date;

const MAX_SLUG: usize = 48;
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A slug of a title: letters and digits (accents dropped where they decompose simply,
/// anything else becomes a dash), dashes collapsed, at most 48 characters.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= MAX_SLUG {
            break;
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "untitled".into()
    } else if RESERVED.contains(&out.as_str()) {
        format!("{out}-1")
    } else {
        out
    }
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// `YYYY-MM-DD-slug` for a session.
pub fn session_stem(date: Date, title: &str) -> String {
    if title.trim().is_empty() {
        date.to_string()
    } else {
        format!("{date}-{}", slug(title))
    }
}

/// `stem`, or `stem-2`, `stem-3`… whichever is not taken yet.
pub fn unique(stem: String, taken: &[String]) -> String {
    if !taken.contains(&stem) {
        return stem;
    }
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|s| !taken.contains(s))
        .unwrap_or(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_titles_become_safe_names() {
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a/b:c*d?e\"f<g>h|i"), "a-b-c-d-e-f-g-h-i");
        assert_eq!(slug("Café Été"), "cafe-ete");
        assert_eq!(slug("..."), "untitled");
        assert_eq!(slug("CON"), "con-1");
        assert_eq!(slug("nul"), "nul-1");
        assert!(slug(&"x".repeat(500)).len() <= MAX_SLUG);
        let d: Date = "2026-11-26"
            .parse()
            .unwrap_or_else(|_| Date::from_unix_ms(0));
        assert_eq!(
            session_stem(d, "What / we: saw.."),
            "2026-11-26-what-we-saw"
        );
        assert_eq!(session_stem(d, ""), "2026-11-26");
        let taken = vec!["a".to_string(), "a-2".to_string()];
        assert_eq!(unique("a".into(), &taken), "a-3");
    }
}
