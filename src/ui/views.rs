//! The panels of the window. Views only draw state and turn clicks and keys into
//! [`Command`]s; the app applies them after the frame is drawn.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{
    Align, Color32, FontId, Id, Layout, RichText, Role, ScrollArea, Sense, TextEdit, TextStyle, Ui,
    WidgetInfo, vec2,
};

use super::app::{BODY_ID, Command, FolioApp, Item, NEW_NOTE, SEARCH_ID, TITLE_ID, count_of};
use super::contact_editor::{BirthdayInput, display_label};
use super::file_dialogs::DialogKind;
use super::list_worker::ListWorker;
use super::paged_list::{ListKind, PagedList};
use super::session::{EditorMode, SaveState, Section, Session, today};
use super::settings::{ContactSortChoice, SortChoice, ThemeChoice};
use crate::db::{ContactFilter, NoteFilter, NoteSummary, Timestamp};
use crate::exchange::import::ContactFormat;
use crate::exchange::vcard::CardVersion;
use crate::search::{Term, fold, match_ranges};

/// How many tag suggestions show under the tag input.
const TAG_SUGGESTIONS: i64 = 6;

pub fn top_bar(ui: &mut Ui, app: &mut FolioApp) {
    egui::Panel::top("top-bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            file_menu(ui, app);
            view_menu(ui, app);
            ui.menu_button("Go", |ui| {
                if ui.button("Go to anything…  (Ctrl+K)").clicked() {
                    app.commands.push(Command::OpenPalette);
                }
                ui.separator();
                if ui.button("Notes").clicked() {
                    app.commands.push(Command::ShowList(NoteFilter::All));
                }
                if ui.button("Contacts").clicked() {
                    app.commands.push(Command::ShowContacts(ContactFilter::All));
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts").clicked() {
                    app.show_shortcuts = true;
                }
                if ui.button("About Folio").clicked() {
                    app.show_about = true;
                }
            });
            ui.separator();
            let Some(session) = app.session.as_mut() else {
                return;
            };
            let shortcut = ui.ctx().format_shortcut(&NEW_NOTE);
            let (new_label, new_command, hint) = match session.section {
                Section::Notes => (
                    format!("New note ({shortcut})"),
                    Command::NewNote,
                    "Search notes (Ctrl+F)",
                ),
                Section::Contacts => (
                    format!("New contact ({shortcut})"),
                    Command::NewContact,
                    "Search contacts (Ctrl+F)",
                ),
            };
            if ui.button(new_label).clicked() {
                app.commands.push(new_command);
            }
            let search = ui
                .add(
                    TextEdit::singleline(&mut session.search_text)
                        .id(Id::unique(SEARCH_ID))
                        .hint_text(hint)
                        .desired_width(280.0),
                )
                .accessible_name("Search");
            if search.changed() {
                session.search_edited_at = Some(ui.input(|i| i.time));
            }
            if search.has_focus() {
                session.list_focused = false;
            }
            if !session.search_text.is_empty()
                && ui
                    .small_button("×")
                    .on_hover_text("Clear the search (Esc)")
                    .clicked()
            {
                app.commands.push(Command::ClearSearch);
            }
        });
    });
}

fn file_menu(ui: &mut Ui, app: &mut FolioApp) {
    ui.menu_button("File", |ui| {
        if ui.button("New database…").clicked() {
            app.commands
                .push(Command::ShowDialog(DialogKind::NewDatabase));
        }
        if ui.button("Open database…").clicked() {
            app.commands
                .push(Command::ShowDialog(DialogKind::OpenDatabase));
        }
        ui.menu_button("Open recent", |ui| {
            if app.settings.recent_files.is_empty() {
                ui.label("No recent files");
            }
            for path in &app.settings.recent_files {
                if ui.button(path.display().to_string()).clicked() {
                    app.commands.push(Command::OpenRecent(path.clone()));
                }
            }
        });
        ui.separator();
        let has_database = app.session.is_some();
        let mut item = |ui: &mut Ui, label: &str, kind: DialogKind, hint: &str| {
            if ui
                .add_enabled(has_database, egui::Button::new(label))
                .on_hover_text(hint)
                .clicked()
            {
                app.commands.push(Command::ShowDialog(kind));
            }
        };
        item(
            ui,
            "Import…",
            DialogKind::ImportFiles,
            "Notes (.md, .txt), contacts (.vcf, .csv) and Folio backups (.json). You can also \
             drop them on the window.",
        );
        item(
            ui,
            "Import a folder…",
            DialogKind::ImportFolder,
            "Every note, vCard and CSV file in it",
        );
        ui.separator();
        item(
            ui,
            "Export notes as Markdown…",
            DialogKind::ExportMarkdown,
            "A new folder with one .md file per note",
        );
        item(
            ui,
            "Export notes as HTML…",
            DialogKind::ExportHtml,
            "One web page with every note, for reading or printing",
        );
        ui.add_enabled_ui(has_database, |ui| {
            ui.menu_button("Export contacts", |ui| {
                for (label, format, hint) in CONTACT_EXPORTS {
                    item(ui, label, DialogKind::ExportContacts(format), hint);
                }
            });
        });
        item(
            ui,
            "Back up everything…",
            DialogKind::Backup,
            "Notes, contacts, tags and links, as JSON",
        );
        // The list as shown, when a search or a filter narrows it.
        if let Some(session) = app.session.as_ref()
            && session.section == Section::Notes
            && (session.list.filter() != NoteFilter::All || !session.list.search().is_empty())
        {
            let shown = count_of(session.list.total().unwrap_or(0), "note");
            ui.separator();
            for (label, kind) in [
                (
                    format!("Export the {shown} shown as Markdown…"),
                    DialogKind::ExportMarkdown,
                ),
                (
                    format!("Export the {shown} shown as HTML…"),
                    DialogKind::ExportHtml,
                ),
            ] {
                if ui.button(label).clicked() {
                    app.commands.push(Command::ExportShown(kind));
                }
            }
        }
        if let Some(editor) = app.session.as_ref().and_then(|s| s.editor.as_ref())
            && app
                .session
                .as_ref()
                .is_some_and(|s| s.section == Section::Notes)
        {
            let title = if editor.note.title.trim().is_empty() {
                "Untitled".to_owned()
            } else {
                editor.note.title.trim().to_owned()
            };
            let title: String = if title.chars().count() > 32 {
                title.chars().take(31).chain(['…']).collect()
            } else {
                title
            };
            ui.separator();
            for (label, kind) in [
                (
                    format!("Export “{title}” as Markdown…"),
                    DialogKind::ExportMarkdown,
                ),
                (format!("Export “{title}” as HTML…"), DialogKind::ExportHtml),
            ] {
                if ui.button(label).clicked() {
                    app.commands.push(Command::ExportOpenNote(kind));
                }
            }
        }
        if let Some(session) = app.session.as_ref()
            && session.section == Section::Contacts
            && (session.contacts.filter() != ContactFilter::All
                || !session.contacts.search().is_empty())
        {
            let shown = count_of(session.contacts.total().unwrap_or(0), "contact");
            ui.separator();
            for (label, format) in [
                (
                    format!("Export the {shown} shown as vCard…"),
                    ContactFormat::VCard(CardVersion::V4),
                ),
                (
                    format!("Export the {shown} shown as CSV…"),
                    ContactFormat::Csv { excel: false },
                ),
            ] {
                if ui.button(label).clicked() {
                    app.commands
                        .push(Command::ExportShown(DialogKind::ExportContacts(format)));
                }
            }
        }
        ui.separator();
        if ui.button("Quit").clicked() {
            app.commands.push(Command::Quit);
        }
    });
}

/// The contact exports in the File menu, with what each is for.
const CONTACT_EXPORTS: [(&str, ContactFormat, &str); 4] = [
    (
        "as vCard 4.0…",
        ContactFormat::VCard(CardVersion::V4),
        "One .vcf file (RFC 6350), for current address books",
    ),
    (
        "as vCard 3.0…",
        ContactFormat::VCard(CardVersion::V3),
        "One .vcf file (RFC 2426), for older phones and address books",
    ),
    (
        "as CSV…",
        ContactFormat::Csv { excel: false },
        "Google Contacts' columns, which Google and Outlook import",
    ),
    (
        "as CSV for Excel…",
        ContactFormat::Csv { excel: true },
        "The same, marked as UTF-8 so Excel shows accents right",
    ),
];

fn view_menu(ui: &mut Ui, app: &mut FolioApp) {
    ui.menu_button("View", |ui| {
        ui.label(RichText::new("Theme").weak());
        for theme in ThemeChoice::ALL {
            if ui
                .radio(app.settings.theme == theme, theme.label())
                .clicked()
            {
                app.commands.push(Command::Theme(theme));
            }
        }
        ui.separator();
        ui.label(RichText::new("Sort notes by").weak());
        for sort in SortChoice::ALL {
            if ui.radio(app.settings.sort == sort, sort.label()).clicked() {
                app.commands.push(Command::Sort(sort));
            }
        }
        ui.separator();
        ui.label(RichText::new("Sort contacts by").weak());
        for sort in ContactSortChoice::ALL {
            if ui
                .radio(app.settings.contact_sort == sort, sort.label())
                .clicked()
            {
                app.commands.push(Command::SortContacts(sort));
            }
        }
    });
}

pub fn status_bar(ui: &mut Ui, app: &mut FolioApp) {
    egui::Panel::bottom("status-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let Some(session) = app.session.as_ref() else {
                ui.label("No database open");
                return;
            };
            let (shown, total, noun) = match session.section {
                Section::Notes => (session.list.total(), session.sidebar.all, "notes"),
                Section::Contacts => (
                    session.contacts.total(),
                    session.sidebar.contacts,
                    "contacts",
                ),
            };
            ui.label(format!(
                "{} of {} {noun}",
                group(shown.unwrap_or(0)),
                group(total)
            ));
            ui.separator();
            ui.label(RichText::new(session.repo.path().display().to_string()).weak());
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let birthday_invalid = session
                    .contact_editor
                    .as_ref()
                    .is_some_and(|e| e.birthday.parse() == BirthdayInput::Invalid);
                match &session.save_state {
                    _ if birthday_invalid => {
                        ui.colored_label(ui.visuals().warn_fg_color, "Birthday not saved")
                            .on_hover_text(
                                "The birthday fields hold no date yet; everything else is saved.",
                            );
                    }
                    SaveState::Failed(reason) => {
                        ui.colored_label(ui.visuals().error_fg_color, "Not saved")
                            .on_hover_text(reason);
                    }
                    _ if session.unsaved_since().is_some() => {
                        ui.label("Saving…");
                    }
                    _ => {
                        ui.label("Saved");
                    }
                }
            });
        });
    });
}

/// 12345 → "12,345".
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn sidebar(ui: &mut Ui, app: &mut FolioApp) {
    let Some(session) = app.session.as_mut() else {
        return;
    };
    let commands = &mut app.commands;
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(190.0)
        .min_size(140.0)
        .show(ui, |ui| {
            ScrollArea::vertical().show(ui, |ui| {
                let counts = &session.sidebar;
                let notes_shown =
                    (session.section == Section::Notes).then(|| session.list.filter());
                let contacts_shown =
                    (session.section == Section::Contacts).then(|| session.contacts.filter());
                ui.add_space(6.0);
                ui.label(RichText::new("NOTES").small().strong().weak());
                let mut note_entry = |ui: &mut Ui, filter: NoteFilter, label: &str, count: i64| {
                    if sidebar_entry(ui, notes_shown == Some(filter), label, count) {
                        commands.push(Command::ShowList(filter));
                    }
                };
                note_entry(ui, NoteFilter::All, "All notes", counts.all);
                note_entry(ui, NoteFilter::Pinned, "Pinned", counts.pinned);
                // Above the tags, which can be many, so Trash never needs scrolling to.
                note_entry(ui, NoteFilter::Trash, "Trash", counts.trash);
                ui.add_space(10.0);
                ui.label(RichText::new("CONTACTS").small().strong().weak());
                let shows_birthdays = matches!(
                    contacts_shown,
                    Some(ContactFilter::UpcomingBirthdays { .. })
                );
                let mut contact_entry =
                    |ui: &mut Ui, filter: ContactFilter, label: &str, count: i64| {
                        let selected = match filter {
                            ContactFilter::UpcomingBirthdays { .. } => shows_birthdays,
                            _ => contacts_shown == Some(filter),
                        };
                        if sidebar_entry(ui, selected, label, count) {
                            commands.push(Command::ShowContacts(filter));
                        }
                    };
                contact_entry(ui, ContactFilter::All, "All contacts", counts.contacts);
                contact_entry(ui, ContactFilter::Favorites, "Favourites", counts.favorites);
                contact_entry(
                    ui,
                    ContactFilter::UpcomingBirthdays { today: today() },
                    "Upcoming birthdays",
                    counts.birthdays,
                );
                contact_entry(ui, ContactFilter::Trash, "Trash", counts.contacts_trash);
                if !counts.groups.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("GROUPS").small().strong().weak());
                }
                for usage in &counts.groups {
                    contact_entry(
                        ui,
                        ContactFilter::Group(usage.tag.id),
                        &usage.tag.name,
                        usage.contacts,
                    );
                }
                if !counts.tags.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("TAGS").small().strong().weak());
                }
                for usage in &counts.tags {
                    if sidebar_entry(
                        ui,
                        notes_shown == Some(NoteFilter::Tag(usage.tag.id)),
                        &format!("# {}", usage.tag.name),
                        usage.notes,
                    ) {
                        commands.push(Command::ShowList(NoteFilter::Tag(usage.tag.id)));
                    }
                }
            });
        });
}

/// One line of the sidebar: a label and a count. Returns whether it was clicked to show.
fn sidebar_entry(ui: &mut Ui, selected: bool, label: &str, count: i64) -> bool {
    let response = ui.add_sized(
        vec2(ui.available_width(), 22.0),
        egui::Button::selectable(selected, label).right_text(RichText::new(group(count)).weak()),
    );
    response.clicked() && !selected
}

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

pub fn note_list(ui: &mut Ui, app: &mut FolioApp) {
    let Some(session) = app.session.as_mut() else {
        return;
    };
    let commands = &mut app.commands;
    egui::Panel::left("note-list")
        .resizable(true)
        .default_size(340.0)
        .min_size(220.0)
        .show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.heading(list_title(session));
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if session.list.filter() == NoteFilter::Trash
                        && session.list.total().unwrap_or(0) > 0
                        && ui.button("Empty trash…").clicked()
                    {
                        commands.push(Command::AskEmptyTrash);
                    }
                });
            });
            ui.separator();
            let terms = session.list.terms.clone();
            let clicked = virtual_list(
                ui,
                &mut session.list,
                &session.worker,
                "note-list-offset",
                |ui, row, selected, height| list_row(ui, row, selected, &terms, height),
            );
            match clicked {
                Some(id) => {
                    commands.push(Command::Select(id));
                    session.list_focused = true;
                }
                None if session.list.total() == Some(0) && session.list.is_current() => {
                    empty_list(ui, session);
                }
                None => {}
            }
        });
}

/// Draws the visible rows of a paged list (asking the list thread for those not loaded yet),
/// scrolled to the selected row when asked. Returns the row clicked.
pub fn virtual_list<K: ListKind>(
    ui: &mut Ui,
    list: &mut PagedList<K>,
    worker: &ListWorker,
    offset_key: &str,
    mut draw_row: impl FnMut(&mut Ui, &K::Row, bool, f32) -> bool,
) -> Option<K::Id> {
    let total = list.total().unwrap_or(0).max(0) as usize;
    // An empty or unknown list has no visible rows to ask for; ask for the first block.
    if total == 0 {
        list.request_rows(worker, 0..1);
        return None;
    }
    let row_height = row_height(ui);
    let mut scroll = ScrollArea::vertical().auto_shrink([false, false]);
    if list.scroll_to_selected {
        list.scroll_to_selected = false;
        if let Some(index) = list.selected.and_then(|id| list.index_of(id)) {
            let spacing = ui.spacing().item_spacing.y;
            let top = index as f32 * (row_height + spacing);
            let viewport = ui.available_height();
            let current = ui
                .ctx()
                .data(|d| d.get_temp::<f32>(Id::unique(offset_key)))
                .unwrap_or(0.0);
            if top < current || top + row_height > current + viewport {
                scroll = scroll.vertical_scroll_offset((top - viewport / 2.0).max(0.0));
            }
        }
    }
    let mut clicked = None;
    let output = scroll.show_rows(ui, row_height, total, |ui, rows| {
        list.request_rows(worker, rows.clone());
        for index in rows {
            match list.row(index) {
                Some(row) => {
                    let id = K::id(row);
                    if draw_row(ui, row, list.selected == Some(id), row_height) {
                        clicked = Some(id);
                    }
                }
                None => {
                    ui.add_sized(vec2(ui.available_width(), row_height), egui::Spinner::new());
                }
            }
        }
    });
    ui.ctx()
        .data_mut(|d| d.insert_temp(Id::unique(offset_key), output.state.clamped_offset().y));
    clicked
}

fn empty_list(ui: &mut Ui, session: &Session) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        let (headline, hint) = if !session.list.search().is_empty() {
            (
                format!("No notes match “{}”", session.list.search()),
                "Try fewer or shorter words. Press Esc to clear the search.".to_owned(),
            )
        } else {
            match session.list.filter() {
                NoteFilter::Trash => (
                    "Trash is empty".to_owned(),
                    "Notes you delete wait here until you empty the trash.".to_owned(),
                ),
                NoteFilter::Pinned => (
                    "No pinned notes".to_owned(),
                    "Pin a note to keep it at the top of every list.".to_owned(),
                ),
                NoteFilter::Pair(..) => (
                    "Both versions are gone".to_owned(),
                    "They were deleted meanwhile. Choose another list on the left.".to_owned(),
                ),
                NoteFilter::Tag(_) => (
                    "No notes with this tag".to_owned(),
                    "Add the tag to a note in its detail pane.".to_owned(),
                ),
                NoteFilter::All => (
                    "No notes yet".to_owned(),
                    "Press Ctrl+N to write your first note.".to_owned(),
                ),
            }
        };
        ui.label(RichText::new(headline).heading());
        ui.add_space(6.0);
        ui.label(RichText::new(hint).weak());
    });
}

pub fn row_height(ui: &Ui) -> f32 {
    let body = ui.text_style_height(&TextStyle::Body);
    let small = ui.text_style_height(&TextStyle::Small);
    body + small + 14.0
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

/// What painting a list row needs, its background already drawn.
pub struct RowPaint {
    pub painter: egui::Painter,
    /// The row less its padding.
    pub inner: egui::Rect,
    pub text_color: Color32,
    pub weak: Color32,
    /// The background of search matches.
    pub highlight: Color32,
    pub body_font: FontId,
    pub small_font: FontId,
}

/// Allocates a clickable row, one accessible list item named `name`, and draws its selected or
/// hovered background. No [`RowPaint`] when the row is out of sight: nothing to paint.
pub fn begin_row(
    ui: &mut Ui,
    height: f32,
    selected: bool,
    name: &str,
) -> (egui::Response, Option<RowPaint>) {
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click());
    response.widget_info(|| WidgetInfo::selected(Role::ListBoxOption, true, selected, name));
    if !ui.is_rect_visible(rect) {
        return (response, None);
    }
    let visuals = ui.visuals();
    let painter = ui.painter().clone();
    if selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let paint = RowPaint {
        painter,
        inner: rect.shrink2(vec2(8.0, 5.0)),
        text_color,
        weak: if selected {
            text_color
        } else {
            visuals.weak_text_color()
        },
        highlight: if visuals.dark_mode {
            Color32::from_rgb(120, 96, 20)
        } else {
            Color32::from_rgb(255, 226, 140)
        },
        body_font: TextStyle::Body.resolve(ui.style()),
        small_font: TextStyle::Small.resolve(ui.style()),
    };
    (response, Some(paint))
}

/// One line of text, cut with "…" at `width`, with every match of `terms` on a highlight.
pub fn highlighted(
    text: &str,
    terms: &[Term],
    font: FontId,
    color: Color32,
    highlight: Color32,
    width: f32,
) -> LayoutJob {
    let mut job = LayoutJob {
        wrap: TextWrapping::truncate_at_width(width),
        ..LayoutJob::default()
    };
    let plain = TextFormat::simple(font.clone(), color);
    let marked = TextFormat {
        background: highlight,
        color: if highlight.r() > 200 {
            Color32::BLACK
        } else {
            Color32::WHITE
        },
        ..TextFormat::simple(font, color)
    };
    let mut at = 0;
    for range in match_ranges(text, terms) {
        job.append(&text[at..range.start], 0.0, plain.clone());
        job.append(&text[range.clone()], 0.0, marked.clone());
        at = range.end;
    }
    job.append(&text[at..], 0.0, plain);
    job
}

/// A date for the list: the time today, day and month this year, the full date before.
pub fn short_date(stamp: Timestamp) -> String {
    use chrono::{Datelike, Local, TimeZone};
    let Some(when) = Local.timestamp_millis_opt(stamp.0).single() else {
        return String::new();
    };
    let now = Local::now();
    if when.date_naive() == now.date_naive() {
        when.format("%H:%M").to_string()
    } else if when.year() == now.year() {
        when.format("%-d %b").to_string()
    } else {
        when.format("%-d %b %Y").to_string()
    }
}

pub fn long_date(stamp: Timestamp) -> String {
    use chrono::{Local, TimeZone};
    Local
        .timestamp_millis_opt(stamp.0)
        .single()
        .map(|when| when.format("%-d %b %Y, %H:%M").to_string())
        .unwrap_or_default()
}

pub fn note_detail(ui: &mut Ui, app: &mut FolioApp) {
    let Some(session) = app.session.as_mut() else {
        return;
    };
    let commands = &mut app.commands;
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(editor) = session.editor.as_mut() else {
            ui.add_space(60.0);
            ui.vertical_centered(|ui| {
                let hint = if session.sidebar.all == 0 && session.list.filter() == NoteFilter::All {
                    "No notes yet — press Ctrl+N"
                } else {
                    "Select a note, or press Ctrl+N for a new one"
                };
                ui.label(RichText::new(hint).weak());
            });
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
                    commands.push(Command::Restore(Item::Note(id)));
                }
                if ui.button("Delete permanently…").clicked() {
                    commands.push(Command::AskDeletePermanently(Item::Note(id)));
                }
            } else {
                let pinned = editor.note.pinned;
                let pin_label = if pinned { "Unpin" } else { "Pin" };
                if ui
                    .selectable_label(pinned, pin_label)
                    .on_hover_text("Pinned notes stay at the top of the list")
                    .clicked()
                {
                    commands.push(Command::SetPinned(id, !pinned));
                }
                if ui
                    .button("Move to Trash")
                    .on_hover_text("Ctrl+Delete")
                    .clicked()
                {
                    commands.push(Command::Trash(Item::Note(id)));
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
        tag_editor(ui, session, commands, read_only);
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
                        egui_commonmark::CommonMarkViewer::new().show(
                            ui,
                            &mut editor.markdown,
                            &editor.body,
                        );
                    });
            }
        }
    });
}

/// The note's tags as chips with ×, and an input that suggests existing tags.
fn tag_editor(ui: &mut Ui, session: &mut Session, commands: &mut Vec<Command>, read_only: bool) {
    let Some(editor) = session.editor.as_mut() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        for tag in &editor.note.tags {
            if read_only {
                ui.label(format!("# {}", tag.name));
            } else if ui
                .button(format!("# {}  ×", tag.name))
                .on_hover_text("Remove this tag")
                .clicked()
            {
                commands.push(Command::RemoveTag(tag.name.clone()));
            }
        }
        if read_only {
            return;
        }
        let input = ui
            .add(
                TextEdit::singleline(&mut editor.tag_input)
                    .hint_text("Add tag…")
                    .desired_width(140.0),
            )
            .accessible_name("Add tag");
        if input.has_focus() {
            session.list_focused = false;
        }
        if input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.push(Command::AddTag(editor.tag_input.clone()));
            input.request_focus();
        }
    });
    if read_only || editor.tag_input.trim().is_empty() {
        return;
    }
    let fragment = editor.tag_input.trim().to_owned();
    if editor.suggestions_for.as_deref() != Some(fragment.as_str()) {
        // Only when the input changed: one indexed query on the tags table.
        editor.tag_suggestions = session
            .repo
            .suggest_tags(&fragment, TAG_SUGGESTIONS + editor.note.tags.len() as i64)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| !editor.note.tags.iter().any(|own| own.id == t.id))
            .take(TAG_SUGGESTIONS as usize)
            .collect();
        editor.suggestions_for = Some(fragment);
    }
    if !editor.tag_suggestions.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Suggestions:").small().weak());
            for tag in &editor.tag_suggestions {
                if ui.small_button(format!("# {}", tag.name)).clicked() {
                    commands.push(Command::AddTag(tag.name.clone()));
                }
            }
        });
    }
}

/// The people a note is about, as chips that open the contact, and an input that suggests
/// contacts by name (or offers to create one).
fn people_editor(ui: &mut Ui, session: &mut Session, commands: &mut Vec<Command>, read_only: bool) {
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
                commands.push(Command::GoToContact(person.id));
            }
            if !read_only
                && ui
                    .small_button("×")
                    .on_hover_text("Remove from this note")
                    .accessible_name(format!("Remove {name}"))
                    .clicked()
            {
                commands.push(Command::RemovePerson(person.id));
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
            Some(person) => Command::AddPerson(person.id),
            None => Command::AddNewPerson(fragment.clone()),
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Suggestions:").small().weak());
        for person in &editor.person_suggestions {
            if ui.small_button(display_label(&person.label)).clicked() {
                commands.push(Command::AddPerson(person.id));
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
            commands.push(Command::AddNewPerson(fragment.clone()));
        }
    });
}

pub fn no_database(ui: &mut Ui, app: &mut FolioApp) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(80.0);
        ui.vertical_centered(|ui| {
            if app.slow_opening().is_some() || app.error.is_none() {
                ui.spinner();
                ui.label("Opening your notes…");
            } else {
                ui.label(RichText::new("No database is open").heading());
                ui.add_space(8.0);
                if ui.button("Open database…").clicked() {
                    app.commands
                        .push(Command::ShowDialog(DialogKind::OpenDatabase));
                }
                if ui.button("New database…").clicked() {
                    app.commands
                        .push(Command::ShowDialog(DialogKind::NewDatabase));
                }
            }
        });
    });
}
