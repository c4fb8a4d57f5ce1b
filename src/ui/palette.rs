//! "Go to anything" (Ctrl+K): one box that finds notes by title and contacts by name as the
//! user types. The list thread answers, so typing never waits for a query.

use egui::{Context, Id, Key, Modal, Modifiers, RichText, TextEdit, vec2};

use super::app::{Command, FolioApp, PALETTE_ID};
use super::contact_editor::display_label;
use crate::db::GoToHit;

pub fn show(ctx: &Context, app: &mut FolioApp) {
    let Some(session) = app.session.as_mut() else {
        return;
    };
    let Some(palette) = session.palette.as_mut() else {
        return;
    };
    let commands = &mut app.commands;
    let count = palette.results.len();
    // Taken before the text box sees them, which would move its cursor instead.
    let (down, up, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::Enter),
        )
    });
    if down && count > 0 {
        palette.highlighted = (palette.highlighted + 1).min(count - 1);
    }
    if up {
        palette.highlighted = palette.highlighted.saturating_sub(1);
    }
    if enter {
        palette.open_when_current = true;
    }
    let mut chosen: Option<GoToHit> = None;
    if palette.open_when_current && palette.is_current() {
        palette.open_when_current = false;
        chosen = palette.results.get(palette.highlighted).cloned();
    }
    let modal = Modal::new(Id::unique("go-to-anything-modal")).show(ctx, |ui| {
        ui.set_width(520.0);
        let input = ui
            .add(
                TextEdit::singleline(&mut palette.text)
                    .id(Id::unique(PALETTE_ID))
                    .hint_text("Go to a note or contact…")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Go to anything");
        if !input.has_focus() && chosen.is_none() {
            input.request_focus();
        }
        if input.changed() {
            palette.open_when_current = false;
        }
        ui.add_space(6.0);
        if palette.text.trim().is_empty() {
            ui.label(RichText::new("Type part of a note's title or a person's name.").weak());
            return;
        }
        if palette.results.is_empty() && palette.is_current() {
            ui.label(RichText::new(format!("Nothing is called “{}”", palette.text.trim())).weak());
            return;
        }
        for (index, hit) in palette.results.iter().enumerate() {
            let (kind, label, detail) = match hit {
                GoToHit::Note { title, .. } => (
                    "Note",
                    if title.trim().is_empty() {
                        "Untitled"
                    } else {
                        title.as_str()
                    },
                    String::new(),
                ),
                GoToHit::Contact { name, detail, .. } => {
                    ("Contact", display_label(name), detail.clone())
                }
            };
            let response = ui.add_sized(
                vec2(ui.available_width(), 24.0),
                egui::Button::selectable(index == palette.highlighted, label)
                    .right_text(RichText::new(format!("{detail}  {kind}")).weak()),
            );
            let response = response.accessible_name(format!("{kind}: {label}"));
            if response.hovered() && ui.input(|i| i.pointer.delta() != egui::Vec2::ZERO) {
                palette.highlighted = index;
            }
            if response.clicked() {
                chosen = Some(hit.clone());
            }
        }
        ui.add_space(4.0);
        ui.label(
            RichText::new("Up/Down to choose, Enter to open, Esc to close")
                .small()
                .weak(),
        );
    });
    if let Some(hit) = chosen {
        commands.push(Command::ClosePalette);
        commands.push(match hit {
            GoToHit::Note { id, .. } => Command::GoToNote(id),
            GoToHit::Contact { id, .. } => Command::GoToContact(id),
        });
    } else if modal.should_close() {
        commands.push(Command::ClosePalette);
    }
}
