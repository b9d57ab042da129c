//! The export's folder or file picker: the desktop's own dialog (rfd; the XDG desktop
//! portal on Linux) run off the UI thread. The dialog's future is made between frames, on
//! the thread that owns the window, and a thread of its own waits on it; the choice lands
//! in a slot that logic reads on a later frame, so the window keeps drawing meanwhile.

use rfd::FileHandle;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A dialog on screen; [`Picking::take`] has the member's choice once they made it.
#[derive(Clone, Debug, Default)]
pub struct Picking {
    slot: Arc<Mutex<Option<Option<PathBuf>>>>,
}

impl Picking {
    /// Opens the dialog: a folder to export into (`folder`), else a file to write, named
    /// `file_name` to begin with. `repaint` is called when the choice is made.
    pub fn start(folder: bool, file_name: &str, repaint: impl Fn() + Send + 'static) -> Picking {
        let picking = Picking::default();
        let slot = picking.slot.clone();
        let dialog = rfd::AsyncFileDialog::new().set_title("Where the export goes");
        let chosen: Pin<Box<dyn Future<Output = Option<FileHandle>> + Send>> = if folder {
            Box::pin(dialog.pick_folder())
        } else {
            Box::pin(dialog.set_file_name(file_name).save_file())
        };
        std::thread::spawn(move || {
            let path = pollster::block_on(chosen).map(|h| h.path().to_path_buf());
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
            repaint();
        });
        picking
    }

    /// The choice, once made: `Some(None)` when the dialog was closed without one (or the
    /// desktop has no dialog to offer).
    pub fn take(&self) -> Option<Option<PathBuf>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}
