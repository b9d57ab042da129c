//! libfuzzer-sys aborts on every panic before it unwinds, so `stones_doc::guard` (which turns
//! automerge's own panics on hostile bytes into errors) could never be seen working under
//! the fuzzer. This hook lets a panic raised inside automerge's crates unwind to that guard;
//! any other panic — ours — still aborts, and a guarded-crate panic that reaches no guard
//! still aborts in libfuzzer-sys's own `catch_unwind`.

use std::sync::Once;

pub fn tolerate_guarded_automerge_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map(|l| l.file()).unwrap_or_default();
            if file.contains("/hexane-") || file.contains("/automerge-") {
                return;
            }
            previous(info);
        }));
    });
}
