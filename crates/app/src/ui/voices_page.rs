//! Whose voices fill the sessions: over the last N sessions (a slider), a bar chart of the
//! words each member spoke in check-ins and wrote, their turns, and each sector's share,
//! then the same numbers as lines a screen reader can read, passes apart, and a gentle
//! sentence in plain words. The numbers are the library's (`Engine::voices`), read when the
//! page opens or the slider moves, never per frame.

use super::{Draw, heading_ui};
use crate::logic::Command;
use egui_plot::{Bar, BarChart, Legend, Plot};
use stones_doc::voices::{MemberVoice, SectorVoice, Voices};

/// How one member's line reads (the test compares it with the library's numbers).
pub fn member_line(m: &MemberVoice) -> String {
    let c = &m.counts;
    let sector = if m.sector.is_empty() {
        String::new()
    } else {
        format!(" ({})", m.sector)
    };
    format!(
        "{}{sector}: present {}, {} turn(s), {} pass(es), {} words spoken, {} words written",
        m.name, c.sessions_present, c.turns, c.passes, c.turn_words, c.written_words
    )
}

/// How one sector's line reads.
pub fn sector_line(s: &SectorVoice) -> String {
    let name = if s.sector.is_empty() {
        "no sector"
    } else {
        s.sector.as_str()
    };
    format!(
        "{name}: {:.0}% of the words, {} turn(s), {} pass(es)",
        s.share, s.counts.turns, s.counts.passes
    )
}

/// A gentle sentence: who carried most of the words and who least, without blame.
pub fn gentle_sentence(v: &Voices) -> String {
    let spoke: Vec<&SectorVoice> = v.sectors.iter().filter(|s| s.members > 0).collect();
    let (Some(most), Some(least)) = (
        spoke.iter().max_by(|a, b| a.share.total_cmp(&b.share)),
        spoke.iter().min_by(|a, b| a.share.total_cmp(&b.share)),
    ) else {
        return "No words were recorded in these sessions yet.".into();
    };
    if spoke.len() < 2 || (most.share - least.share).abs() < 10.0 {
        return format!(
            "Over these {} session(s) the sectors' voices were heard about evenly.",
            v.sessions
        );
    }
    let name = |s: &SectorVoice| {
        if s.sector.is_empty() {
            "members with no sector".to_string()
        } else {
            s.sector.clone()
        }
    };
    format!(
        "Over these {} session(s), {} carried {:.0}% of the words and {} {:.0}%: who might \
         the group invite in next time?",
        v.sessions,
        name(most),
        most.share,
        name(least),
        least.share
    )
}

/// The voices page.
pub fn voices_page_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    heading_ui(ui, "Voices");
    let total = d.rt.view.as_ref().map_or(0, |v| v.sessions.len());
    if total == 0 {
        ui.label("No sessions yet: voices are counted once the group has met.");
        return;
    }
    let mut last = d.forms.voices_last.clamp(1, total);
    let slider = ui.add(egui::Slider::new(&mut last, 1..=total).text("Last sessions counted"));
    d.forms.voices_last = last;
    let shown = d.rt.voices.as_ref().map(|(n, _)| *n);
    if (slider.changed() || shown.is_none()) && shown != Some(last) {
        d.send(Command::ShowVoices { last });
    }
    let Some((_, report)) = d.rt.voices.clone() else {
        ui.spinner();
        return;
    };
    let v = &report.voices;
    ui.label(gentle_sentence(v));
    if let Some((from, to)) = v.span {
        ui.weak(format!("{} session(s), {from} to {to}.", v.sessions));
    }
    chart_ui(ui, v);
    heading_ui(ui, "Members");
    for m in &v.members {
        ui.label(member_line(m));
    }
    heading_ui(ui, "Sectors");
    for s in &v.sectors {
        ui.label(sector_line(s));
    }
    if v.missing > 0 {
        ui.weak(format!(
            "{} session(s) have not reached this computer and are not counted.",
            v.missing
        ));
    }
}

/// Words spoken and written per member, stacked; turns beside them.
fn chart_ui(ui: &mut egui::Ui, v: &Voices) {
    let spoken: Vec<Bar> = v
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| Bar::new(i as f64, f64::from(m.counts.turn_words)).width(0.6))
        .collect();
    let written: Vec<Bar> = v
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| Bar::new(i as f64, f64::from(m.counts.written_words)).width(0.6))
        .collect();
    let spoken = BarChart::new("Words spoken in check-ins", spoken);
    let written = BarChart::new("Words written", written).stack_on(&[&spoken]);
    let names: Vec<String> = v.members.iter().map(|m| m.name.clone()).collect();
    Plot::new("voices-chart")
        .height(220.0)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(spoken);
            plot.bar_chart(written);
        });
}
