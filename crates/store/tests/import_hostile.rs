//! Importing bytes that are not a Stepping Stones notebook — automerge's own fuzz crashers
//! and edge-case documents — is refused with a reason, and the store is left as it was.
#![allow(clippy::unwrap_used)]

use stones_doc::{DocId, DocKind, IndexDoc, NotebookId};
use stones_store::Store;
use stones_store::import::import_notebook;

#[test]
fn a_document_that_is_not_ours_is_refused_on_import_and_nothing_is_written() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../doc/tests/data/automerge-corpus");
    let home = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(home.path()).unwrap();
    let mut tried = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        // As the index, and as a session beside a genuine index (so the session's own
        // check is what refuses it).
        let nb = NotebookId::random();
        let actor = stones_doc::automerge::ActorId::random();
        let mut index = IndexDoc::create(nb, "T", "", actor, 1).unwrap();
        let ours = (DocId::random(), DocKind::Index, index.doc_mut().save());
        for kind in [DocKind::Index, DocKind::Session] {
            let mut docs = vec![(DocId::random(), kind, bytes.clone())];
            if kind == DocKind::Session {
                docs.push(ours.clone());
            }
            let err = import_notebook(&store, nb, &docs, &[])
                .unwrap_err()
                .to_string();
            assert!(!err.is_empty(), "{}", path.display());
            tried += 1;
        }
    }
    assert!(tried >= 34);
    assert!(
        store.db().docs().unwrap().is_empty(),
        "nothing was registered"
    );
}
