//! "Go to anything" (Ctrl+K): one box that finds notes by title and contacts by name as the
//! user types, and the actions whose names match ("exp html" → Export notes as HTML…). The
//! list thread finds the notes and contacts, so typing never waits for a query; the actions
//! come from the action table.

use egui::{Context, Id, Key, Modal, Modifiers, RichText, TextEdit, vec2};

use crate::db::GoToHit;
use crate::ui::actions::{self, Situation};
use crate::ui::command::{Command, Commands, ContactCommand, NoteCommand, PALETTE_ID, ViewCommand};
use crate::ui::state::contact_editor::display_label;
use crate::ui::state::session::Session;

/// One line of the palette.
enum Entry<'a> {
    Hit(&'a GoToHit),
    Action(&'static actions::Action),
}

impl Entry<'_> {
    /// What the line says: its kind, its name and a detail.
    fn words(&self, ctx: &Context) -> (&'static str, &str, String) {
        match self {
            Entry::Hit(GoToHit::Note { title, .. }) => (
                "Note",
                if title.trim().is_empty() {
                    "Untitled"
                } else {
                    title.as_str()
                },
                String::new(),
            ),
            Entry::Hit(GoToHit::Contact { name, detail, .. }) => {
                ("Contact", display_label(name), detail.clone())
            }
            Entry::Action(action) => (
                "Action",
                action.name,
                action
                    .keys
                    .first()
                    .map(|key| ctx.format_shortcut(key))
                    .unwrap_or_default(),
            ),
        }
    }

    fn command(&self, situation: &Situation) -> Option<Command> {
        match self {
            Entry::Hit(GoToHit::Note { id, .. }) => Some(NoteCommand::GoTo(*id).into()),
            Entry::Hit(GoToHit::Contact { id, .. }) => Some(ContactCommand::GoTo(*id).into()),
            Entry::Action(action) => action.command(situation),
        }
    }
}

pub fn show(ctx: &Context, session: &mut Session, situation: &Situation, commands: &mut Commands) {
    let Some(palette) = session.palette.as_mut() else {
        return;
    };
    let actions = actions::matching(&palette.text, situation);
    // A copy of the few hits shown, so the text box can change while they are drawn.
    let hits = palette.results.clone();
    let entries: Vec<Entry> = hits
        .iter()
        .map(Entry::Hit)
        .chain(actions.into_iter().map(Entry::Action))
        .collect();
    let count = entries.len();
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
    let mut chosen: Option<usize> = None;
    if palette.open_when_current && palette.is_current() {
        palette.open_when_current = false;
        chosen = (palette.highlighted < count).then_some(palette.highlighted);
    }
    let mut highlighted = palette.highlighted;
    let modal = Modal::new(Id::unique("go-to-anything-modal")).show(ctx, |ui| {
        ui.set_width(520.0);
        let input = ui
            .add(
                TextEdit::singleline(&mut palette.text)
                    .id(Id::unique(PALETTE_ID))
                    .hint_text("Go to a note, a contact or an action…")
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
            ui.label(
                RichText::new("Type part of a note's title, a person's name or an action.").weak(),
            );
            return;
        }
        if entries.is_empty() && palette.is_current() {
            ui.label(RichText::new(format!("Nothing is called “{}”", palette.text.trim())).weak());
            return;
        }
        for (index, entry) in entries.iter().enumerate() {
            let (kind, label, detail) = entry.words(ctx);
            let response = ui.add_sized(
                vec2(ui.available_width(), 24.0),
                egui::Button::selectable(index == highlighted, label)
                    .right_text(RichText::new(format!("{detail}  {kind}")).weak()),
            );
            let response = response.accessible_name(format!("{kind}: {label}"));
            if response.hovered() && ui.input(|i| i.pointer.delta() != egui::Vec2::ZERO) {
                highlighted = index;
            }
            if response.clicked() {
                chosen = Some(index);
            }
        }
        ui.add_space(4.0);
        ui.label(
            RichText::new("Up/Down to choose, Enter to open, Esc to close")
                .small()
                .weak(),
        );
    });
    palette.highlighted = highlighted;
    if let Some(index) = chosen {
        let command = entries
            .get(index)
            .and_then(|entry| entry.command(situation));
        commands.push(ViewCommand::ClosePalette);
        if let Some(command) = command {
            commands.push(command);
        }
    } else if modal.should_close() {
        commands.push(ViewCommand::ClosePalette);
    }
}
