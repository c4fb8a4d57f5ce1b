//! Note → History…: the note's revisions on the left (time, size, the first line that
//! changed after it), the one selected beside the current text on the right with the changed
//! lines and words marked, and Restore. A second view lists the notes deleted for good.

use egui::text::{LayoutJob, TextFormat};
use egui::{Align2, Color32, Context, FontId, RichText, ScrollArea, vec2};

use crate::db::HistoryRetention;
use crate::history::{Mark, Side};
use crate::ui::command::{Commands, NoteCommand, ViewCommand};
use crate::ui::format::{byte_size, count_of, long_date};
use crate::ui::state::history::{HistoryView, HistoryWindow, NoteHistory};
use crate::ui::state::window::WindowState;
use crate::ui::widgets::list;

pub fn history(
    ctx: &Context,
    window: &mut WindowState,
    retention: &HistoryRetention,
    commands: &mut Commands,
) {
    let Some(history) = window.history.as_mut() else {
        return;
    };
    let mut open = true;
    egui::Window::new("History")
        .open(&mut open)
        .anchor(Align2::CENTER_TOP, vec2(0.0, 40.0))
        .default_size(vec2(1000.0, 640.0))
        .collapsible(false)
        .resizable(true)
        .show(ctx, |ui| {
            tabs(ui, history, commands);
            keep_history(ui, history, retention, commands);
            ui.separator();
            if let Some(error) = &history.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            match &history.view {
                HistoryView::Note(_) => note_history(ui, history, commands),
                HistoryView::Deleted => deleted_notes(ui, history, commands),
            }
        });
    if !open {
        commands.push(ViewCommand::CloseHistory);
    }
}

fn tabs(ui: &mut egui::Ui, history: &HistoryWindow, commands: &mut Commands) {
    ui.horizontal(|ui| {
        let on_note = matches!(history.view, HistoryView::Note(_));
        let title = history
            .history
            .as_ref()
            .map(|h| match &h.current {
                Some(note) if note.title.trim().is_empty() => "Untitled".to_owned(),
                Some(note) => note.title.clone(),
                None => h
                    .rows
                    .first()
                    .map(|r| format!("{} (deleted)", r.revision.summary.title))
                    .unwrap_or_default(),
            })
            .unwrap_or_else(|| "This note".to_owned());
        if on_note {
            let _ = ui.selectable_label(true, RichText::new(title).strong());
        }
        if ui
            .selectable_label(!on_note, "Deleted notes")
            .on_hover_text("Notes deleted for good, kept in the history until it is thinned")
            .clicked()
            && on_note
        {
            commands.push(ViewCommand::ShowDeletedNotes);
        }
        if history.loading.is_some() {
            ui.spinner();
        }
    });
}

/// How long revisions are kept, folded away under one line. Changes take effect on Apply:
/// a number dragged down on the way to another must not thin anything.
fn keep_history(
    ui: &mut egui::Ui,
    history: &mut HistoryWindow,
    retention: &HistoryRetention,
    commands: &mut Commands,
) {
    let summary = if retention.keep_everything {
        "every version for ever".to_owned()
    } else {
        let months = match retention.monthly_months {
            None => "then one a month for ever".to_owned(),
            Some(0) => "then none".to_owned(),
            Some(n) => format!("then one a month for {}", count_of(i64::from(n), "month")),
        };
        format!(
            "every version for {}, one a day until {} old, {months}",
            count_of(i64::from(retention.all_days), "day"),
            count_of(i64::from(retention.daily_days), "day"),
        )
    };
    egui::CollapsingHeader::new(format!("Keep history: {summary}"))
        .id_salt("keep-history")
        .show(ui, |ui| {
            let changed = history.retention_draft.get_or_insert(*retention);
            ui.checkbox(&mut changed.keep_everything, "Keep every version for ever");
            ui.add_enabled_ui(!changed.keep_everything, |ui| {
                ui.horizontal(|ui| {
                    ui.label("Every version for");
                    ui.add(egui::DragValue::new(&mut changed.all_days).range(1..=3650))
                        .on_hover_text("days");
                    ui.label("days, then the last of each day until");
                    ui.add(egui::DragValue::new(&mut changed.daily_days).range(1..=3650))
                        .on_hover_text("days");
                    ui.label("days old,");
                });
                ui.horizontal(|ui| {
                    ui.label("then the last of each month:");
                    let mut forever = changed.monthly_months.is_none();
                    if ui.radio_value(&mut forever, true, "for ever").clicked() {
                        changed.monthly_months = None;
                    }
                    if ui.radio_value(&mut forever, false, "for").clicked()
                        && changed.monthly_months.is_none()
                    {
                        changed.monthly_months = Some(24);
                    }
                    if let Some(months) = changed.monthly_months.as_mut() {
                        ui.add(egui::DragValue::new(months).range(0..=1200));
                        ui.label("months");
                    }
                });
            });
            ui.label(
                RichText::new(
                    "Revisions age from when they were kept. Those the rule no longer keeps \
                     are removed while Folio is idle, for good; notes deleted for good follow \
                     the same rule.",
                )
                .small()
                .weak(),
            );
            let changed = *changed;
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(changed != *retention, egui::Button::new("Apply"))
                    .clicked()
                {
                    commands.push(ViewCommand::SetHistoryRetention(changed));
                }
                if ui
                    .add_enabled(changed != *retention, egui::Button::new("Revert"))
                    .clicked()
                {
                    history.retention_draft = Some(*retention);
                }
            });
        });
}

fn note_history(ui: &mut egui::Ui, window: &HistoryWindow, commands: &mut Commands) {
    let Some(history) = window.history.as_ref() else {
        ui.label(RichText::new("Reading the history…").weak());
        return;
    };
    if history.rows.is_empty() {
        ui.label(
            "No earlier versions of this note yet. Folio keeps the text as it was each time \
             you come back to edit it (after opening another note, or five minutes without \
             typing), and before the trash, delete for good, an import or a restore replaces \
             it.",
        );
        return;
    }
    egui::Panel::left("history-revisions")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| revision_list(ui, window, history, commands));
    comparison(ui, window, history, commands);
}

fn revision_list(
    ui: &mut egui::Ui,
    window: &HistoryWindow,
    history: &NoteHistory,
    commands: &mut Commands,
) {
    ui.label(
        RichText::new(format!(
            "{}, newest first",
            count_of(history.rows.len() as i64, "version")
        ))
        .weak(),
    );
    ScrollArea::vertical()
        .id_salt("history-revisions-scroll")
        .auto_shrink([false, false])
        .show_rows(ui, list::row_height(ui), history.rows.len(), |ui, rows| {
            for row in &history.rows[rows] {
                let summary = &row.revision.summary;
                let selected = window.selected == Some(summary.id);
                let changed = if row.first_change.is_empty() {
                    summary.reason.describe().to_owned()
                } else {
                    row.first_change.clone()
                };
                let top = format!(
                    "{} · {}",
                    long_date(summary.saved),
                    byte_size(summary.bytes)
                );
                let response = two_line_row(ui, selected, &top, &changed).on_hover_text(format!(
                    "“{}”, saved {}, kept {}",
                    summary.title,
                    long_date(summary.saved),
                    summary.reason.describe()
                ));
                if response.clicked() {
                    commands.push(ViewCommand::SelectRevision(summary.id));
                }
            }
        });
}

fn comparison(
    ui: &mut egui::Ui,
    window: &HistoryWindow,
    history: &NoteHistory,
    commands: &mut Commands,
) {
    let (Some(row), Some((newest_title, _, newest_tags))) =
        (window.selected_row(), history.newest_text())
    else {
        ui.label(RichText::new("Choose a version on the left.").weak());
        return;
    };
    let summary = &row.revision.summary;
    let deleted = history.current.is_none();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "Saved {} · kept {}",
                long_date(summary.saved),
                summary.reason.describe()
            ))
            .strong(),
        );
        let label = if deleted {
            "Bring back this version"
        } else {
            "Restore this version"
        };
        let hover = if deleted {
            "The note comes back with this text, under its old identity"
        } else {
            "The note gets this text, title and tags again; its text now is kept in the history"
        };
        if ui.button(label).on_hover_text(hover).clicked() {
            commands.push(NoteCommand::RestoreRevision(summary.id));
        }
    });
    if summary.title != newest_title {
        ui.label(format!(
            "Title then: “{}” (now “{newest_title}”)",
            summary.title
        ));
    }
    if row.revision.tags != newest_tags {
        ui.label(format!(
            "Tags then: {} (now {})",
            tag_list(&row.revision.tags),
            tag_list(&newest_tags)
        ));
    }
    let Some((_, compared)) = window.comparison.as_ref() else {
        return;
    };
    ui.label(
        RichText::new(format!(
            "{} in this version only, {} {} only",
            count_of(compared.lines_removed as i64, "line"),
            count_of(compared.lines_added as i64, "line"),
            if deleted {
                "in the last version"
            } else {
                "now"
            }
        ))
        .weak(),
    );
    ui.columns(2, |columns| {
        columns[0].label(RichText::new("This version").strong());
        side(&mut columns[0], "history-older", &compared.older, false);
        columns[1].label(RichText::new(if deleted { "Last version" } else { "Now" }).strong());
        side(&mut columns[1], "history-newer", &compared.newer, true);
    });
}

/// A row of a list as the notes and contacts lists draw theirs: a line, and under it a smaller
/// one, both cut to the width; screen readers (and tests) read both lines.
fn two_line_row(ui: &mut egui::Ui, selected: bool, top: &str, below: &str) -> egui::Response {
    let height = list::row_height(ui);
    let (response, paint) = list::begin_row(ui, height, selected, &format!("{top}\n{below}"));
    if let Some(row) = paint {
        let width = row.inner.width();
        let line = |text: &str, font: FontId, color: Color32| {
            let job = list::highlighted(text, &[], font, color, row.highlight, width);
            row.painter.layout_job(job)
        };
        let top = line(top, row.body_font.clone(), row.text_color);
        let below = line(below, row.small_font.clone(), row.weak);
        row.painter
            .galley(row.inner.left_top(), top, row.text_color);
        let under = egui::pos2(row.inner.left(), row.inner.bottom() - below.size().y);
        row.painter.galley(under, below, row.weak);
    }
    response
}

fn tag_list(tags: &[String]) -> String {
    if tags.is_empty() {
        "none".to_owned()
    } else {
        tags.join(", ")
    }
}

/// One side of the comparison, its changes marked: red on the older side, green on the
/// newer, stronger on the words that differ.
fn side(ui: &mut egui::Ui, id: &str, pieces: &Side, newer: bool) {
    let dark = ui.visuals().dark_mode;
    let (line, words) = match (newer, dark) {
        (false, false) => (
            Color32::from_rgb(255, 228, 228),
            Color32::from_rgb(255, 170, 170),
        ),
        (true, false) => (
            Color32::from_rgb(222, 248, 226),
            Color32::from_rgb(150, 225, 160),
        ),
        (false, true) => (
            Color32::from_rgb(80, 30, 30),
            Color32::from_rgb(140, 45, 45),
        ),
        (true, true) => (
            Color32::from_rgb(25, 65, 35),
            Color32::from_rgb(35, 115, 55),
        ),
    };
    let text_color = ui.visuals().text_color();
    let font = FontId::monospace(13.0);
    let mut job = LayoutJob::default();
    for (mark, text) in pieces {
        let background = match mark {
            Mark::Same => Color32::TRANSPARENT,
            Mark::ChangedLine => line,
            Mark::ChangedWords => words,
        };
        job.append(
            text,
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: text_color,
                background,
                ..TextFormat::default()
            },
        );
    }
    job.wrap.max_width = ui.available_width();
    ScrollArea::vertical()
        .id_salt(id)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(job);
        });
}

fn deleted_notes(ui: &mut egui::Ui, window: &HistoryWindow, commands: &mut Commands) {
    let Some(deleted) = window.deleted.as_ref() else {
        ui.label(RichText::new("Reading…").weak());
        return;
    };
    if deleted.is_empty() {
        ui.label("No note deleted for good has versions left to bring back.");
        return;
    }
    ui.label(
        RichText::new(format!(
            "{} deleted for good, most recent first. Open one to see its versions and bring it \
             back.",
            count_of(deleted.len() as i64, "note")
        ))
        .weak(),
    );
    ScrollArea::vertical()
        .id_salt("history-deleted-scroll")
        .auto_shrink([false, false])
        .show_rows(ui, list::row_height(ui), deleted.len(), |ui, rows| {
            for note in &deleted[rows] {
                let title = if note.title.trim().is_empty() {
                    "Untitled"
                } else {
                    note.title.as_str()
                };
                let below = format!(
                    "deleted {} · {}",
                    long_date(note.deleted),
                    count_of(note.revisions, "version")
                );
                if two_line_row(ui, false, title, &below).clicked() {
                    commands.push(ViewCommand::ShowHistoryOf(note.uuid.clone()));
                }
            }
        });
}
