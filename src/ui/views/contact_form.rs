//! The contact's form: names, emails, phones, addresses, websites, profiles, birthday, dates
//! and related people, each field saved as the user types (the page marks the contact edited),
//! and what an imported card held that Folio has no field for.

use egui::{Id, RichText, TextEdit, Ui, vec2};

use crate::db::{
    LabeledEmail, LabeledPhone, LabeledWebsite, PostalAddress, Profile, RelatedPerson,
};
use crate::search::fold;
use crate::ui::command::{Commands, ContactCommand, GIVEN_NAME_ID};
use crate::ui::format::today;
use crate::ui::state::contact_editor::{
    BirthdayFields, BirthdayInput, ContactEditor, DATE_LABELS, DateRow, EMAIL_LABELS, MONTHS,
    PHONE_LABELS, RELATION_LABELS, SERVICES, WEBSITE_LABELS, email_hint, phone_hint,
};

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

pub fn name_fields(ui: &mut Ui, editor: &mut ContactEditor) -> bool {
    let mut changed = false;
    let derived = crate::db::derived_label(&crate::db::NameParts {
        display_name: "",
        ..editor.draft.name_parts()
    });
    egui::Grid::new("contact-names")
        .num_columns(2)
        .spacing(vec2(12.0, 6.0))
        .show(ui, |ui| {
            let draft = &mut editor.draft;
            changed |= labelled_field(ui, "First name", &mut draft.given_name, Some(GIVEN_NAME_ID));
            changed |= labelled_field(ui, "Middle name", &mut draft.middle_name, None);
            changed |= labelled_field(ui, "Last name", &mut draft.family_name, None);
            ui.label("Title, suffix");
            ui.horizontal(|ui| {
                for (text, hint, name) in [
                    (&mut draft.name_prefix, "Dr.", "Name prefix"),
                    (&mut draft.name_suffix, "Jr.", "Name suffix"),
                ] {
                    changed |= ui
                        .add(
                            TextEdit::singleline(text)
                                .hint_text(hint)
                                .desired_width(125.0),
                        )
                        .accessible_name(name)
                        .changed();
                }
            });
            ui.end_row();
            changed |= labelled_field(ui, "Nickname", &mut draft.nickname, None);
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
            changed |= labelled_field(ui, "Department", &mut draft.department, None);
            changed |= labelled_field(ui, "Job title", &mut draft.job_title, None);
        });
    changed
}

/// A label chooser: the common labels in a menu, or any text typed in the box.
fn label_picker(ui: &mut Ui, label: &mut String, presets: &[&str], name: &str) -> bool {
    label_picker_with_hint(ui, label, presets, name, "label")
}

fn label_picker_with_hint(
    ui: &mut Ui,
    label: &mut String,
    presets: &[&str],
    name: &str,
    empty_hint: &str,
) -> bool {
    let mut changed = ui
        .add(
            TextEdit::singleline(label)
                .hint_text(empty_hint)
                .desired_width(80.0),
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
pub trait LabelledValue {
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

impl LabelledValue for LabeledWebsite {
    fn new(label: &str) -> Self {
        LabeledWebsite {
            label: label.to_owned(),
            url: String::new(),
        }
    }
    fn parts(&mut self) -> (&mut String, &mut String) {
        (&mut self.label, &mut self.url)
    }
}

/// A profile's service stands where other values have their label.
impl LabelledValue for Profile {
    fn new(service: &str) -> Self {
        Profile {
            service: service.to_owned(),
            handle: String::new(),
        }
    }
    fn parts(&mut self) -> (&mut String, &mut String) {
        (&mut self.service, &mut self.handle)
    }
}

impl LabelledValue for RelatedPerson {
    fn new(label: &str) -> Self {
        RelatedPerson {
            label: label.to_owned(),
            name: String::new(),
        }
    }
    fn parts(&mut self) -> (&mut String, &mut String) {
        (&mut self.label, &mut self.name)
    }
}

/// How one kind of labelled value shows.
pub struct ValueKind {
    heading: &'static str,
    /// "Email": fields are named "Email 1", "Email 2"…
    name: &'static str,
    presets: &'static [&'static str],
    placeholder: &'static str,
    hint: fn(&str) -> Option<&'static str>,
    /// The label of a new row, by whether it is the first.
    new_label: fn(bool) -> &'static str,
    /// What the label box says when empty ("label", "service").
    label_hint: &'static str,
}

pub const EMAILS: ValueKind = ValueKind {
    heading: "Emails",
    name: "Email",
    presets: &EMAIL_LABELS,
    placeholder: "name@example.com",
    hint: email_hint,
    new_label: |first| if first { "home" } else { "work" },
    label_hint: "label",
};

pub const PHONES: ValueKind = ValueKind {
    heading: "Phones",
    name: "Phone",
    presets: &PHONE_LABELS,
    placeholder: "+1 555 0100",
    hint: phone_hint,
    new_label: |_| "mobile",
    label_hint: "label",
};

pub const WEBSITES: ValueKind = ValueKind {
    heading: "Websites",
    name: "Website",
    presets: &WEBSITE_LABELS,
    placeholder: "https://example.org",
    hint: |_| None,
    new_label: |first| if first { "homepage" } else { "work" },
    label_hint: "label",
};

pub const PROFILES: ValueKind = ValueKind {
    heading: "Messaging and social profiles",
    name: "Profile",
    presets: &SERVICES,
    placeholder: "handle or profile URL",
    hint: |_| None,
    new_label: |_| "",
    label_hint: "service",
};

pub const RELATED: ValueKind = ValueKind {
    heading: "Related people",
    name: "Related person",
    presets: &RELATION_LABELS,
    placeholder: "name",
    hint: |_| None,
    new_label: |_| "",
    label_hint: "relation",
};

/// The rows of one kind: label, value, reorder and remove, a hint when the value looks wrong,
/// and a button to add one. Returns whether anything changed.
pub fn labelled_values<T: LabelledValue>(ui: &mut Ui, rows: &mut Vec<T>, kind: &ValueKind) -> bool {
    labelled_values_with(ui, rows, kind, |_, _, _| {})
}

/// [`labelled_values`] with something more at the end of each row (`extra` gets the row's
/// index and value).
fn labelled_values_with<T: LabelledValue>(
    ui: &mut Ui,
    rows: &mut Vec<T>,
    kind: &ValueKind,
    mut extra: impl FnMut(&mut Ui, usize, &str),
) -> bool {
    section_heading(ui, kind.heading);
    let mut changed = false;
    let mut action = None;
    let len = rows.len();
    for (index, row) in rows.iter_mut().enumerate() {
        let name = format!("{} {}", kind.name.to_lowercase(), index + 1);
        let (label, value) = row.parts();
        ui.horizontal(|ui| {
            changed |= label_picker_with_hint(ui, label, kind.presets, &name, kind.label_hint);
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
            extra(ui, index, value);
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

pub fn addresses_section(ui: &mut Ui, addresses: &mut Vec<PostalAddress>) -> bool {
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
                    ui.label("Street");
                    // A street of several lines ("1 Main St", "Suite 200") is edited as such.
                    changed |= ui
                        .add(
                            TextEdit::multiline(&mut address.street)
                                .desired_rows(1)
                                .desired_width(240.0),
                        )
                        .accessible_name(format!("Street {n}"))
                        .changed();
                    ui.end_row();
                    for (label, value) in [
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

pub fn birthday_fields(ui: &mut Ui, editor: &mut ContactEditor) -> bool {
    section_heading(ui, "Birthday");
    let mut changed = false;
    let fields = &mut editor.birthday;
    ui.horizontal(|ui| {
        changed |= date_inputs(ui, fields, "Birthday");
        if *fields != Default::default() && ui.small_button("Clear").clicked() {
            *fields = Default::default();
            changed = true;
        }
    });
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

/// A day, a month menu and an optional year; `name` ("Birthday", "Date 1") names each for
/// screen readers.
fn date_inputs(ui: &mut Ui, fields: &mut BirthdayFields, name: &str) -> bool {
    let mut changed = ui
        .add(
            TextEdit::singleline(&mut fields.day)
                .hint_text("day")
                .desired_width(32.0),
        )
        .accessible_name(format!("{name} day"))
        .changed();
    let month_text = match fields.month {
        1..=12 => MONTHS[usize::from(fields.month - 1)],
        _ => "month",
    };
    egui::ComboBox::from_id_salt(Id::unique(format!("{name}-month")))
        .selected_text(month_text)
        .width(110.0)
        .show_ui(ui, |ui| {
            for (number, month) in (1u8..).zip(MONTHS) {
                if ui.selectable_label(fields.month == number, month).clicked() {
                    fields.month = number;
                    changed = true;
                }
            }
        })
        .response
        .accessible_name(format!("{name} month"));
    changed |= ui
        .add(
            TextEdit::singleline(&mut fields.year)
                .hint_text("year (optional)")
                .desired_width(110.0),
        )
        .accessible_name(format!("{name} year"))
        .changed();
    changed
}

/// Anniversaries and the user's own dates: a label, the date, reorder and remove.
pub fn dates_section(ui: &mut Ui, rows: &mut Vec<DateRow>) -> bool {
    section_heading(ui, "Anniversaries and other dates");
    let mut changed = false;
    let mut action = None;
    let len = rows.len();
    for (index, row) in rows.iter_mut().enumerate() {
        let name = format!("date {}", index + 1);
        ui.horizontal(|ui| {
            changed |= label_picker(ui, &mut row.label, &DATE_LABELS, &name);
            changed |= date_inputs(ui, &mut row.fields, &format!("Date {}", index + 1));
            if let Some(a) = row_buttons(ui, index, len, &name) {
                action = Some((index, a));
            }
            if row.fields.parse() == BirthdayInput::Invalid {
                hint(ui, Some("Not a date yet"));
            }
        });
    }
    if let Some((index, a)) = action {
        apply_row_action(rows, index, a);
        changed = true;
    }
    if ui.small_button("+ Add date").clicked() {
        rows.push(DateRow {
            label: if rows.is_empty() { "anniversary" } else { "" }.to_owned(),
            ..DateRow::default()
        });
        changed = true;
    }
    changed
}

/// Related people; one whose name is a contact's in Folio gets a button that opens it.
pub fn related_section(ui: &mut Ui, editor: &mut ContactEditor, commands: &mut Commands) -> bool {
    let known = &editor.related_contacts;
    labelled_values_with(
        ui,
        &mut editor.draft.related,
        &RELATED,
        |ui, index, name| {
            if let Some(id) = known.get(&fold(name.trim())) {
                let open = ui
                    .small_button("Open")
                    .on_hover_text(format!("Show {name} in Folio"))
                    .accessible_name(format!("Open related person {}", index + 1));
                if open.clicked() {
                    commands.push(ContactCommand::GoTo(*id));
                }
            }
        },
    )
}

/// The imported card's properties Folio has no field for; they go back out on export.
pub fn kept_from_card(ui: &mut Ui, kept: &[(String, String)]) {
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
