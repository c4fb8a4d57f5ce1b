//! The contacts half of the window: the list of contacts and the contact's page (a form that
//! saves itself, plus "Notes about" the person).

use egui::{Align, Color32, Layout, RichText, ScrollArea, TextEdit, Ui, vec2};

use super::contact_form as form;
use crate::db::{Birthday, ContactFilter, ContactSummary, UPCOMING_BIRTHDAY_DAYS};
use crate::search::Term;
use crate::ui::command::{Commands, ContactCommand, FileCommand, Item, ItemCommand, NoteCommand};
use crate::ui::file_dialogs::DialogKind;
use crate::ui::format::{long_date, short_date, today};
use crate::ui::state::avatars::Avatars;
use crate::ui::state::contact_editor::{ContactEditor, display_label};
use crate::ui::state::session::Session;
use crate::ui::widgets::avatar::paint_avatar;
use crate::ui::widgets::chips::{ChipWords, chips_with_typeahead};
use crate::ui::widgets::list::{
    PaneWords, RowPaint, begin_row, highlighted, list_pane, nothing_open,
};

fn list_title(session: &Session) -> String {
    match session.contacts.filter() {
        ContactFilter::All => "All contacts".to_owned(),
        ContactFilter::Favorites => "Favourites".to_owned(),
        ContactFilter::UpcomingBirthdays { .. } => "Upcoming birthdays".to_owned(),
        ContactFilter::Trash => "Trash".to_owned(),
        ContactFilter::Pair(..) => "Both versions".to_owned(),
        ContactFilter::Group(id) => session
            .sidebar
            .groups
            .iter()
            .find(|u| u.tag.id == id)
            .map(|u| u.tag.name.clone())
            .unwrap_or_else(|| "Group".to_owned()),
    }
}

pub fn contact_list(ui: &mut Ui, session: &mut Session, commands: &mut Commands) {
    let title = list_title(session);
    let (headline, hint) = empty_words(session);
    let filter = session.contacts.filter();
    let can_empty_trash =
        filter == ContactFilter::Trash && session.contacts.total().unwrap_or(0) > 0;
    let can_clear = filter == ContactFilter::All && session.sidebar.contacts > 0;
    let birthdays = matches!(filter, ContactFilter::UpcomingBirthdays { .. });
    let terms = session.contacts.terms.clone();
    let avatars = &mut session.avatars;
    let clicked = list_pane(
        ui,
        &PaneWords {
            id: "contact-list",
            title: &title,
            empty: (&headline, &hint),
        },
        &mut session.contacts,
        &session.worker,
        |ui| {
            if can_empty_trash && ui.button("Empty trash…").clicked() {
                commands.push(ContactCommand::AskEmptyTrash);
            }
            if can_clear
                && ui
                    .button("Clear all…")
                    .on_hover_text("Move every contact to the Trash")
                    .clicked()
            {
                commands.push(ContactCommand::AskClear);
            }
        },
        |ui, row, selected, height| {
            contact_row(ui, row, selected, &terms, birthdays, height, avatars)
        },
    );
    if let Some(id) = clicked {
        commands.push(ContactCommand::Select(id));
        session.list_focused = true;
    }
}

/// What the empty list says, for the search or the list on show.
fn empty_words(session: &Session) -> (String, String) {
    let search = session.contacts.search();
    if !search.is_empty() {
        return (
            format!("No contacts match “{search}”"),
            "Names, organisations, emails and phone numbers are searched. Press Esc to clear \
             the search."
                .to_owned(),
        );
    }
    let (headline, hint) = match session.contacts.filter() {
        ContactFilter::Trash => (
            "Trash is empty",
            "Contacts you delete wait here until you empty the trash.".to_owned(),
        ),
        ContactFilter::Favorites => (
            "No favourites",
            "Mark a contact as a favourite to find it here.".to_owned(),
        ),
        ContactFilter::UpcomingBirthdays { .. } => (
            "No birthdays soon",
            format!(
                "Birthdays and anniversaries in the next {UPCOMING_BIRTHDAY_DAYS} days show here."
            ),
        ),
        ContactFilter::Pair(..) => (
            "Both versions are gone",
            "They were deleted meanwhile. Choose another list on the left.".to_owned(),
        ),
        ContactFilter::Group(_) => (
            "No one in this group",
            "Add the group to a contact on its page.".to_owned(),
        ),
        ContactFilter::All => (
            "No contacts yet",
            "Press Ctrl+N to add your first contact.".to_owned(),
        ),
    };
    (headline.to_owned(), hint)
}

/// What a row says about the sooner of its birthday and anniversary: "Today", "Tomorrow" or
/// the date, then the age turned or the years married when the year is known.
fn birthday_text(row: &ContactSummary) -> String {
    let today = today();
    let next = |date: Option<Birthday>| {
        let date = date?;
        Some((date.next_on_or_after(today)?, date))
    };
    let birthday = next(row.birthday).map(|(day, date)| (day, date, false));
    let anniversary = next(row.anniversary).map(|(day, date)| (day, date, true));
    let Some((day, date, is_anniversary)) = [birthday, anniversary]
        .into_iter()
        .flatten()
        .min_by_key(|(day, _, _)| *day)
    else {
        return String::new();
    };
    let when = match (day - today).num_days() {
        0 => "Today".to_owned(),
        1 => "Tomorrow".to_owned(),
        _ => day.format("%-d %b").to_string(),
    };
    match (date.age_on(day), is_anniversary) {
        (Some(1), true) => format!("{when} · 1st anniversary"),
        (Some(years), true) if years > 0 => format!("{when} · anniversary, {years} years"),
        (_, true) => format!("{when} · anniversary"),
        (Some(age), false) => format!("{when} · turns {age}"),
        (None, false) => when,
    }
}

/// A small filled star, painted (the default fonts have no star glyph).
fn paint_star(painter: &egui::Painter, centre: egui::Pos2, radius: f32, color: Color32) {
    let points: Vec<egui::Pos2> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { radius } else { radius * 0.45 };
            let angle = std::f32::consts::PI * (i as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
            centre + vec2(angle.cos(), angle.sin()) * r
        })
        .collect();
    // Convex pieces: the centre pentagon and the five points, so the fill is exact.
    let inner: Vec<egui::Pos2> = points.iter().skip(1).step_by(2).copied().collect();
    painter.add(egui::Shape::convex_polygon(
        inner,
        color,
        egui::Stroke::NONE,
    ));
    for i in (0..10).step_by(2) {
        let tip = [points[(i + 9) % 10], points[i], points[i + 1]];
        painter.add(egui::Shape::convex_polygon(
            tip.to_vec(),
            color,
            egui::Stroke::NONE,
        ));
    }
}

/// One contact row: the name (starred for favourites) and, for birthdays, when; below, the
/// organisation and the primary email or phone. Painted directly, one accessible item named by
/// the contact's name.
fn contact_row(
    ui: &mut Ui,
    row: &ContactSummary,
    selected: bool,
    terms: &[Term],
    birthdays: bool,
    height: f32,
    avatars: &mut Avatars,
) -> bool {
    let name = display_label(&row.label);
    let (response, paint) = begin_row(ui, height, selected, name);
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
    let painter = &painter;
    // The avatar on the left, the text beside it.
    let avatar_size = (inner.height() - 2.0).clamp(16.0, 32.0);
    let texture = row
        .thumbnail
        .as_ref()
        .and_then(|jpeg| avatars.texture(ui.ctx(), row.id, jpeg));
    paint_avatar(
        painter,
        egui::pos2(inner.left() + avatar_size / 2.0, inner.center().y),
        avatar_size,
        name,
        texture,
    );
    let inner = egui::Rect::from_min_max(
        egui::pos2(inner.left() + avatar_size + 8.0, inner.top()),
        inner.max,
    );

    let right_text = if birthdays {
        birthday_text(row)
    } else {
        String::new()
    };
    let right = painter.layout_no_wrap(right_text, small_font.clone(), weak);
    let star_indent = if row.favorite { 14.0 } else { 0.0 };
    if row.favorite {
        let centre = egui::pos2(inner.left() + 5.0, inner.top() + body_font.size * 0.6);
        paint_star(painter, centre, 5.5, Color32::from_rgb(230, 170, 30));
    }
    let name_width = (inner.width() - right.size().x - 8.0 - star_indent).max(20.0);
    let mut name_job = highlighted(name, terms, body_font, text_color, highlight, name_width);
    if row.label.trim().is_empty() {
        name_job
            .sections
            .iter_mut()
            .for_each(|s| s.format.italics = true);
    }
    painter.galley(
        inner.left_top() + vec2(star_indent, 0.0),
        painter.layout_job(name_job),
        text_color,
    );
    painter.galley(
        egui::pos2(inner.right() - right.size().x, inner.top() + 2.0),
        right,
        weak,
    );
    let reach = row
        .emails
        .first()
        .map(|e| e.address.as_str())
        .or_else(|| row.phones.first().map(|p| p.number.as_str()))
        .unwrap_or("");
    let second = [row.organization.trim(), reach]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let second_job = highlighted(&second, terms, small_font, weak, highlight, inner.width());
    let second_galley = painter.layout_job(second_job);
    painter.galley(
        egui::pos2(inner.left(), inner.bottom() - second_galley.size().y),
        second_galley,
        weak,
    );
    response.clicked()
}

/// The contact's photo, large, with Set photo… and Remove photo; initials when there is
/// none. A picture dropped on the window while the contact is open is its photo too.
fn photo_block(
    ui: &mut Ui,
    editor: &ContactEditor,
    avatars: &mut Avatars,
    read_only: bool,
    commands: &mut Commands,
) {
    const SIZE: f32 = 96.0;
    let name = display_label(&editor.name()).to_owned();
    ui.vertical(|ui| {
        let (rect, response) = ui.allocate_exact_size(vec2(SIZE, SIZE), egui::Sense::hover());
        let photo = editor.draft.photo.as_ref();
        let words = match photo {
            Some(p) if p.bytes.is_empty() => format!("Photo of {name} (a link)"),
            Some(_) => format!("Photo of {name}"),
            None => format!("No photo of {name}"),
        };
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &words));
        let texture = editor
            .thumbnail
            .as_ref()
            .and_then(|jpeg| avatars.texture(ui.ctx(), editor.contact.id, jpeg));
        paint_avatar(ui.painter(), rect.center(), SIZE, &name, texture);
        ui.vertical(|ui| {
            if let Some(photo) = photo.filter(|p| p.bytes.is_empty()) {
                ui.label(
                    RichText::new(format!("Photo at {} (not downloaded)", photo.url))
                        .small()
                        .weak(),
                );
            }
            if read_only {
                return;
            }
            let set = ui
                .button(if photo.is_some() {
                    "Change photo…"
                } else {
                    "Set photo…"
                })
                .on_hover_text("A JPEG or PNG picture, up to 10 MB. You can also drop one here.");
            if set.clicked() {
                commands.push(FileCommand::ShowDialog(DialogKind::ContactPhoto(
                    editor.contact.id,
                )));
            }
            if photo.is_some() && ui.button("Remove photo").clicked() {
                commands.push(ContactCommand::RemovePhoto);
            }
        });
    });
}

pub fn contact_detail(ui: &mut Ui, session: &mut Session, commands: &mut Commands) {
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(editor) = session.contact_editor.as_mut() else {
            nothing_open(
                ui,
                if session.sidebar.contacts == 0 {
                    "No contacts yet — press Ctrl+N"
                } else {
                    "Select a contact, or press Ctrl+N for a new one"
                },
            );
            return;
        };
        let now = ui.input(|i| i.time);
        let mut edited = false;
        let read_only = editor.is_read_only();
        let id = editor.contact.id;

        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading(display_label(&editor.name()));
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if read_only {
                    if ui.button("Delete permanently…").clicked() {
                        commands.push(ItemCommand::AskDeletePermanently(Item::Contact(id)));
                    }
                    if ui.button("Restore").clicked() {
                        commands.push(ItemCommand::Restore(Item::Contact(id)));
                    }
                } else {
                    if ui
                        .button("Move to Trash")
                        .on_hover_text("Ctrl+Delete. Notes about this person stay.")
                        .clicked()
                    {
                        commands.push(ItemCommand::Trash(Item::Contact(id)));
                    }
                    let favorite = editor.contact.favorite;
                    if ui
                        .selectable_label(favorite, "Favourite")
                        .on_hover_text("Favourites are starred and listed under Favourites")
                        .clicked()
                    {
                        commands.push(ContactCommand::SetFavorite(id, !favorite));
                    }
                }
            });
        });
        if read_only {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "This contact is in the Trash. Restore it to edit it.",
            );
        }
        ui.separator();
        ScrollArea::vertical()
            .id_salt("contact-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // First, so the way to the person's notes never needs scrolling.
                notes_about(ui, editor, commands);
                ui.add_space(6.0);
                ui.add_enabled_ui(!read_only, |ui| {
                    // The photo beside the names, where it takes no height of its own.
                    ui.horizontal_top(|ui| {
                        edited |= form::name_fields(ui, editor);
                        ui.add_space(24.0);
                        photo_block(ui, editor, &mut session.avatars, read_only, commands);
                    });
                    ui.add_space(8.0);
                    edited |= form::labelled_values(ui, &mut editor.draft.emails, &form::EMAILS);
                    ui.add_space(8.0);
                    edited |= form::labelled_values(ui, &mut editor.draft.phones, &form::PHONES);
                    ui.add_space(8.0);
                    edited |= form::addresses_section(ui, &mut editor.draft.addresses);
                    ui.add_space(8.0);
                    edited |=
                        form::labelled_values(ui, &mut editor.draft.websites, &form::WEBSITES);
                    ui.add_space(8.0);
                    edited |=
                        form::labelled_values(ui, &mut editor.draft.profiles, &form::PROFILES);
                    ui.add_space(8.0);
                    edited |= form::birthday_fields(ui, editor);
                    ui.add_space(8.0);
                    edited |= form::dates_section(ui, &mut editor.dates);
                    ui.add_space(8.0);
                    edited |= form::related_section(ui, editor, commands);
                    ui.add_space(8.0);
                    groups(ui, editor, commands);
                    ui.add_space(8.0);
                    ui.label(RichText::new("Notes").strong());
                    edited |= ui
                        .add(
                            TextEdit::multiline(&mut editor.draft.notes)
                                .hint_text("Anything worth remembering…")
                                .desired_rows(3)
                                .desired_width(f32::INFINITY),
                        )
                        .accessible_name("Contact notes")
                        .changed();
                    form::kept_from_card(ui, &editor.kept_from_card);
                });
                ui.add_space(8.0);
                ui.label(
                    RichText::new(format!(
                        "Created {} · Edited {}",
                        long_date(editor.contact.created),
                        long_date(editor.contact.updated)
                    ))
                    .small()
                    .weak(),
                );
            });
        if edited {
            editor.mark_edited(now);
        }
        if ui.memory(|m| m.focused().is_some()) && ui.ctx().egui_wants_keyboard_input() {
            session.list_focused = false;
        }
    });
    session.request_suggestions(true);
}

/// The contact's groups as chips, and an input that suggests the groups (and tags) there are.
fn groups(ui: &mut Ui, editor: &mut ContactEditor, commands: &mut Commands) {
    ui.label(RichText::new("Groups").strong());
    let names = editor.draft.groups.clone();
    let changed = chips_with_typeahead(ui, &names, &mut editor.groups, &GROUP_WORDS, false);
    if let Some(name) = changed.added {
        commands.push(ContactCommand::AddGroup(name));
    }
    if let Some(name) = changed.removed {
        commands.push(ContactCommand::RemoveGroup(name));
    }
}

const GROUP_WORDS: ChipWords = ChipWords {
    prefix: "",
    hint: "Add group…",
    input_name: "Add group",
    remove_hint: "Remove from this group",
};

fn notes_about(ui: &mut Ui, editor: &ContactEditor, commands: &mut Commands) {
    let name = display_label(&editor.name()).to_owned();
    let heading = format!("Notes about {name}");
    let about = &editor.notes_about;
    if about.total == 0 {
        ui.label(RichText::new(heading).strong());
        ui.label(
            RichText::new("None yet. Add this person under People on a note to link it here.")
                .weak(),
        );
        return;
    }
    egui::CollapsingHeader::new(RichText::new(format!("{heading} ({})", about.total)).strong())
        .id_salt("notes-about")
        .default_open(true)
        .show(ui, |ui| {
            for note in &about.items {
                let title = if note.title.trim().is_empty() {
                    "Untitled"
                } else {
                    note.title.as_str()
                };
                ui.horizontal(|ui| {
                    if ui.link(title).on_hover_text("Open this note").clicked() {
                        commands.push(NoteCommand::GoTo(note.id));
                    }
                    ui.label(RichText::new(short_date(note.updated)).small().weak());
                });
            }
            if about.total > about.items.len() as i64 {
                ui.label(
                    RichText::new(format!(
                        "The newest {} are listed; search the notes for the rest.",
                        about.items.len()
                    ))
                    .small()
                    .weak(),
                );
            }
        });
}
