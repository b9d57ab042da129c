//! `stones search` through the real binary: accents and case, every word, ranking, an empty
//! query, results after another process committed and after a sync brought new text.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join};

/// The hits of `stones search`, each split into its tab-separated fields.
fn search(d: &Device, words: &[&str]) -> Vec<Vec<String>> {
    let mut args = vec!["search"];
    args.extend_from_slice(words);
    d.ok(&args)
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn search_folds_case_and_accents_needs_every_word_and_ranks_titles_first() {
    let a = Device::new();
    let (first, _) = founded(&a);
    let older = a.ok(&[
        "session",
        "new",
        "--date",
        "2025-03-04",
        "--kind",
        "monthly",
        "--title",
        "Funding",
    ]);
    a.ok(&[
        "checkin",
        &older,
        "--text",
        "Met at the café, a bit naïve about funding",
        "--scope",
        "export",
    ]);
    a.ok(&[
        "story",
        "add",
        &first,
        "--title",
        "The bus",
        "--text",
        "A CAFE on the corner.",
    ]);

    let hits = search(&a, &["CAFE"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    // Newer first: the story of 2026-11-26 before the turn of 2025-03-04.
    assert_eq!(hits[0][0], "2026-11-26");
    assert_eq!(hits[0][1], "story");
    assert_eq!(hits[1][..2], ["2025-03-04", "turn"]);
    assert_eq!(hits[1][3], "Ada", "who wrote it");
    assert!(
        hits[1][4].contains("café"),
        "snippet keeps the accent: {hits:?}"
    );

    let hits = search(&a, &["NAIVE", "cafe"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        search(&a, &["cafe", "zebra"]).is_empty(),
        "every word must match"
    );

    // A title match ranks first although the turn that mentions funding is as new.
    let hits = search(&a, &["funding"]);
    assert_eq!(hits[0][1], "title");
    assert_eq!(hits[0][2], older);
    assert_eq!(hits[1][1], "turn");

    let err = a.fail(&["search", "  "]);
    assert!(err.contains("at least one word"), "{err}");
}

#[test]
fn search_sees_what_another_process_committed_and_what_a_sync_brought() {
    let (a, b) = (Device::new(), Device::new());
    let (s, r) = founded(&a);
    let older = a.ok(&["session", "new", "--date", "2025-01-07", "--kind", "weekly"]);
    // A newer session, so `older` is not the one opening a notebook loads.
    a.ok(&["session", "new", "--date", "2026-12-01", "--kind", "weekly"]);
    assert!(search(&a, &["lighthouse"]).is_empty());
    // Another process writes into the older session; the cache built above is stale now.
    a.ok(&[
        "session",
        "notes",
        &older,
        "--text",
        "The lighthouse keeper came.",
    ]);
    let hits = search(&a, &["lighthouse"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0][..3], ["2025-01-07", "notes", older.as_str()]);

    let serve = a.serve();
    join(&a, &b, "Bea");
    assert_eq!(search(&b, &["lighthouse"]).len(), 1);
    assert!(search(&b, &["ptarmigan"]).is_empty());
    a.ok(&[
        "reflection",
        "append",
        &s,
        &r,
        "--text",
        " A ptarmigan, then.",
    ]);
    b.sync_with(&serve.ticket);
    let hits = search(&b, &["PTARMIGAN"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0][..3], ["2026-11-26", "reflection", r.as_str()]);
}
