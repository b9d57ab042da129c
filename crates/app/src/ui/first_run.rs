//! First run: how this computer connects (nothing is sent until a choice is made), then
//! found a notebook or join one with an invite ticket, with progress while it arrives.

use super::{Draw, heading_ui, labelled_text_ui};
use crate::logic::Command;
use crate::runtime::Joining;
use stones_sync::net::NetMode;

/// The choices of how to connect, in plain words.
pub const MODES: [(NetMode, &str); 3] = [
    (NetMode::Off, "Only this computer"),
    (NetMode::Lan, "This room / this network"),
    (NetMode::Internet, "Also over the internet"),
];

/// The network choice, as on first run and in the top bar's menu.
pub fn network_choice_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    for (mode, words) in MODES {
        let chosen = d.rt.mode_chosen && d.rt.mode == mode;
        if ui.radio(chosen, words).clicked() && !chosen {
            let relay = d.forms.relay.clone();
            d.send(Command::ChooseNetwork { mode, relay });
        }
    }
    labelled_text_ui(
        ui,
        "Relay URL (optional, for the internet)",
        &mut d.forms.relay,
    );
}

/// The first-run page.
pub fn first_run_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    heading_ui(ui, "Welcome to Stepping Stones");
    ui.label("A shared notebook for a group that meets, kept on each member's computer.");
    ui.add_space(12.0);
    ui.strong("How does this computer connect to the group?");
    if !d.rt.mode_chosen {
        ui.label("Nothing is sent over any network until you choose.");
    }
    network_choice_ui(ui, d);
    ui.add_space(12.0);
    ui.separator();
    you_ui(ui, d);
    ui.columns(2, |cols| {
        create_ui(&mut cols[0], d);
        join_ui(&mut cols[1], d);
    });
}

fn you_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    labelled_text_ui(ui, "Your name", &mut d.forms.name);
    labelled_text_ui(ui, "Your sector", &mut d.forms.sector);
}

fn create_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    ui.strong("Start a notebook");
    labelled_text_ui(ui, "Notebook title", &mut d.forms.title);
    labelled_text_ui(ui, "What the group is for", &mut d.forms.purpose);
    if ui.button("Create the notebook").clicked() {
        let f = &d.forms;
        let cmd = Command::CreateNotebook {
            title: f.title.clone(),
            purpose: f.purpose.clone(),
            name: f.name.clone(),
            sector: f.sector.clone(),
        };
        d.send(cmd);
    }
}

fn join_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    ui.strong("Join a notebook");
    ui.label("Paste the invite a member gave you.");
    labelled_text_ui(ui, "Invite ticket", &mut d.forms.ticket);
    match d.rt.joining {
        Some(Joining::Asking) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Asking the inviting computer to let you in…");
            });
        }
        Some(Joining::Fetching(_)) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Let in: the notebook is arriving…");
            });
        }
        Some(Joining::AskWhoYouAre(ref name)) => {
            let name = name.clone();
            ui.label(format!(
                "The group already has a member called {name}, added before they had a \
                 computer of their own. Is that you?"
            ));
            ui.horizontal_wrapped(|ui| {
                if ui.button(format!("Yes, I am {name}")).clicked() {
                    let f = &d.forms;
                    let cmd = Command::Join {
                        ticket: f.ticket.clone(),
                        name: name.clone(),
                        sector: f.sector.clone(),
                        as_member: true,
                    };
                    d.send(cmd);
                }
                if ui.button("No, I am someone else").clicked() {
                    d.send(Command::ForgetJoin);
                }
            });
        }
        None => {
            if ui.button("Join").clicked() {
                let f = &d.forms;
                let cmd = Command::Join {
                    ticket: f.ticket.clone(),
                    name: f.name.clone(),
                    sector: f.sector.clone(),
                    as_member: false,
                };
                d.send(cmd);
            }
        }
    }
}
