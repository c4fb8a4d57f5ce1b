//! The contacts half of the window: the list of contacts and the contact's page (a form that
//! saves itself, plus "Notes about" the person).

use egui::{Align, Color32, Id, Layout, RichText, ScrollArea, TextEdit, Ui, vec2};

use super::app::{Command, FolioApp, GIVEN_NAME_ID, Item};
use super::contact_editor::{
    ContactEditor, EMAIL_LABELS, MONTHS, PHONE_LABELS, display_label, email_hint, phone_hint,
};
use super::session::{Session, today};
use super::views::{RowPaint, begin_row, highlighted, long_date, short_date, virtual_list};
use crate::db::{
    ContactFilter, ContactSummary, LabeledEmail, LabeledPhone, PostalAddress,
    UPCOMING_BIRTHDAY_DAYS,
};
use crate::search::Term;

/// How many group suggestions show under the group input.
const GROUP_SUGGESTIONS: i64 = 6;

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

pub fn contact_list(ui: &mut Ui, app: &mut FolioApp) {
    let Some(session) = app.session.as_mut() else {
        return;
    };
    let commands = &mut app.commands;
    egui::Panel::left("contact-list")
        .resizable(true)
        .default_size(340.0)
        .min_size(220.0)
        .show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.heading(list_title(session));
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    let has_rows = session.contacts.total().unwrap_or(0) > 0;
                    match session.contacts.filter() {
                        ContactFilter::Trash if has_rows && ui.button("Empty trash…").clicked() =>
                        {
                            commands.push(Command::AskEmptyContactTrash);
                        }
                        ContactFilter::All
                            if session.sidebar.contacts > 0
                                && ui
                                    .button("Clear all…")
                                    .on_hover_text("Move every contact to the Trash")
                                    .clicked() =>
                        {
                            commands.push(Command::AskClearContacts);
                        }
                        _ => {}
                    }
                });
            });
            ui.separator();
            let terms = session.contacts.terms.clone();
            let birthdays = matches!(
                session.contacts.filter(),
                ContactFilter::UpcomingBirthdays { .. }
            );
            let clicked = virtual_list(
                ui,
                &mut session.contacts,
                &session.worker,
                "contact-list-offset",
                |ui, row, selected, height| {
                    contact_row(ui, row, selected, &terms, birthdays, height)
                },
            );
            match clicked {
                Some(id) => {
                    commands.push(Command::SelectContact(id));
                    session.list_focused = true;
                }
                None if session.contacts.total() == Some(0) && session.contacts.is_current() => {
                    empty_list(ui, session);
                }
                None => {}
            }
        });
}

fn empty_list(ui: &mut Ui, session: &Session) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        let search = session.contacts.search();
        let (headline, hint) = if !search.is_empty() {
            (
                format!("No contacts match “{search}”"),
                "Names, organisations, emails and phone numbers are searched. Press Esc to clear the search.".to_owned(),
            )
        } else {
            match session.contacts.filter() {
                ContactFilter::Trash => (
                    "Trash is empty".to_owned(),
                    "Contacts you delete wait here until you empty the trash.".to_owned(),
                ),
                ContactFilter::Favorites => (
                    "No favourites".to_owned(),
                    "Mark a contact as a favourite to find it here.".to_owned(),
                ),
                ContactFilter::UpcomingBirthdays { .. } => (
                    "No birthdays soon".to_owned(),
                    format!("Birthdays in the next {UPCOMING_BIRTHDAY_DAYS} days show here."),
                ),
                ContactFilter::Pair(..) => (
                    "Both versions are gone".to_owned(),
                    "They were deleted meanwhile. Choose another list on the left.".to_owned(),
                ),
                ContactFilter::Group(_) => (
                    "No one in this group".to_owned(),
                    "Add the group to a contact on its page.".to_owned(),
                ),
                ContactFilter::All => (
                    "No contacts yet".to_owned(),
                    "Press Ctrl+N to add your first contact.".to_owned(),
                ),
            }
        };
        ui.label(RichText::new(headline).heading());
        ui.add_space(6.0);
        ui.label(RichText::new(hint).weak());
    });
}

/// What a row says about when the birthday is: "Today", "Tomorrow" or the date, and the age
/// turned when the year is known.
fn birthday_text(row: &ContactSummary) -> String {
    let today = today();
    let Some(birthday) = row.birthday else {
        return String::new();
    };
    let Some(next) = birthday.next_on_or_after(today) else {
        return String::new();
    };
    let when = match (next - today).num_days() {
        0 => "Today".to_owned(),
        1 => "Tomorrow".to_owned(),
        _ => next.format("%-d %b").to_string(),
    };
    match birthday.age_on(next) {
        Some(age) => format!("{when} · turns {age}"),
        None => when,
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

pub fn contact_detail(ui: &mut Ui, app: &mut FolioApp) {
    let Some(session) = app.session.as_mut() else {
        return;
    };
    let commands = &mut app.commands;
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(editor) = session.contact_editor.as_mut() else {
            ui.add_space(60.0);
            ui.vertical_centered(|ui| {
                let hint = if session.sidebar.contacts == 0 {
                    "No contacts yet — press Ctrl+N"
                } else {
                    "Select a contact, or press Ctrl+N for a new one"
                };
                ui.label(RichText::new(hint).weak());
            });
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
                        commands.push(Command::AskDeletePermanently(Item::Contact(id)));
                    }
                    if ui.button("Restore").clicked() {
                        commands.push(Command::Restore(Item::Contact(id)));
                    }
                } else {
                    if ui
                        .button("Move to Trash")
                        .on_hover_text("Ctrl+Delete. Notes about this person stay.")
                        .clicked()
                    {
                        commands.push(Command::Trash(Item::Contact(id)));
                    }
                    let favorite = editor.contact.favorite;
                    if ui
                        .selectable_label(favorite, "Favourite")
                        .on_hover_text("Favourites are starred and listed under Favourites")
                        .clicked()
                    {
                        commands.push(Command::SetFavorite(id, !favorite));
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
                    edited |= name_fields(ui, editor);
                    ui.add_space(8.0);
                    edited |= labelled_values(ui, &mut editor.draft.emails, &EMAILS);
                    ui.add_space(8.0);
                    edited |= labelled_values(ui, &mut editor.draft.phones, &PHONES);
                    ui.add_space(8.0);
                    edited |= addresses_section(ui, &mut editor.draft.addresses);
                    ui.add_space(8.0);
                    edited |= birthday_fields(ui, editor);
                    ui.add_space(8.0);
                    group_editor(
                        ui,
                        session_repo_suggest(&mut session.repo),
                        editor,
                        commands,
                    );
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
                    kept_from_card(ui, &editor.kept_from_card);
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
}

/// Group suggestions come from the window's connection: one indexed query on the tags table,
/// only when the input changed.
fn session_repo_suggest(
    repo: &mut crate::db::Repository,
) -> impl FnMut(&str, i64) -> Vec<crate::db::Tag> + '_ {
    move |fragment, limit| repo.suggest_tags(fragment, limit).unwrap_or_default()
}

fn labelled_field(ui: &mut Ui, label: &str, text: &mut String, id: Option<&str>) -> bool {
    let label = ui.label(label);
    let mut edit = TextEdit::singleline(text).desired_width(260.0);
    if let Some(id) = id {
        edit = edit.id(Id::unique(id));
    }
    let changed = ui.add(edit).labelled_by(label.id).changed();
    ui.end_row();
    changed
}

fn name_fields(ui: &mut Ui, editor: &mut ContactEditor) -> bool {
    let mut changed = false;
    let derived = crate::db::derived_label(
        "",
        &editor.draft.given_name,
        &editor.draft.family_name,
        &editor.draft.organization,
        editor.draft.emails.first().map(|e| e.address.as_str()),
    );
    egui::Grid::new("contact-names")
        .num_columns(2)
        .spacing(vec2(12.0, 6.0))
        .show(ui, |ui| {
            let draft = &mut editor.draft;
            changed |= labelled_field(ui, "First name", &mut draft.given_name, Some(GIVEN_NAME_ID));
            changed |= labelled_field(ui, "Last name", &mut draft.family_name, None);
            let label = ui.label("Display name");
            changed |= ui
                .add(
                    TextEdit::singleline(&mut draft.display_name)
                        .hint_text(if derived.is_empty() {
                            "From the names when left blank".to_owned()
                        } else {
                            derived
                        })
                        .desired_width(260.0),
                )
                .labelled_by(label.id)
                .changed();
            ui.end_row();
            changed |= labelled_field(ui, "Organisation", &mut draft.organization, None);
            changed |= labelled_field(ui, "Job title", &mut draft.job_title, None);
        });
    changed
}

/// A label chooser: the common labels in a menu, or any text typed in the box.
fn label_picker(ui: &mut Ui, label: &mut String, presets: &[&str], name: &str) -> bool {
    let mut changed = ui
        .add(
            TextEdit::singleline(label)
                .hint_text("label")
                .desired_width(70.0),
        )
        .accessible_name(format!("{name} label"))
        .changed();
    egui::ComboBox::from_id_salt(Id::unique(format!("{name}-label-menu")))
        .selected_text("")
        .width(14.0)
        .show_ui(ui, |ui| {
            for preset in presets {
                if ui.selectable_label(label == preset, *preset).clicked() {
                    *label = (*preset).to_owned();
                    changed = true;
                }
            }
        })
        .response
        .accessible_name(format!("Choose a label for {name}"));
    changed
}

/// What the reorder and remove buttons of a row asked for.
enum RowAction {
    Up,
    Down,
    Remove,
}

fn row_buttons(ui: &mut Ui, index: usize, len: usize, name: &str) -> Option<RowAction> {
    let mut action = None;
    if ui
        .add_enabled(index > 0, egui::Button::new("Up").small())
        .on_hover_text("Move up (the first is primary)")
        .accessible_name(format!("Move {name} up"))
        .clicked()
    {
        action = Some(RowAction::Up);
    }
    if ui
        .add_enabled(index + 1 < len, egui::Button::new("Down").small())
        .on_hover_text("Move down")
        .accessible_name(format!("Move {name} down"))
        .clicked()
    {
        action = Some(RowAction::Down);
    }
    if ui
        .small_button("×")
        .on_hover_text("Remove")
        .accessible_name(format!("Remove {name}"))
        .clicked()
    {
        action = Some(RowAction::Remove);
    }
    action
}

fn apply_row_action<T>(rows: &mut Vec<T>, index: usize, action: RowAction) {
    match action {
        RowAction::Up if index > 0 => rows.swap(index, index - 1),
        RowAction::Down if index + 1 < rows.len() => rows.swap(index, index + 1),
        RowAction::Remove if index < rows.len() => {
            rows.remove(index);
        }
        _ => {}
    }
}

fn section_heading(ui: &mut Ui, title: &str) {
    ui.label(RichText::new(title).strong());
}

/// A hint beside a value that looks wrong; the contact saves anyway.
fn hint(ui: &mut Ui, text: Option<&str>) {
    if let Some(text) = text {
        ui.colored_label(ui.visuals().warn_fg_color, text);
    }
}

/// A value a contact can have several of, each with a label: an email or a phone.
trait LabelledValue {
    fn new(label: &str) -> Self;
    fn parts(&mut self) -> (&mut String, &mut String);
}

impl LabelledValue for LabeledEmail {
    fn new(label: &str) -> Self {
        LabeledEmail {
            label: label.to_owned(),
            address: String::new(),
        }
    }
    fn parts(&mut self) -> (&mut String, &mut String) {
        (&mut self.label, &mut self.address)
    }
}

impl LabelledValue for LabeledPhone {
    fn new(label: &str) -> Self {
        LabeledPhone {
            label: label.to_owned(),
            number: String::new(),
        }
    }
    fn parts(&mut self) -> (&mut String, &mut String) {
        (&mut self.label, &mut self.number)
    }
}

/// How one kind of labelled value shows.
struct ValueKind {
    heading: &'static str,
    /// "Email": fields are named "Email 1", "Email 2"…
    name: &'static str,
    presets: &'static [&'static str],
    placeholder: &'static str,
    hint: fn(&str) -> Option<&'static str>,
    /// The label of a new row, by whether it is the first.
    new_label: fn(bool) -> &'static str,
}

const EMAILS: ValueKind = ValueKind {
    heading: "Emails",
    name: "Email",
    presets: &EMAIL_LABELS,
    placeholder: "name@example.com",
    hint: email_hint,
    new_label: |first| if first { "home" } else { "work" },
};

const PHONES: ValueKind = ValueKind {
    heading: "Phones",
    name: "Phone",
    presets: &PHONE_LABELS,
    placeholder: "+1 555 0100",
    hint: phone_hint,
    new_label: |_| "mobile",
};

/// The rows of one kind: label, value, reorder and remove, a hint when the value looks wrong,
/// and a button to add one. Returns whether anything changed.
fn labelled_values<T: LabelledValue>(ui: &mut Ui, rows: &mut Vec<T>, kind: &ValueKind) -> bool {
    section_heading(ui, kind.heading);
    let mut changed = false;
    let mut action = None;
    let len = rows.len();
    for (index, row) in rows.iter_mut().enumerate() {
        let name = format!("{} {}", kind.name.to_lowercase(), index + 1);
        let (label, value) = row.parts();
        ui.horizontal(|ui| {
            changed |= label_picker(ui, label, kind.presets, &name);
            changed |= ui
                .add(
                    TextEdit::singleline(value)
                        .hint_text(kind.placeholder)
                        .desired_width(220.0),
                )
                .accessible_name(format!("{} {}", kind.name, index + 1))
                .changed();
            if let Some(a) = row_buttons(ui, index, len, &name) {
                action = Some((index, a));
            }
            hint(ui, (kind.hint)(value));
        });
    }
    if let Some((index, a)) = action {
        apply_row_action(rows, index, a);
        changed = true;
    }
    if ui
        .small_button(format!("+ Add {}", kind.name.to_lowercase()))
        .clicked()
    {
        rows.push(T::new((kind.new_label)(rows.is_empty())));
        changed = true;
    }
    changed
}

fn addresses_section(ui: &mut Ui, addresses: &mut Vec<PostalAddress>) -> bool {
    section_heading(ui, "Addresses");
    let mut changed = false;
    let mut action = None;
    let len = addresses.len();
    for (index, address) in addresses.iter_mut().enumerate() {
        let name = format!("address {}", index + 1);
        ui.horizontal(|ui| {
            changed |= label_picker(ui, &mut address.label, &EMAIL_LABELS, &name);
            if let Some(a) = row_buttons(ui, index, len, &name) {
                action = Some((index, a));
            }
        });
        ui.indent(Id::unique(format!("{name}-fields")), |ui| {
            egui::Grid::new(Id::unique(format!("{name}-grid")))
                .num_columns(2)
                .spacing(vec2(12.0, 4.0))
                .show(ui, |ui| {
                    let n = index + 1;
                    for (label, value) in [
                        ("Street", &mut address.street),
                        ("Apartment, suite", &mut address.extended),
                        ("City", &mut address.locality),
                        ("Region", &mut address.region),
                        ("Postal code", &mut address.postal_code),
                        ("Country", &mut address.country),
                        ("PO box", &mut address.po_box),
                    ] {
                        ui.label(label);
                        changed |= ui
                            .add(TextEdit::singleline(value).desired_width(240.0))
                            .accessible_name(format!("{label} {n}"))
                            .changed();
                        ui.end_row();
                    }
                });
        });
    }
    if let Some((index, a)) = action {
        apply_row_action(addresses, index, a);
        changed = true;
    }
    if ui.small_button("+ Add address").clicked() {
        addresses.push(PostalAddress {
            label: "home".to_owned(),
            ..PostalAddress::default()
        });
        changed = true;
    }
    changed
}

fn birthday_fields(ui: &mut Ui, editor: &mut ContactEditor) -> bool {
    section_heading(ui, "Birthday");
    let mut changed = false;
    let fields = &mut editor.birthday;
    ui.horizontal(|ui| {
        changed |= ui
            .add(
                TextEdit::singleline(&mut fields.day)
                    .hint_text("day")
                    .desired_width(32.0),
            )
            .accessible_name("Birthday day")
            .changed();
        let month_text = match fields.month {
            1..=12 => MONTHS[usize::from(fields.month - 1)],
            _ => "month",
        };
        egui::ComboBox::from_id_salt(Id::unique("birthday-month"))
            .selected_text(month_text)
            .width(110.0)
            .show_ui(ui, |ui| {
                for (index, month) in MONTHS.iter().enumerate() {
                    let number = index as u8 + 1;
                    if ui
                        .selectable_label(fields.month == number, *month)
                        .clicked()
                    {
                        fields.month = number;
                        changed = true;
                    }
                }
            })
            .response
            .accessible_name("Birthday month");
        changed |= ui
            .add(
                TextEdit::singleline(&mut fields.year)
                    .hint_text("year (optional)")
                    .desired_width(110.0),
            )
            .accessible_name("Birthday year")
            .changed();
        if *fields != Default::default() && ui.small_button("Clear").clicked() {
            *fields = Default::default();
            changed = true;
        }
    });
    use super::contact_editor::BirthdayInput;
    match fields.parse() {
        BirthdayInput::Invalid => hint(
            ui,
            Some("Not a date yet: give a day and a month (the year is optional)."),
        ),
        BirthdayInput::Valid(birthday) => {
            if let Some(next) = birthday.next_on_or_after(today()) {
                let age = birthday
                    .age_on(next)
                    .map(|age| format!(", turning {age}"))
                    .unwrap_or_default();
                ui.label(
                    RichText::new(format!("Next on {}{age}", next.format("%-d %B %Y")))
                        .small()
                        .weak(),
                );
            }
        }
        BirthdayInput::Empty => {}
    }
    changed
}

fn group_editor(
    ui: &mut Ui,
    mut suggest: impl FnMut(&str, i64) -> Vec<crate::db::Tag>,
    editor: &mut ContactEditor,
    commands: &mut Vec<Command>,
) {
    section_heading(ui, "Groups");
    ui.horizontal_wrapped(|ui| {
        for group in &editor.draft.groups {
            if ui
                .button(format!("{group}  ×"))
                .on_hover_text("Remove from this group")
                .clicked()
            {
                commands.push(Command::RemoveGroup(group.clone()));
            }
        }
        let input = ui
            .add(
                TextEdit::singleline(&mut editor.group_input)
                    .hint_text("Add group…")
                    .desired_width(140.0),
            )
            .accessible_name("Add group");
        if input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.push(Command::AddGroup(editor.group_input.clone()));
            input.request_focus();
        }
    });
    let fragment = editor.group_input.trim().to_owned();
    if fragment.is_empty() {
        return;
    }
    if editor.suggestions_for.as_deref() != Some(fragment.as_str()) {
        let own = &editor.draft.groups;
        editor.group_suggestions = suggest(&fragment, GROUP_SUGGESTIONS + own.len() as i64)
            .into_iter()
            .filter(|t| {
                !own.iter()
                    .any(|g| crate::search::fold(g) == crate::search::fold(&t.name))
            })
            .take(GROUP_SUGGESTIONS as usize)
            .collect();
        editor.suggestions_for = Some(fragment);
    }
    if !editor.group_suggestions.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Suggestions:").small().weak());
            for tag in &editor.group_suggestions {
                if ui.small_button(&tag.name).clicked() {
                    commands.push(Command::AddGroup(tag.name.clone()));
                }
            }
        });
    }
}

/// The imported card's properties Folio has no field for; they go back out on export.
fn kept_from_card(ui: &mut Ui, kept: &[(String, String)]) {
    if kept.is_empty() {
        return;
    }
    ui.add_space(8.0);
    egui::CollapsingHeader::new(format!("Also on the imported card ({})", kept.len()))
        .id_salt("kept-from-card")
        .show(ui, |ui| {
            ui.label(
                RichText::new("Folio keeps these as they were and writes them back to vCards.")
                    .small()
                    .weak(),
            );
            egui::Grid::new("kept-from-card-grid")
                .num_columns(2)
                .spacing([12.0, 2.0])
                .show(ui, |ui| {
                    for (name, value) in kept {
                        ui.label(RichText::new(name).weak());
                        ui.label(value);
                        ui.end_row();
                    }
                });
        });
}

fn notes_about(ui: &mut Ui, editor: &ContactEditor, commands: &mut Vec<Command>) {
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
                        commands.push(Command::GoToNote(note.id));
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
