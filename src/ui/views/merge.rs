//! Find duplicates: the likely pairs with why, and two contacts side by side to merge. A
//! field with one value shows both values to pick from where they differ; the rest is shown
//! as the merged contact will hold it.

use egui::{Align2, Context, RichText, ScrollArea, vec2};

use crate::db::{ContactDraft, OneValued};
use crate::ui::command::{Commands, ContactCommand};
use crate::ui::format::count_of;
use crate::ui::state::window::{MergeChoice, WindowState};

pub fn duplicates(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(duplicates) = window.duplicates.as_mut() else {
        return;
    };
    let mut open = true;
    match duplicates.merging.as_mut() {
        Some(choice) => {
            let mut back = false;
            egui::Window::new("Merge two contacts")
                .open(&mut open)
                .anchor(Align2::CENTER_TOP, vec2(0.0, 48.0))
                .collapsible(false)
                .default_width(640.0)
                .show(ctx, |ui| back = merge_window(ui, choice, commands));
            if back {
                duplicates.merging = None;
            }
        }
        None => {
            egui::Window::new("Find duplicates")
                .open(&mut open)
                .anchor(Align2::CENTER_TOP, vec2(0.0, 48.0))
                .collapsible(false)
                .default_width(560.0)
                .show(ctx, |ui| {
                    if duplicates.pairs.is_empty() {
                        ui.label("No likely duplicates: no two contacts share an email or a phone number, or a name and one more field.");
                        return;
                    }
                    ui.label(format!(
                        "{} that may be one person each. Compare a pair to merge it.",
                        count_of(duplicates.pairs.len() as i64, "pair")
                    ));
                    ui.add_space(6.0);
                    // Only the rows in view are drawn: a large book can have thousands of pairs.
                    let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
                    let pairs = &duplicates.pairs;
                    ScrollArea::vertical().max_height(420.0).show_rows(
                        ui,
                        row_height,
                        pairs.len(),
                        |ui, rows| {
                        for pair in &pairs[rows] {
                            ui.horizontal(|ui| {
                                let compare = ui
                                    .button("Compare…")
                                    .on_hover_text("Show them side by side, to merge")
                                    .accessible_name(format!(
                                        "Compare {} and {}",
                                        pair.name, pair.other_name
                                    ));
                                if compare.clicked() {
                                    commands.push(ContactCommand::CompareForMerge(
                                        pair.contact,
                                        pair.other,
                                    ));
                                }
                                ui.label(RichText::new(&pair.name).strong());
                                ui.label("and");
                                ui.label(RichText::new(&pair.other_name).strong());
                                ui.label(RichText::new(pair.why()).weak());
                            });
                        }
                    },
                    );
                });
        }
    }
    if !open {
        window.duplicates = None;
    }
}

/// The two contacts side by side. Returns true when the user went back to the list.
fn merge_window(ui: &mut egui::Ui, choice: &mut MergeChoice, commands: &mut Commands) -> bool {
    ui.label(format!(
        "{} stays; {} is merged into it and goes to the Trash.",
        choice.kept.name, choice.other.name
    ));
    ui.label(
        RichText::new(
            "Where they differ, click the value to keep. Emails, phones, addresses, websites, \
             dates, relations, profiles, groups and notes of both are kept.",
        )
        .weak(),
    );
    ui.add_space(6.0);
    egui::Grid::new("merge-fields")
        .num_columns(3)
        .spacing(vec2(16.0, 6.0))
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new(&choice.kept.name).strong());
            ui.label(RichText::new(&choice.other.name).strong());
            ui.end_row();
            for field in OneValued::ALL {
                let (kept, other) = (
                    field.text(&choice.kept.draft),
                    field.text(&choice.other.draft),
                );
                if kept.is_empty() && other.is_empty() {
                    continue;
                }
                ui.label(field.name());
                if choice.conflicts.contains(&field) {
                    let from_other = choice.from_other.contains(&field);
                    let pick_kept = ui
                        .selectable_label(!from_other, &kept)
                        .accessible_name(format!("Keep {} {kept}", field.name()));
                    let pick_other = ui
                        .selectable_label(from_other, &other)
                        .accessible_name(format!("Keep {} {other}", field.name()));
                    if pick_kept.clicked() {
                        choice.from_other.retain(|f| *f != field);
                    }
                    if pick_other.clicked() && !from_other {
                        choice.from_other.push(field);
                    }
                } else {
                    // One of them is empty, or both say the same: nothing to choose.
                    ui.label(&kept);
                    ui.label(&other);
                }
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(RichText::new("The merged contact will have").strong());
    for (what, values) in joined_values(&choice.merged()) {
        if !values.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(what).weak());
                ui.label(values.join(" · "));
            });
        }
    }
    ui.add_space(8.0);
    let mut back = false;
    ui.horizontal(|ui| {
        if ui
            .button(format!("Merge into {}", choice.kept.name))
            .accessible_name("Merge")
            .clicked()
        {
            commands.push(ContactCommand::Merge);
        }
        if ui
            .button(format!("Keep {} instead", choice.other.name))
            .accessible_name("Keep the other one instead")
            .clicked()
        {
            commands.push(ContactCommand::SwapMergeSides);
        }
        if ui.button("Back to the list").clicked() {
            back = true;
        }
    });
    back
}

/// The many-valued fields of the merged contact, as words.
fn joined_values(c: &ContactDraft) -> [(&'static str, Vec<String>); 9] {
    [
        (
            "Emails",
            c.emails.iter().map(|e| e.address.clone()).collect(),
        ),
        (
            "Phones",
            c.phones.iter().map(|p| p.number.clone()).collect(),
        ),
        (
            "Addresses",
            c.addresses
                .iter()
                .map(|a| {
                    [&a.street, &a.locality, &a.country]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .map(|s| s.replace('\n', ", "))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect(),
        ),
        (
            "Websites",
            c.websites.iter().map(|w| w.url.clone()).collect(),
        ),
        (
            "Dates",
            c.dates
                .iter()
                .map(|d| format!("{} {}", d.label, d.date.iso()))
                .collect(),
        ),
        (
            "Related",
            c.related
                .iter()
                .map(|r| format!("{} ({})", r.name, r.label))
                .collect(),
        ),
        (
            "Profiles",
            c.profiles
                .iter()
                .map(|p| format!("{} {}", p.service, p.handle))
                .collect(),
        ),
        ("Groups", c.groups.clone()),
        (
            "Notes",
            (!c.notes.trim().is_empty())
                .then(|| c.notes.lines().next().unwrap_or("").to_owned() + "…")
                .into_iter()
                .collect(),
        ),
    ]
}
