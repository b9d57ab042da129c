//! Readable colours in both themes: egui's own light and dark visuals, with the colours
//! whose contrast against the backgrounds they are drawn on falls below WCAG's 4.5:1 for
//! body text (weak text, warnings, errors, links, marked search words) replaced by ones
//! that reach it. The ratio is WCAG 2's, from relative luminance; the tests check every
//! pair the app draws.

use egui::{Color32, Theme, Visuals};

/// WCAG's minimum contrast for body text.
pub const MIN_RATIO: f64 = 4.5;

/// WCAG 2 relative luminance of an opaque colour.
fn luminance(c: Color32) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
}

/// `fg` as it shows over an opaque `bg` (egui colours are premultiplied).
fn over(fg: Color32, bg: Color32) -> Color32 {
    let a = u16::from(fg.a());
    let mix = |f: u8, b: u8| {
        let v = u16::from(f) + u16::from(b) * (255 - a) / 255;
        u8::try_from(v.min(255)).unwrap_or(255)
    };
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// The contrast ratio of `fg` drawn over `bg` (1 to 21).
pub fn ratio(fg: Color32, bg: Color32) -> f64 {
    let (a, b) = (luminance(over(fg, bg)), luminance(over(bg, Color32::BLACK)));
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

/// The app's visuals for `theme`.
pub fn visuals(theme: Theme) -> Visuals {
    match theme {
        Theme::Light => {
            let mut v = Visuals::light();
            v.weak_text_color = Some(Color32::from_gray(92));
            v.warn_fg_color = Color32::from_rgb(150, 72, 0);
            v.error_fg_color = Color32::from_rgb(178, 0, 0);
            v.hyperlink_color = Color32::from_rgb(0, 82, 170);
            v.selection.bg_fill = Color32::from_rgb(170, 205, 255);
            v
        }
        Theme::Dark => {
            let mut v = Visuals::dark();
            v.weak_text_color = Some(Color32::from_gray(165));
            v.warn_fg_color = Color32::from_rgb(255, 170, 60);
            v.error_fg_color = Color32::from_rgb(255, 120, 110);
            v.hyperlink_color = Color32::from_rgb(120, 180, 255);
            v.selection.bg_fill = Color32::from_rgb(0, 70, 140);
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_is_wcags() {
        assert!((ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
        // WCAG's own example: #777 on white is just under 4.5.
        let grey = ratio(Color32::from_gray(0x77), Color32::WHITE);
        assert!((grey - 4.48).abs() < 0.02, "{grey}");
    }

    #[test]
    fn every_text_colour_reads_on_every_background_in_both_themes() {
        for theme in [Theme::Light, Theme::Dark] {
            let v = visuals(theme);
            let texts = [
                ("text", v.text_color()),
                ("weak text", v.weak_text_color()),
                ("strong text", v.strong_text_color()),
                ("warning", v.warn_fg_color),
                ("error", v.error_fg_color),
                ("link", v.hyperlink_color),
            ];
            let backgrounds = [
                ("panel", v.panel_fill),
                ("window", v.window_fill),
                ("text field", v.extreme_bg_color),
                ("group", v.faint_bg_color),
            ];
            for (t, fg) in texts {
                for (b, bg) in backgrounds {
                    // A translucent background (the group's) shows over the panel.
                    let bg = over(bg, v.panel_fill);
                    let r = ratio(fg, bg);
                    assert!(r >= MIN_RATIO, "{theme:?}: {t} on {b} is {r:.2}:1");
                }
            }
            // Search words found are strong text on the selection colour.
            let r = ratio(v.strong_text_color(), v.selection.bg_fill);
            assert!(r >= MIN_RATIO, "{theme:?}: marked words are {r:.2}:1");
            // Buttons' labels on their fill.
            let button = v.widgets.inactive;
            let r = ratio(button.fg_stroke.color, button.weak_bg_fill);
            assert!(r >= MIN_RATIO, "{theme:?}: button text is {r:.2}:1");
        }
    }
}
