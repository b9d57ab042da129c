//! Escaping user text for each output: Markdown (so no text can open a heading, list,
//! quote, link, wiki-link, table, HTML block or thematic break), HTML, and YAML scalars.

/// Escapes user text for Markdown: every character CommonMark or Obsidian could read as
/// structure is backslash-escaped, and leading indentation is dropped (it would make code
/// blocks). Line breaks are kept: a blank line still separates paragraphs.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start().trim_end_matches('\r');
        let mut at_start = true;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            let structural = matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '['
                    | ']'
                    | '<'
                    | '>'
                    | '#'
                    | '|'
                    | '~'
                    | '&'
                    | '!'
                    | '$'
                    | '{'
                    | '}'
                    | '^'
                    | '%'
                    | '='
            );
            let line_start = at_start && matches!(c, '-' | '+' | ':');
            let ordered = at_start && c.is_ascii_digit() && {
                // "12." or "3)" at a line start would open an ordered list.
                let rest: String = chars.clone().take_while(|d| d.is_ascii_digit()).collect();
                let after = chars.clone().nth(rest.len());
                matches!(after, Some('.') | Some(')'))
            };
            if ordered {
                let digits: String = std::iter::once(c)
                    .chain(std::iter::from_fn(|| chars.next_if(|d| d.is_ascii_digit())))
                    .collect();
                out.push_str(&digits);
                out.push('\\');
                if let Some(p) = chars.next() {
                    out.push(p);
                }
                at_start = false;
                continue;
            }
            if structural || line_start {
                out.push('\\');
            }
            out.push(c);
            at_start = false;
        }
    }
    out
}

/// Escapes for a single-line Markdown context (headings, list items): line breaks become
/// spaces.
pub fn md_inline(text: &str) -> String {
    md(&text.replace(['\n', '\r'], " "))
}

/// Escapes for HTML text and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted scalar.
pub fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_structure_is_neutralised() {
        assert_eq!(md("# Heading"), "\\# Heading");
        assert_eq!(md("---"), "\\---");
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(md("12. twelve"), "12\\. twelve");
        assert_eq!(md("[[Wiki]]"), "\\[\\[Wiki\\]\\]");
        assert_eq!(md("<script>x</script>"), "\\<script\\>x\\</script\\>");
        assert_eq!(md("a | b"), "a \\| b");
        assert_eq!(md("    code"), "code");
        assert_eq!(md("one\n\ntwo"), "one\n\ntwo");
        assert_eq!(md("===="), "\\=\\=\\=\\=");
    }

    #[test]
    fn html_and_yaml_escape() {
        assert_eq!(
            html("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(yaml("a \"b\"\nc\\"), "\"a \\\"b\\\"\\nc\\\\\"");
    }
}
