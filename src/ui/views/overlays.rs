//! What floats over the panels: the error dialog, confirmations, the "Undo" toast, the keyboard
//! shortcuts window, the import report, the CSV column mapping, and progress.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use egui::{Align2, Context, Id, Modal, RichText, vec2};

use crate::exchange::Progress;
use crate::exchange::contacts_csv::{self, Field};
use crate::ui::actions;
use crate::ui::command::{
    Command, Commands, Conflict, ContactCommand, FileCommand, Item, ItemCommand, NoteCommand,
};
use crate::ui::format::count_of;
use crate::ui::state::session::Session;
use crate::ui::state::window::{Confirm, CsvMapping, Leaving, Undo, UnsavedOnLeaving, WindowState};

/// What is taking a while, for the progress windows.
#[derive(Default)]
pub struct Busy {
    /// The database being opened, once that takes longer than a moment.
    pub opening: Option<(PathBuf, Duration)>,
    /// A long write on the list thread, once it takes longer than a moment.
    pub job: Option<RunningJob>,
    /// A long write is running, shown or not yet.
    pub job_running: bool,
}

pub struct RunningJob {
    pub what: &'static str,
    pub elapsed: Duration,
    pub progress: Arc<Progress>,
    pub can_cancel: bool,
}

pub fn show(
    ctx: &Context,
    window: &mut WindowState,
    mut session: Option<&mut Session>,
    busy: &Busy,
    commands: &mut Commands,
) {
    opening_progress(ctx, busy);
    job_progress(ctx, busy);
    confirmation(ctx, window, commands);
    unsaved_on_leaving(ctx, window, commands);
    if let Some(session) = session.as_deref_mut() {
        conflict(ctx, session, commands);
    }
    error(ctx, window);
    toast(ctx, window, commands);
    shortcuts(ctx, window);
    about(ctx, window, session.map(|s| s.repo.path()));
    import_report(ctx, window, commands);
    csv_mapping(ctx, window, commands);
    super::merge::duplicates(ctx, window, commands);
    super::sql_console::sql_console(ctx, window, commands);
}

/// The files an import skipped or read with something odd, and why.
fn import_report(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(report) = window.import_report.as_ref() else {
        return;
    };
    let mut open = true;
    let mut open_contact = None;
    egui::Window::new("Import report")
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    if !report.skipped.is_empty() {
                        ui.label(RichText::new("Not imported").strong());
                        for note in &report.skipped {
                            ui.label(format!("{}: {}", note.file.display(), note.reason));
                        }
                    }
                    if !report.conflicts.is_empty() {
                        ui.add_space(6.0);
                        ui.label(RichText::new("Changed in both places: both kept").strong());
                        for note in &report.conflicts {
                            ui.label(format!("{}: {}", note.file.display(), note.reason));
                        }
                    }
                    if !report.warnings.is_empty() {
                        ui.add_space(6.0);
                        ui.label(RichText::new("Imported, with a note").strong());
                        for note in &report.warnings {
                            ui.label(format!("{}: {}", note.file.display(), note.reason));
                        }
                    }
                    if !report.possible_duplicates.is_empty() {
                        ui.add_space(6.0);
                        ui.label(RichText::new("Possible duplicates, to review").strong());
                        ui.label(
                            RichText::new(
                                "Each was imported; it shares an email or phone number with \
                                 another contact.",
                            )
                            .weak(),
                        );
                        for duplicate in &report.possible_duplicates {
                            ui.horizontal_wrapped(|ui| {
                                if ui.link(&duplicate.name).clicked() {
                                    open_contact = Some(duplicate.contact);
                                }
                                ui.label("and");
                                if ui.link(&duplicate.other_name).clicked() {
                                    open_contact = Some(duplicate.other);
                                }
                                ui.label(duplicate.why());
                            });
                        }
                    }
                });
        });
    if let Some(id) = open_contact {
        commands.push(ContactCommand::GoTo(id));
    }
    if !open {
        window.import_report = None;
    }
}

/// Asks what each column of a CSV file of unknown layout holds, showing its first rows.
fn csv_mapping(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(mapping) = window.csv_mapping.as_mut() else {
        return;
    };
    let mut open = true;
    let mut answer = None;
    let file_name = mapping
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    egui::Window::new("Import contacts from CSV")
        .open(&mut open)
        .collapsible(false)
        .default_width(620.0)
        .show(ctx, |ui| {
            ui.label(format!(
                "Folio does not know the columns of {file_name}. Say what each one holds; \
                 the examples are its first rows."
            ));
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    egui::Grid::new("csv-columns")
                        .num_columns(3)
                        .striped(true)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            ui.label(RichText::new("Column").strong());
                            ui.label(RichText::new("Holds").strong());
                            ui.label(RichText::new("For example").strong());
                            ui.end_row();
                            for (column, header) in mapping.preview.headers.iter().enumerate() {
                                ui.label(header);
                                let Some(field) = mapping.fields.get_mut(column) else {
                                    continue;
                                };
                                egui::ComboBox::from_id_salt(("csv-column", column))
                                    .selected_text(CsvMapping::choice_name(column, *field))
                                    .width(140.0)
                                    // Every choice in view, none behind a scroll bar.
                                    .height(480.0)
                                    .show_ui(ui, |ui| {
                                        for (choice, name) in contacts_csv::field_choices(column) {
                                            ui.selectable_value(field, choice, name);
                                        }
                                    })
                                    .response
                                    .accessible_name(format!("What {header} holds"));
                                let examples: Vec<&str> = mapping
                                    .preview
                                    .rows
                                    .iter()
                                    .filter_map(|row| row.get(column))
                                    .map(|cell| cell.trim())
                                    .filter(|cell| !cell.is_empty())
                                    .take(3)
                                    .collect();
                                ui.label(RichText::new(examples.join(" · ")).weak());
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(6.0);
            let usable = mapping.fields.iter().any(|f| *f != Field::Ignore);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(usable, egui::Button::new("Import contacts"))
                    .clicked()
                {
                    answer = Some(FileCommand::ImportMappedCsv);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(FileCommand::CancelCsvMapping);
                }
            });
        });
    if !open {
        answer = Some(FileCommand::CancelCsvMapping);
    }
    if let Some(command) = answer {
        commands.push(command);
    }
}

fn opening_progress(ctx: &Context, busy: &Busy) {
    let Some((path, elapsed)) = &busy.opening else {
        return;
    };
    Modal::new(Id::unique("opening")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Opening {}…", path.display()));
        });
        ui.label(
            RichText::new(format!(
                "{:.0} s. A database from an older Folio is backed up and upgraded first; this can take a while for a large one.",
                elapsed.as_secs_f64()
            ))
            .weak(),
        );
    });
}

/// A long write on the list thread: the window waits for it (it may delete thousands of rows in
/// one transaction), and says so.
fn job_progress(ctx: &Context, busy: &Busy) {
    let Some(job) = &busy.job else {
        if busy.job_running {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        return;
    };
    ctx.request_repaint_after(Duration::from_millis(250));
    Modal::new(Id::unique("job")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(job.what);
        });
        let (done, total) = job.progress.fraction();
        if total > 0 {
            ui.add(egui::ProgressBar::new((done as f32 / total as f32).min(1.0)).show_percentage());
        }
        ui.label(
            RichText::new(format!(
                "{:.0} s. It happens all at once or not at all.",
                job.elapsed.as_secs_f64()
            ))
            .weak(),
        );
        if job.can_cancel {
            if job.progress.is_cancelled() {
                ui.label("Stopping…");
            } else if ui
                .button("Cancel")
                .on_hover_text("Stop; the database stays as it was")
                .clicked()
            {
                job.progress.cancel();
            }
        }
    });
}

/// Quitting or switching databases stopped because the open edit could not be saved: the text
/// stays in the window until the user says what happens to it.
fn unsaved_on_leaving(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(unsaved) = window.unsaved_on_leaving.clone() else {
        return;
    };
    let going = match &unsaved.leaving {
        Leaving::Quit => "Folio did not close".to_owned(),
        Leaving::Open(path) => format!("Folio did not open {}", path.display()),
    };
    let modal = Modal::new(Id::unique("unsaved-on-leaving")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.label(RichText::new("Your last edit is not saved").strong());
        ui.label(format!(
            "{going}, so that it is not lost. {}",
            unsaved.reason
        ));
        ui.add_space(8.0);
        if unsaved.confirm_discard {
            ui.label("Discard the unsaved text? It cannot be brought back.");
            ui.horizontal(|ui| {
                if ui.button("Keep it").clicked() {
                    window.unsaved_on_leaving = Some(UnsavedOnLeaving {
                        confirm_discard: false,
                        ..unsaved.clone()
                    });
                }
                if ui
                    .button(RichText::new("Discard").color(ui.visuals().error_fg_color))
                    .clicked()
                {
                    commands.push(FileCommand::DiscardUnsaved);
                }
            });
        } else {
            ui.horizontal(|ui| {
                if ui.button("Retry").clicked() {
                    commands.push(FileCommand::RetryLeaving);
                }
                if ui
                    .button("Save the text as a file…")
                    .on_hover_text("A note as Markdown, a contact as a vCard")
                    .clicked()
                {
                    commands.push(FileCommand::SaveUnsavedAs);
                }
                if ui.button("Discard…").clicked() {
                    commands.push(FileCommand::DiscardUnsaved);
                }
                if ui.button("Stay").clicked() {
                    commands.push(FileCommand::StayWithUnsaved);
                }
            });
        }
    });
    if modal.should_close() {
        commands.push(FileCommand::StayWithUnsaved);
    }
}

/// A save found the note or contact changed elsewhere; the text was kept as a copy. Said once.
fn conflict(ctx: &Context, session: &mut Session, commands: &mut Commands) {
    let Some(conflict) = session.conflicts.first().cloned() else {
        return;
    };
    let (what, copy_name, gone) = match &conflict {
        Conflict::Note {
            original,
            copy_title,
            ..
        } => ("note", copy_title, original.is_none()),
        Conflict::Contact {
            original,
            copy_name,
            ..
        } => ("contact", copy_name, original.is_none()),
    };
    let mut close = false;
    let modal = Modal::new(Id::unique("conflict")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.label(RichText::new("Changed elsewhere while you were editing").strong());
        if gone {
            ui.label(format!(
                "This {what} was deleted elsewhere (by another program or the command line) while you were editing it. Your text is kept as a new {what}, “{copy_name}”."
            ));
        } else {
            ui.label(format!(
                "This {what} was changed elsewhere (by another program or the command line) while you were editing it. Folio did not write over that change: your text is kept beside it as “{copy_name}”."
            ));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let open = if gone { "Open your text" } else { "Show both" };
            if ui.button(open).clicked() {
                commands.push(ItemCommand::ShowConflict(conflict.clone()));
                close = true;
            }
            if ui.button("OK").clicked() {
                close = true;
            }
        });
    });
    if close || modal.should_close() {
        session.conflicts.retain(|c| *c != conflict);
    }
}

fn confirmation(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(confirm) = window.confirm.clone() else {
        return;
    };
    let (question, consequence, action, command): (String, &str, &str, Command) = match &confirm {
        Confirm::DeletePermanently { item, title } => {
            let kind = match item {
                Item::Note(_) => "this note",
                Item::Contact(_) => "this contact",
            };
            (
                if title.trim().is_empty() {
                    format!("Delete {kind} permanently?")
                } else {
                    format!("Delete “{title}” permanently?")
                },
                match item {
                    Item::Note(_) => "This cannot be undone.",
                    Item::Contact(_) => {
                        "This cannot be undone. Notes about this person stay, without the link."
                    }
                },
                "Delete permanently",
                ItemCommand::DeletePermanently(*item).into(),
            )
        }
        Confirm::EmptyTrash { count } => (
            format!(
                "Delete the {} in the Trash permanently?",
                count_of(*count, "note")
            ),
            "This cannot be undone.",
            "Empty trash",
            NoteCommand::EmptyTrash.into(),
        ),
        Confirm::EmptyContactTrash { count } => (
            format!(
                "Delete the {} in the Trash permanently?",
                count_of(*count, "contact")
            ),
            "This cannot be undone. Notes about them stay.",
            "Empty trash",
            ContactCommand::EmptyTrash.into(),
        ),
        Confirm::ClearContacts { count } => (
            format!("Move all {} to the Trash?", count_of(*count, "contact")),
            "You can restore them from the contacts' Trash. Notes stay as they are.",
            "Clear all contacts",
            ContactCommand::Clear.into(),
        ),
    };
    let mut answered = false;
    let modal = Modal::new(Id::unique("confirm")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.label(RichText::new(question).strong());
        ui.label(consequence);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Cancel").clicked() {
                answered = true;
            }
            if ui
                .button(RichText::new(action).color(ui.visuals().error_fg_color))
                .clicked()
            {
                commands.push(command);
                answered = true;
            }
        });
    });
    if answered || modal.should_close() {
        window.confirm = None;
    }
}

fn error(ctx: &Context, window: &mut WindowState) {
    let Some(error) = window.error.clone() else {
        return;
    };
    let mut close = false;
    let modal = Modal::new(Id::unique("error")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.label(RichText::new("Something went wrong").strong());
        ui.add_space(4.0);
        ui.label(&error.message);
        if let Some(detail) = &error.detail {
            ui.add_space(4.0);
            ui.collapsing("Details", |ui| {
                ui.label(RichText::new(detail).monospace().small());
            });
        }
        ui.add_space(8.0);
        if ui.button("OK").clicked() {
            close = true;
        }
    });
    if close || modal.should_close() {
        window.error = None;
    }
}

fn toast(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(toast) = window.toast.clone() else {
        return;
    };
    let now = ctx.input(|i| i.time);
    if now >= toast.until {
        window.toast = None;
        return;
    }
    ctx.request_repaint_after(std::time::Duration::from_secs_f64(toast.until - now));
    egui::Area::new(Id::unique("toast"))
        .anchor(Align2::CENTER_BOTTOM, vec2(0.0, -36.0))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(&toast.message);
                    if let Some(undo) = toast.undo
                        && ui.button("Undo").clicked()
                    {
                        match undo {
                            Undo::Trash(item, version) => {
                                commands.push(ItemCommand::UndoTrash(item, version))
                            }
                            Undo::Merge(merge) => commands.push(ContactCommand::UndoMerge(merge)),
                        }
                    }
                    if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                        window.toast = None;
                    }
                });
            });
        });
}

/// The version, and where the database and the log are: what a bug report needs.
fn about(ctx: &Context, window: &mut WindowState, database: Option<&Path>) {
    if !window.show_about {
        return;
    }
    let database = database.map_or("(none open)".to_owned(), |p| p.display().to_string());
    let log = crate::logging::log_file().map_or("(no log on this system)".to_owned(), |p| {
        p.display().to_string()
    });
    egui::Window::new("About Folio")
        .open(&mut window.show_about)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label(RichText::new(format!("Folio {}", env!("CARGO_PKG_VERSION"))).heading());
            ui.label("Local-first notes and contacts in one file.");
            ui.add_space(8.0);
            egui::Grid::new("about").num_columns(2).show(ui, |ui| {
                ui.label(RichText::new("Database").weak());
                ui.add(egui::Label::new(&database).selectable(true));
                ui.end_row();
                ui.label(RichText::new("Log").weak());
                ui.add(egui::Label::new(&log).selectable(true));
                ui.end_row();
            });
            ui.add_space(6.0);
            ui.label(
                RichText::new("Attach the log to a bug report: it records what Folio did and the errors it met, not what your notes say.")
                    .small()
                    .weak(),
            );
        });
}

/// Every shortcut, from the action table, in the words of this system (Cmd on macOS).
fn shortcuts(ctx: &Context, window: &mut WindowState) {
    if !window.show_shortcuts {
        return;
    }
    let rows = actions::shortcut_rows(|key| ctx.format_shortcut(key));
    egui::Window::new("Keyboard shortcuts")
        .open(&mut window.show_shortcuts)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (keys, action) in &rows {
                    ui.label(RichText::new(keys).monospace());
                    ui.label(*action);
                    ui.end_row();
                }
            });
        });
}
