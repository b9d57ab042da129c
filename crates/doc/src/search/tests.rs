//! Search over hand-made items: folding, AND of words, ranking, snippets, the stored bytes.

use super::encode::{decode, encode};
use super::*;
use crate::date::Date;
use crate::ids::EntryId;

fn item(kind: ItemKind, session: Option<u8>, title: &str, body: &str) -> Folded {
    Folded::new(SearchItem {
        kind,
        id: format!("{kind:?}-{title}-{body}"),
        session: session.map(|s| EntryId([s; 16])),
        by: None,
        at: 0,
        title: title.to_string(),
        body: body.to_string(),
    })
}

fn date_of(s: EntryId) -> Option<Date> {
    Date::new(2026, 1, s.0[0]).ok()
}

fn run(q: &str, items: &[Folded]) -> Vec<Hit> {
    let query = Query::parse(q).expect("a query");
    search(&query, [items], date_of, 50)
}

#[test]
fn accents_and_case_do_not_matter_and_every_word_must_match() {
    let items = vec![
        item(
            ItemKind::Turn,
            Some(1),
            "",
            "We met at the café, feeling naïve.",
        ),
        item(ItemKind::Turn, Some(2), "", "The cafe was closed."),
        item(ItemKind::Reflection, Some(3), "Turnover", "Staff leave."),
    ];
    assert_eq!(run("CAFE", &items).len(), 2);
    assert_eq!(run("naive café", &items).len(), 1);
    assert_eq!(run("NAÏVE", &items)[0].item.session, Some(EntryId([1; 16])));
    assert!(run("cafe turnover", &items).is_empty(), "AND, not OR");
    assert_eq!(run("turn", &items).len(), 1, "part of a word matches");
}

#[test]
fn title_matches_first_then_newer_first() {
    let items = vec![
        item(ItemKind::Turn, Some(9), "", "about funding"),
        item(ItemKind::Reflection, Some(2), "Funding", "money"),
        item(ItemKind::Turn, Some(5), "", "funding again"),
    ];
    let hits = run("funding", &items);
    let order: Vec<u8> = hits
        .iter()
        .filter_map(|h| h.item.session.map(|s| s.0[0]))
        .collect();
    assert_eq!(order, [2, 9, 5]);
    assert!(hits[0].in_title);
    assert_eq!(hits[1].date, Date::new(2026, 1, 9).ok());
}

#[test]
fn snippets_are_one_line_around_the_first_match() {
    let long = format!(
        "{}\nthe word Résumé here\n{}",
        "x ".repeat(80),
        "y ".repeat(80)
    );
    let items = vec![item(ItemKind::Notes, Some(1), "", &long)];
    let hits = run("resume", &items);
    let s = &hits[0].snippet;
    assert!(s.contains("Résumé here"), "{s}");
    assert!(!s.contains('\n'));
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.chars().count() <= 102, "{s}");
}

#[test]
fn an_empty_query_is_an_error() {
    assert!(Query::parse("   ").is_err());
    assert!(Query::parse("").is_err());
}

#[test]
fn stored_bytes_round_trip_and_damage_is_an_error() {
    let items = vec![
        item(ItemKind::Story, Some(1), "Ça", "naïve"),
        item(ItemKind::Title, None, "Group", ""),
    ];
    let bytes = encode(&items);
    assert_eq!(decode(&bytes).expect("decodes"), items);
    for cut in 0..bytes.len() {
        assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut huge = bytes.clone();
    huge[1..5].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(decode(&huge).is_err());
}
