//! View → SQL console: the tables and their columns beside a query editor, example questions,
//! and the answer in a table that draws only the rows in view, with Copy and Export as CSV.

use egui::{Align2, Context, RichText, ScrollArea, TextEdit, vec2};

use crate::ui::command::{Commands, FileCommand, ViewCommand};
use crate::ui::state::sql_console::{EXAMPLES, SqlConsoleWindow};
use crate::ui::state::window::WindowState;

/// The height of one row of the answer, in points.
const ROW_HEIGHT: f32 = 20.0;
/// No column of the answer is narrower than this, in points.
const NARROWEST_COLUMN: f32 = 90.0;

pub fn sql_console(ctx: &Context, window: &mut WindowState, commands: &mut Commands) {
    let Some(console) = window.sql_console.as_mut() else {
        return;
    };
    let mut open = true;
    egui::Window::new("SQL console")
        .open(&mut open)
        .anchor(Align2::CENTER_TOP, vec2(0.0, 40.0))
        .default_size(vec2(980.0, 620.0))
        .collapsible(false)
        .resizable(true)
        .show(ctx, |ui| {
            egui::Panel::left("sql-schema")
                .resizable(true)
                .default_size(230.0)
                .show(ui, |ui| schema(ui, console));
            question(ui, console, commands);
            ui.separator();
            answer(ui, console, commands);
        });
    if !open {
        commands.push(ViewCommand::CloseSqlConsole);
    }
}

/// The tables, each with a line on what it holds and its columns.
fn schema(ui: &mut egui::Ui, console: &SqlConsoleWindow) {
    ui.label(RichText::new("Tables").strong());
    ScrollArea::vertical()
        .id_salt("sql-schema-scroll")
        .show(ui, |ui| {
            for table in &console.schema {
                egui::CollapsingHeader::new(RichText::new(&table.name).monospace())
                    .id_salt(("sql-table", &table.name))
                    .show(ui, |ui| {
                        ui.label(RichText::new(table.about).small().weak());
                        for column in &table.columns {
                            ui.label(RichText::new(column).monospace().small());
                        }
                    })
                    .header_response
                    .on_hover_text(table.about);
            }
        });
}

/// The examples, the editor, and Run (Ctrl+Enter) or Cancel.
fn question(ui: &mut egui::Ui, console: &mut SqlConsoleWindow, commands: &mut Commands) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Examples:").weak());
        for (name, sql) in EXAMPLES {
            if ui.small_button(*name).clicked() {
                console.text = (*sql).to_owned();
            }
        }
    });
    let editor = ui
        .add(
            TextEdit::multiline(&mut console.text)
                .code_editor()
                .desired_rows(6)
                .desired_width(f32::INFINITY)
                .hint_text("SELECT … (read-only: nothing typed here can change the database)"),
        )
        .accessible_name("SQL");
    let run_keys = editor.has_focus()
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
    ui.horizontal(|ui| {
        match console.running {
            Some(since) => {
                ui.spinner();
                ui.label(format!("Running… {:.1} s", since.elapsed().as_secs_f64()));
                // Keep the seconds moving while it runs.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200));
                if ui.button("Cancel").clicked() {
                    commands.push(ViewCommand::CancelSql);
                }
            }
            None => {
                if ui.button("Run").on_hover_text("Ctrl+Enter").clicked() || run_keys {
                    commands.push(ViewCommand::RunSql);
                }
            }
        }
        if let Some((line, is_error)) = &console.status {
            let text = RichText::new(line);
            ui.label(if *is_error {
                text.color(ui.visuals().error_fg_color)
            } else {
                text.weak()
            });
        }
    });
}

/// The answer: its columns, then only the rows in view, however many there are.
fn answer(ui: &mut egui::Ui, console: &SqlConsoleWindow, commands: &mut Commands) {
    let Some(answer) = console.answer.as_ref() else {
        ui.label(RichText::new("The answer shows here.").weak());
        return;
    };
    ui.horizontal(|ui| {
        if ui
            .button("Copy")
            .on_hover_text("As tab-separated text")
            .clicked()
        {
            commands.push(ViewCommand::CopySqlAnswer);
        }
        if ui.button("Export as CSV…").clicked() {
            commands.push(FileCommand::ExportSqlAnswer);
        }
    });
    let columns = answer.columns.len().max(1);
    let width = (ui.available_width() / columns as f32).max(NARROWEST_COLUMN);
    // Each cell as wide as its column, its text from the left, cut with "…" when longer.
    let cell = |ui: &mut egui::Ui, text: RichText| {
        ui.allocate_ui_with_layout(
            vec2(width, ROW_HEIGHT),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_width(width);
                ui.add(egui::Label::new(text).truncate());
            },
        );
    };
    ScrollArea::horizontal()
        .id_salt("sql-answer-wide")
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    for column in &answer.columns {
                        cell(ui, RichText::new(column).strong().monospace());
                    }
                });
                ScrollArea::vertical()
                    .id_salt("sql-answer-rows")
                    .auto_shrink([false, false])
                    .show_rows(ui, ROW_HEIGHT, answer.rows.len(), |ui, rows| {
                        for row in &answer.rows[rows] {
                            ui.horizontal(|ui| {
                                for value in row {
                                    // The start of a long value: the row is cut to the column
                                    // anyway, and a frame never copies a megabyte.
                                    cell(ui, RichText::new(value.preview(200)).monospace());
                                }
                            });
                        }
                    });
            });
        });
}
