//! The notes half of the window: the list of notes and the open note (title, tags, people,
//! and the body in Markdown, edited or previewed).

use egui::{Id, RichText, ScrollArea, TextEdit, TextStyle, Ui, vec2};

use crate::db::{NoteFilter, NoteSummary};
use crate::search::{Term, fold};
use crate::ui::command::{
    BODY_ID, Commands, ContactCommand, FileCommand, Item, ItemCommand, NoteCommand, TITLE_ID,
};
use crate::ui::format::{long_date, short_date};
use crate::ui::state::contact_editor::display_label;
use crate::ui::state::note_editor::EditorMode;
use crate::ui::state::session::Session;
use crate::ui::widgets::chips::{ChipWords, chips_with_typeahead};
use crate::ui::widgets::list::{
    PaneWords, RowPaint, begin_row, highlighted, list_pane, nothing_open,
};

fn list_title(session: &Session) -> String {
    match session.list.filter() {
        NoteFilter::All => "All notes".to_owned(),
        NoteFilter::Pinned => "Pinned".to_owned(),
        NoteFilter::Trash => "Trash".to_owned(),
        NoteFilter::Pair(..) => "Both versions".to_owned(),
        NoteFilter::Tag(id) => session
            .sidebar
            .tags
            .iter()
            .find(|u| u.tag.id == id)
            .map(|u| format!("# {}", u.tag.name))
            .unwrap_or_else(|| "Tag".to_owned()),
    }
}

pub fn note_list(ui: &mut Ui, session: &mut Session, commands: &mut Commands) {
    let title = list_title(session);
    let (headline, hint) = empty_words(session);
    let can_empty_trash =
        session.list.filter() == NoteFilter::Trash && session.list.total().unwrap_or(0) > 0;
    let terms = session.list.terms.clone();
    let clicked = list_pane(
        ui,
        &PaneWords {
            id: "note-list",
            title: &title,
            empty: (&headline, hint),
        },
        &mut session.list,
        &session.worker,
        |ui| {
            if can_empty_trash && ui.button("Empty trash…").clicked() {
                commands.push(NoteCommand::AskEmptyTrash);
            }
        },
        |ui, row, selected, height| list_row(ui, row, selected, &terms, height),
    );
    if let Some(id) = clicked {
        commands.push(NoteCommand::Select(id));
        session.list_focused = true;
    }
}

/// What the empty list says, for the search or the list on show.
fn empty_words(session: &Session) -> (String, &'static str) {
    let search = session.list.search();
    if !search.is_empty() {
        return (
            format!("No notes match “{search}”"),
            "Try fewer or shorter words. Press Esc to clear the search.",
        );
    }
    let (headline, hint) = match session.list.filter() {
        NoteFilter::Trash => (
            "Trash is empty",
            "Notes you delete wait here until you empty the trash.",
        ),
        NoteFilter::Pinned => (
            "No pinned notes",
            "Pin a note to keep it at the top of every list.",
        ),
        NoteFilter::Pair(..) => (
            "Both versions are gone",
            "They were deleted meanwhile. Choose another list on the left.",
        ),
        NoteFilter::Tag(_) => (
            "No notes with this tag",
            "Add the tag to a note in its detail pane.",
        ),
        NoteFilter::All => ("No notes yet", "Press Ctrl+N to write your first note."),
    };
    (headline.to_owned(), hint)
}

/// One list row: title and date on the first line, a snippet of the body on the second, with
/// the search's matches highlighted. Painted directly (no child widgets), so a row is one
/// accessible item named by its title. Returns whether it was clicked.
fn list_row(ui: &mut Ui, row: &NoteSummary, selected: bool, terms: &[Term], height: f32) -> bool {
    let title = if row.title.trim().is_empty() {
        "Untitled"
    } else {
        row.title.as_str()
    };
    let (response, paint) = begin_row(ui, height, selected, title);
    let Some(RowPaint {
        painter,
        inner,
        text_color,
        weak,
        highlight,
        body_font,
        small_font,
    }) = paint
    else {
        return response.clicked();
    };

    let date = painter.layout_no_wrap(short_date(row.updated), small_font.clone(), weak);
    // Pinned rows get a small accent mark before the title.
    let pin_indent = if row.pinned { 12.0 } else { 0.0 };
    if row.pinned {
        let centre = egui::pos2(inner.left() + 4.0, inner.top() + body_font.size * 0.6);
        painter.circle_filled(centre, 3.5, ui.visuals().warn_fg_color);
    }
    let title_width = (inner.width() - date.size().x - 8.0 - pin_indent).max(20.0);
    let mut title_job = highlighted(title, terms, body_font, text_color, highlight, title_width);
    if row.title.trim().is_empty() {
        title_job
            .sections
            .iter_mut()
            .for_each(|s| s.format.italics = true);
    }
    let title_galley = painter.layout_job(title_job);
    painter.galley(
        inner.left_top() + vec2(pin_indent, 0.0),
        title_galley,
        text_color,
    );
    painter.galley(
        egui::pos2(inner.right() - date.size().x, inner.top() + 2.0),
        date,
        weak,
    );
    let snippet_job = highlighted(
        &row.preview,
        terms,
        small_font,
        weak,
        highlight,
        inner.width(),
    );
    let snippet_galley = painter.layout_job(snippet_job);
    painter.galley(
        egui::pos2(inner.left(), inner.bottom() - snippet_galley.size().y),
        snippet_galley,
        weak,
    );
    response.clicked()
}

pub fn note_detail(ui: &mut Ui, session: &mut Session, commands: &mut Commands) {
    session.refresh_attachments();
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(editor) = session.editor.as_mut() else {
            nothing_open(
                ui,
                if session.sidebar.all == 0 && session.list.filter() == NoteFilter::All {
                    "No notes yet — press Ctrl+N"
                } else {
                    "Select a note, or press Ctrl+N for a new one"
                },
            );
            return;
        };
        let now = ui.input(|i| i.time);
        let id = editor.note.id;
        let read_only = editor.is_read_only();

        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut editor.mode, EditorMode::Edit, "Edit");
            ui.selectable_value(&mut editor.mode, EditorMode::Preview, "Preview");
            ui.separator();
            if read_only {
                if ui.button("Restore").clicked() {
                    commands.push(ItemCommand::Restore(Item::Note(id)));
                }
                if ui.button("Delete permanently…").clicked() {
                    commands.push(ItemCommand::AskDeletePermanently(Item::Note(id)));
                }
            } else {
                let pinned = editor.note.pinned;
                let pin_label = if pinned { "Unpin" } else { "Pin" };
                if ui
                    .selectable_label(pinned, pin_label)
                    .on_hover_text("Pinned notes stay at the top of the list")
                    .clicked()
                {
                    commands.push(NoteCommand::SetPinned(id, !pinned));
                }
                if ui
                    .button("Move to Trash")
                    .on_hover_text("Ctrl+Delete")
                    .clicked()
                {
                    commands.push(ItemCommand::Trash(Item::Note(id)));
                }
            }
        });
        if read_only {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "This note is in the Trash. Restore it to edit it.",
            );
        }
        let title = ui
            .add(
                TextEdit::singleline(&mut editor.title)
                    .id(Id::unique(TITLE_ID))
                    .hint_text("Title")
                    .font(TextStyle::Heading)
                    .interactive(!read_only)
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Title");
        if title.changed() {
            editor.mark_edited(now);
        }
        if title.has_focus() {
            session.list_focused = false;
            if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                ui.memory_mut(|m| m.request_focus(Id::unique(BODY_ID)));
            }
        }
        tags(ui, session, commands, read_only);
        people_editor(ui, session, commands, read_only);
        let Some(editor) = session.editor.as_mut() else {
            return;
        };
        ui.label(
            RichText::new(format!(
                "Created {} · Edited {}",
                long_date(editor.note.created),
                long_date(editor.note.updated)
            ))
            .small()
            .weak(),
        );
        ui.separator();
        if !editor.attachments.is_empty() {
            // Below the note, whatever the mode: drawn first so the body takes the rest.
            egui::Panel::bottom("attachments")
                .resizable(false)
                .show(ui, |ui| {
                    attachment_strip(ui, &editor.attachments, read_only, commands)
                });
        }
        if editor.mode == EditorMode::Edit && !read_only {
            // A picture pasted while the note is open (a screenshot) is attached where the
            // cursor is; text pastes go to the body as usual.
            let pasted = ui.input(|i| {
                i.events.iter().find_map(|event| match event {
                    egui::Event::PasteImage(image) => Some(image.clone()),
                    _ => None,
                })
            });
            if let Some(image) = pasted {
                let [width, height] = image.size;
                let rgba: Vec<u8> = image
                    .pixels
                    .iter()
                    .flat_map(|pixel| pixel.to_srgba_unmultiplied())
                    .collect();
                commands.push(NoteCommand::AttachPasted {
                    width: u32::try_from(width).unwrap_or(0),
                    height: u32::try_from(height).unwrap_or(0),
                    rgba: rgba.into(),
                });
            }
        }
        match editor.mode {
            EditorMode::Edit => {
                ScrollArea::vertical()
                    .id_salt("body-scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        let body = ui
                            .add(
                                TextEdit::multiline(&mut editor.body)
                                    .id(Id::unique(BODY_ID))
                                    .hint_text("Write in Markdown…")
                                    .interactive(!read_only)
                                    .desired_width(f32::INFINITY)
                                    .desired_rows(20)
                                    .min_size(vec2(0.0, ui.available_height()))
                                    .lock_focus(true),
                            )
                            .accessible_name("Body");
                        if body.changed() {
                            editor.mark_edited(now);
                        }
                        if body.has_focus() {
                            session.list_focused = false;
                        }
                    });
            }
            EditorMode::Preview => {
                ScrollArea::vertical()
                    .id_salt("preview-scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        // `attachment:UUID` pictures come from the note pictures' loader, as
                        // written (no file: scheme added to them).
                        egui_commonmark::CommonMarkViewer::new()
                            .explicit_image_uri_scheme(true)
                            .show(ui, &mut editor.markdown, &editor.body);
                        // A click on a link to an attached file opens the file in the
                        // system's program, not a browser at "attachment:…".
                        let opened: Vec<String> = ui.ctx().output_mut(|output| {
                            let mut opened = Vec::new();
                            output.commands.retain(|command| match command {
                                egui::OutputCommand::OpenUrl(open) => {
                                    match crate::db::attachment_refs(&open.url).first() {
                                        Some(uuid)
                                            if open
                                                .url
                                                .starts_with(crate::db::ATTACHMENT_SCHEME) =>
                                        {
                                            opened.push(uuid.clone());
                                            false
                                        }
                                        _ => true,
                                    }
                                }
                                _ => true,
                            });
                            opened
                        });
                        for uuid in opened {
                            commands.push(NoteCommand::OpenAttachment(uuid));
                        }
                    });
            }
        }
    });
}

/// The files the note names: a picture's thumbnail or a file's icon, its name and size, and
/// Open, Save as… and Remove.
fn attachment_strip(
    ui: &mut Ui,
    attachments: &[crate::db::Attachment],
    read_only: bool,
    commands: &mut Commands,
) {
    ui.add_space(4.0);
    ui.label(RichText::new("Attachments").weak().small());
    ScrollArea::horizontal()
        .id_salt("attachment-strip")
        .show(ui, |ui| {
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Min), |ui| {
                for attachment in attachments {
                    ui.group(|ui| {
                        ui.horizontal_top(|ui| {
                            if attachment.is_picture() {
                                ui.add(
                                    egui::Image::from_uri(format!(
                                        "{}{}",
                                        crate::db::ATTACHMENT_SCHEME,
                                        attachment.uuid
                                    ))
                                    .max_size(vec2(40.0, 40.0))
                                    .show_loading_spinner(true),
                                );
                            } else {
                                // The kind of file, in letters every font has ("PDF").
                                let kind = attachment
                                    .file_name
                                    .rsplit_once('.')
                                    .map(|(_, ext)| ext.to_uppercase())
                                    .filter(|ext| (1..=4).contains(&ext.len()))
                                    .unwrap_or_else(|| "FILE".to_owned());
                                egui::Frame::group(ui.style()).show(ui, |ui| {
                                    ui.set_min_size(vec2(30.0, 30.0));
                                    ui.label(RichText::new(kind).monospace().strong());
                                });
                            }
                            ui.vertical(|ui| {
                                ui.label(RichText::new(&attachment.file_name).strong());
                                ui.label(
                                    RichText::new(crate::exchange::html::size_text(
                                        attachment.size,
                                    ))
                                    .small()
                                    .weak(),
                                );
                                ui.horizontal(|ui| {
                                    let name = &attachment.file_name;
                                    if ui
                                        .small_button("Open")
                                        .on_hover_text("Open in the program your system uses")
                                        .accessible_name(format!("Open {name}"))
                                        .clicked()
                                    {
                                        commands.push(NoteCommand::OpenAttachment(
                                            attachment.uuid.clone(),
                                        ));
                                    }
                                    if ui
                                        .small_button("Save as…")
                                        .accessible_name(format!("Save {name} as…"))
                                        .clicked()
                                    {
                                        commands.push(FileCommand::SaveAttachment {
                                            uuid: attachment.uuid.clone(),
                                            name: name.clone(),
                                        });
                                    }
                                    if !read_only
                                        && ui
                                            .small_button("Remove")
                                            .on_hover_text("Take it out of this note")
                                            .accessible_name(format!("Remove {name}"))
                                            .clicked()
                                    {
                                        commands.push(NoteCommand::RemoveAttachment(
                                            attachment.uuid.clone(),
                                        ));
                                    }
                                });
                            });
                        });
                    });
                }
            });
        });
}

/// The note's tags as chips, and an input that suggests the tags there are.
fn tags(ui: &mut Ui, session: &mut Session, commands: &mut Commands, read_only: bool) {
    let Some(editor) = session.editor.as_mut() else {
        return;
    };
    let names = editor.tag_names();
    let changed = chips_with_typeahead(ui, &names, &mut editor.tags, &TAG_WORDS, read_only);
    if changed.typing {
        session.list_focused = false;
    }
    if let Some(name) = changed.added {
        commands.push(NoteCommand::AddTag(name));
    }
    if let Some(name) = changed.removed {
        commands.push(NoteCommand::RemoveTag(name));
    }
    if !read_only {
        session.request_suggestions(false);
    }
}

const TAG_WORDS: ChipWords = ChipWords {
    prefix: "# ",
    hint: "Add tag…",
    input_name: "Add tag",
    remove_hint: "Remove this tag",
};

/// The people a note is about, as chips that open the contact, and an input that suggests
/// contacts by name (or offers to create one).
fn people_editor(ui: &mut Ui, session: &mut Session, commands: &mut Commands, read_only: bool) {
    let Some(editor) = session.editor.as_mut() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("People").weak());
        for person in &editor.people {
            let name = display_label(&person.label);
            if ui
                .button(RichText::new(name).strong())
                .on_hover_text("Open this contact")
                .clicked()
            {
                commands.push(ContactCommand::GoTo(person.id));
            }
            if !read_only
                && ui
                    .small_button("×")
                    .on_hover_text("Remove from this note")
                    .accessible_name(format!("Remove {name}"))
                    .clicked()
            {
                commands.push(NoteCommand::RemovePerson(person.id));
            }
        }
        if read_only {
            return;
        }
        let input = ui
            .add(
                TextEdit::singleline(&mut editor.person_input)
                    .hint_text("Add person…")
                    .desired_width(140.0),
            )
            .accessible_name("Add person");
        if input.has_focus() {
            session.list_focused = false;
        }
        if input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            // Enter takes the first suggestion for what is typed, or makes a contact of a
            // new name; if the suggestions are still coming, once they are here.
            editor.person_enter_pending = true;
            input.request_focus();
        }
    });
    if read_only || editor.person_input.trim().is_empty() {
        editor.person_suggestions.clear();
        editor.person_suggestions_for = None;
        editor.person_enter_pending = false;
        return;
    }
    let fragment = editor.person_input.trim().to_owned();
    if editor.person_suggestions_for.as_deref() != Some(fragment.as_str()) {
        // Only when the input changed; the list thread searches the contacts.
        session.request_person_suggestions(&fragment);
    }
    let Some(editor) = session.editor.as_mut() else {
        return;
    };
    let current = editor.person_suggestions_pending.is_none()
        && editor.person_suggestions_for.as_deref() == Some(fragment.as_str());
    if editor.person_enter_pending && current {
        editor.person_enter_pending = false;
        // The contact named exactly what was typed, else the first suggestion.
        let exact = editor
            .person_suggestions
            .iter()
            .find(|p| fold(&p.label) == fold(&fragment));
        commands.push(match exact.or(editor.person_suggestions.first()) {
            Some(person) => NoteCommand::AddPerson(person.id),
            None => NoteCommand::AddNewPerson(fragment.clone()),
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Suggestions:").small().weak());
        for person in &editor.person_suggestions {
            if ui.small_button(display_label(&person.label)).clicked() {
                commands.push(NoteCommand::AddPerson(person.id));
            }
        }
        let exact = editor
            .person_suggestions
            .iter()
            .any(|p| fold(&p.label) == fold(&fragment));
        if !exact
            && ui
                .small_button(format!("New contact “{fragment}”"))
                .clicked()
        {
            commands.push(NoteCommand::AddNewPerson(fragment.clone()));
        }
    });
}
