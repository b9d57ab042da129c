//! Undo that is yours alone, in two apps connected over real iroh QUIC on loopback: Ada
//! types into a reflection, Bea's words land inside and after Ada's, Ada types on and
//! deletes a letter, then presses Ctrl+Z three times and Ctrl+Shift+Z twice. After every
//! press both apps show Bea's words intact, Ada's own typing taken back or put back, "written
//! by" counting each person's words truly, and the Edit menu saying what undo would undo.
//! Then Ada deletes Bea's word and undoes that: the word is back, and still Bea's.
#![allow(clippy::unwrap_used)]

mod common;

use common::{H, editor_text, reflection_shared_by_two_apps, step_both_until};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

const EDITOR: &str = "Reflection: Undo";

/// Waits until both apps show `text` in the reflection and say who wrote how many of its
/// words: `(name, words)`, 0 for someone who must not be named at all.
fn both_show(a: &mut H, b: &mut H, text: &str, writers: &[(&str, u32)]) {
    let said = |h: &H| {
        let line = h
            .query_by_label_contains("Started by Ada")
            .and_then(|n| n.value())
            .unwrap_or_default();
        writers.iter().all(|(name, n)| {
            let unit = if *n == 1 { "word" } else { "words" };
            match n {
                0 => !line.contains(&format!("{name} (")),
                n => line.contains(&format!("{name} ({n} {unit})")),
            }
        })
    };
    step_both_until(
        a,
        b,
        &format!("both to show {text:?} by {writers:?}"),
        |a, b| {
            [a, b]
                .iter()
                .all(|h| editor_text(h, EDITOR).as_deref() == Some(text) && said(h))
        },
    );
}

/// Splices the reflection through `h`'s engine (exact positions; recorded for undo as
/// typing in the window is).
fn type_on_device(h: &H, pos: usize, del: usize, insert: &str) {
    let rt = h.state().rt.as_ref().unwrap();
    let (nb, (session, _)) = (rt.notebook.unwrap(), rt.session.clone().unwrap());
    let view = rt.engine.session(nb, session).unwrap();
    let field = stones_doc::TextField::Reflection(view.reflections[0].id);
    let target = stones_store::Target::Session(session);
    rt.engine
        .type_text(nb, target, field, pos, del, insert)
        .unwrap();
}

fn undo_words(a: &H) -> Option<String> {
    a.state().rt.as_ref().unwrap().undo_menu.undo.clone()
}

#[test]
fn ctrl_z_takes_back_only_your_own_typing_on_both_devices() {
    let (_homes, mut a, mut b) = reflection_shared_by_two_apps("Undo");
    a.get_by_label(EDITOR).focus();
    a.run();
    a.get_by_label(EDITOR).type_text("Trust grows");
    a.run();
    both_show(&mut a, &mut b, "Trust grows", &[("Ada", 2), ("Bea", 0)]);

    // Bea's words land inside Ada's typing (typed on her device, after "Trust") and after
    // them (typed in her window, at the end).
    type_on_device(&b, "Trust".len(), 0, " really");
    b.get_by_label(EDITOR).focus();
    b.run();
    b.key_press_modifiers(Modifiers::COMMAND, Key::End);
    b.get_by_label(EDITOR).type_text(" Bea's line.");
    b.run();
    let all_three = &[("Ada", 2), ("Bea", 3)];
    both_show(&mut a, &mut b, "Trust really grows Bea's line.", all_three);

    // Ada types on at the end and takes back one letter.
    a.key_press_modifiers(Modifiers::COMMAND, Key::End);
    a.get_by_label(EDITOR).type_text(" slowly");
    a.run();
    a.key_press(Key::Backspace);
    a.run();
    let four = &[("Ada", 3), ("Bea", 3)];
    both_show(&mut a, &mut b, "Trust really grows Bea's line. slowl", four);
    assert_eq!(undo_words(&a).as_deref(), Some("Undo deleting “y”"));

    let z = |a: &mut H| {
        a.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        a.run();
    };
    z(&mut a);
    both_show(
        &mut a,
        &mut b,
        "Trust really grows Bea's line. slowly",
        four,
    );
    assert_eq!(undo_words(&a).as_deref(), Some("Undo typing “slowly”"));
    z(&mut a);
    both_show(&mut a, &mut b, "Trust really grows Bea's line.", all_three);
    z(&mut a);
    // None of Ada's words remain, and none of Bea's were taken or credited to Ada.
    both_show(
        &mut a,
        &mut b,
        " really Bea's line.",
        &[("Ada", 0), ("Bea", 3)],
    );

    let shift_z = |a: &mut H| {
        a.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        a.run();
    };
    shift_z(&mut a);
    both_show(&mut a, &mut b, "Trust really grows Bea's line.", all_three);
    shift_z(&mut a);
    both_show(
        &mut a,
        &mut b,
        "Trust really grows Bea's line. slowly",
        four,
    );

    // Bea's own undo takes back her own typing, never Ada's.
    b.get_by_label(EDITOR).focus();
    b.run();
    b.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    b.run();
    let after = &[("Ada", 3), ("Bea", 1)];
    both_show(&mut a, &mut b, "Trust really grows slowly", after);

    // Ada deletes Bea's word and takes her deletion back: the word is put back as Bea's,
    // in "written by" on both devices.
    type_on_device(&a, "Trust".len(), " really".len(), "");
    both_show(
        &mut a,
        &mut b,
        "Trust grows slowly",
        &[("Ada", 3), ("Bea", 0)],
    );
    a.get_by_label(EDITOR).focus();
    a.run();
    a.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    a.run();
    both_show(&mut a, &mut b, "Trust really grows slowly", after);
    // History says so too: Ada's undo put back Bea's words.
    {
        let rt = a.state().rt.as_ref().unwrap();
        let (nb, (session, _)) = (rt.notebook.unwrap(), rt.session.clone().unwrap());
        let target = stones_store::Target::Session(session);
        let last = rt.engine.history(nb, target).unwrap().pop().unwrap();
        assert_eq!(last.who, "Ada");
        assert_eq!(last.message, "undo: put back words by Bea", "{last:?}");
    }
    a.state_mut().close();
    b.state_mut().close();
}
