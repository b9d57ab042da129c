//! Two apps in one test process, each on its own home and engine, connected over real iroh
//! QUIC on loopback: Ada founds a notebook in her app and makes an invite there; Bea pastes
//! the ticket into hers and the notebook arrives. Ada types a reflection in pieces and each
//! piece shows in Bea's editor while Ada is still typing; Bea adds a word and both pages say
//! who wrote how much; both top bars then say they are
//! caught up with the other by name; when Bea's app closes, Ada's says nobody is there.
#![allow(clippy::unwrap_used)]

mod common;

use common::{editor_text, reflection_shared_by_two_apps, step_both_until};
use egui_kittest::kittest::Queryable;

#[test]
fn two_apps_co_write_live_and_say_who_is_there() {
    let (_homes, mut a, mut b) = reflection_shared_by_two_apps("Draft");
    let editor = "Reflection: Draft";

    // Ada types in pieces; Bea sees each piece before the next one is typed.
    a.get_by_label(editor).focus();
    a.run();
    let mut typed = String::new();
    for piece in ["Trust ", "grows ", "slowly."] {
        a.get_by_label(editor).type_text(piece);
        a.run();
        typed.push_str(piece);
        step_both_until(&mut a, &mut b, &format!("Bea to see {typed:?}"), |_, b| {
            editor_text(b, editor).as_deref() == Some(typed.as_str())
        });
    }

    // Bea adds a word at the end; both pages then say who wrote the reflection.
    b.get_by_label(editor).focus();
    b.run();
    b.key_press(egui::Key::End);
    b.get_by_label(editor).type_text(" Together");
    b.run();
    let who = "Started by Ada; written by Ada (3 words), Bea (1 word)";
    step_both_until(&mut a, &mut b, "both pages to say who wrote it", |a, b| {
        a.query_by_label(who).is_some() && b.query_by_label(who).is_some()
    });

    step_both_until(&mut a, &mut b, "both to say caught up", |a, b| {
        a.query_by_label("Bea: caught up").is_some()
            && b.query_by_label("Ada: caught up").is_some()
            && a.query_by_label("Caught up with 1").is_some()
            && b.query_by_label("Caught up with 1").is_some()
    });

    // Bea's app closes: Ada's top bar no longer claims anyone is caught up.
    b.state_mut().close();
    drop(b);
    common::step_until(&mut a, "Ada to see that Bea has gone", |a| {
        a.query_by_label("Nobody else is connected").is_some()
    });
    assert!(a.query_by_label("Bea: caught up").is_none());
    assert!(a.query_by_label_contains("Caught up with").is_none());
    a.state_mut().close();
}
