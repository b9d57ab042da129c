//! What the app remembers about itself between runs (eframe persistence): the last notebook
//! and the session last viewed in each, theme, text size, the Markdown preview toggle.
//! Never notebook content: that lives in the store (eframe saves only every 30 s).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The eframe storage key.
pub const STORAGE_KEY: &str = "stepping-stones-state";

/// Light or dark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Dark text on light.
    #[default]
    Light,
    /// Light text on dark.
    Dark,
}

/// The persisted UI state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The notebook last open (hex id).
    pub notebook: Option<String>,
    /// The session last viewed, per notebook (hex ids).
    pub last_session: BTreeMap<String, String>,
    /// The theme.
    pub theme: Theme,
    /// Text size as a zoom factor (1.0 normal).
    pub text_scale: f32,
    /// Reflections shown as rendered Markdown rather than being edited.
    pub preview: bool,
}

impl Default for State {
    fn default() -> State {
        State {
            notebook: None,
            last_session: BTreeMap::new(),
            theme: Theme::Light,
            text_scale: 1.0,
            preview: false,
        }
    }
}

impl State {
    /// Text size kept inside what stays readable and fits.
    pub fn clamped_scale(&self) -> f32 {
        if self.text_scale.is_finite() {
            self.text_scale.clamp(0.75, 2.5)
        } else {
            1.0
        }
    }
}
