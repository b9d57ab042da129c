//! Turning what the user typed into ids: unique id prefixes, session dates, member names.
//! Unknown and ambiguous names are clear errors that list what would have matched.

use anyhow::{Result, bail};
use stones_doc::{Date, EntryId, MemberId, NotebookId, NotebookView};

/// Picks the one candidate whose id starts with `prefix` (case-insensitive).
pub fn by_prefix<T: Copy>(
    what: &str,
    prefix: &str,
    candidates: impl IntoIterator<Item = (String, T, String)>,
) -> Result<T> {
    let p = prefix.trim().to_ascii_lowercase();
    if p.is_empty() {
        bail!("empty {what} id");
    }
    let hits: Vec<(String, T, String)> = candidates
        .into_iter()
        .filter(|(id, _, _)| id.starts_with(&p))
        .collect();
    match hits.as_slice() {
        [(_, v, _)] => Ok(*v),
        [] => bail!("unknown {what} {prefix:?}"),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(id, _, label)| format!("  {id}\t{label}"))
                .collect();
            bail!(
                "ambiguous {what} {prefix:?}; it matches:\n{}",
                list.join("\n")
            )
        }
    }
}

/// A notebook by id prefix, or the only one when none is named.
pub fn notebook(given: Option<&str>, all: &[(NotebookId, String)]) -> Result<NotebookId> {
    match given {
        Some(p) => by_prefix(
            "notebook",
            p,
            all.iter().map(|(id, t)| (id.to_hex(), *id, t.clone())),
        ),
        None => match all {
            [(id, _)] => Ok(*id),
            [] => bail!("this device holds no notebook yet (create one with `stones init`)"),
            _ => bail!(
                "this device holds {} notebooks: choose one with --notebook ID (see `stones notebooks`)",
                all.len()
            ),
        },
    }
}

/// A session by id prefix, or by date when exactly one session has that date.
pub fn session(nb: &NotebookView, given: &str) -> Result<EntryId> {
    if let Ok(date) = given.parse::<Date>() {
        let on_day: Vec<_> = nb.sessions.iter().filter(|s| s.date == date).collect();
        match on_day.as_slice() {
            [one] => return Ok(one.id),
            [] => bail!("no session on {date}"),
            _ => {}
        }
    }
    by_prefix(
        "session",
        given,
        nb.sessions
            .iter()
            .map(|s| (s.id.to_hex(), s.id, format!("{} {}", s.date, s.title))),
    )
}

/// An optional day given as YYYY-MM-DD, with the flag it came from in the error.
pub fn day(flag: &str, given: Option<&str>) -> Result<Option<Date>> {
    given
        .map(|d| {
            d.parse::<Date>()
                .map_err(|e| anyhow::anyhow!("{flag} {d:?}: {e}"))
        })
        .transpose()
}

/// A member by name (case-insensitive) or id prefix.
pub fn member(nb: &NotebookView, given: &str) -> Result<MemberId> {
    let named: Vec<_> = nb
        .members
        .iter()
        .filter(|m| m.name.eq_ignore_ascii_case(given.trim()))
        .collect();
    match named.as_slice() {
        [one] => return Ok(one.id),
        [] => {}
        _ => bail!(
            "more than one member is called {given:?}: use the member id (see `stones members`)"
        ),
    }
    by_prefix(
        "member",
        given,
        nb.members
            .iter()
            .map(|m| (m.id.to_hex(), m.id, m.name.clone())),
    )
}

/// The member this device belongs to, or an error naming the flag that picks one.
pub fn me(engine: &stones_sync::Engine, nb: NotebookId, flag: &str) -> Result<MemberId> {
    engine.me_or_err(nb).map_err(|e| match e {
        stones_sync::SyncError::NoMember => anyhow::anyhow!("{e}: name one with {flag}"),
        other => other.into(),
    })
}

/// A held question by id prefix.
pub fn question(nb: &NotebookView, given: &str) -> Result<EntryId> {
    by_prefix(
        "question",
        given,
        nb.questions
            .iter()
            .map(|q| (q.id.to_hex(), q.id, q.text.clone())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_must_be_unique() {
        let c = || {
            vec![
                ("abc1".to_string(), 1, String::new()),
                ("abd2".to_string(), 2, String::new()),
            ]
        };
        assert_eq!(by_prefix("x", "abc", c()).unwrap(), 1);
        assert!(
            by_prefix("x", "ab", c())
                .unwrap_err()
                .to_string()
                .contains("ambiguous")
        );
        assert!(
            by_prefix("x", "zz", c())
                .unwrap_err()
                .to_string()
                .contains("unknown")
        );
        assert!(by_prefix("x", "", c()).is_err());
    }
}
