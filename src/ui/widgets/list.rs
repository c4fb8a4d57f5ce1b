//! The scaffolding both lists share: a virtual list that draws only its visible rows (asking
//! the list thread for those not loaded yet), painted rows with search matches highlighted,
//! and the empty state.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{
    Color32, FontId, Id, RichText, Role, ScrollArea, Sense, TextStyle, Ui, WidgetInfo, vec2,
};

use crate::search::{Term, match_ranges};
use crate::ui::state::paged_list::{ListKind, PagedList};
use crate::ui::worker::ListWorker;

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

pub fn row_height(ui: &Ui) -> f32 {
    let body = ui.text_style_height(&TextStyle::Body);
    let small = ui.text_style_height(&TextStyle::Small);
    body + small + 14.0
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

/// What a list pane says: its heading, and when it is known to be empty, a headline and a
/// hint. `id` names the pane (and keeps its scroll offset).
pub struct PaneWords<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub empty: (&'a str, &'a str),
}

/// The list pane both halves share, on the left of the detail: the list's heading with its own
/// buttons on the right, the rows, and what the list says when it is known to be empty.
/// Returns the row clicked.
pub fn list_pane<K: ListKind>(
    ui: &mut Ui,
    words: &PaneWords,
    list: &mut PagedList<K>,
    worker: &ListWorker,
    buttons: impl FnOnce(&mut Ui),
    draw_row: impl FnMut(&mut Ui, &K::Row, bool, f32) -> bool,
) -> Option<K::Id> {
    let PaneWords { id, title, empty } = *words;
    egui::Panel::left(id.to_owned())
        .resizable(true)
        .default_size(340.0)
        .min_size(220.0)
        .show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.heading(title);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), buttons);
            });
            ui.separator();
            let clicked = virtual_list(ui, list, worker, &format!("{id}-offset"), draw_row);
            if clicked.is_none() && list.total() == Some(0) && list.is_current() {
                empty_state(ui, empty.0, empty.1);
            }
            clicked
        })
        .inner
}

/// What an empty list says: a headline and a hint of what to do.
pub fn empty_state(ui: &mut Ui, headline: &str, hint: &str) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(headline).heading());
        ui.add_space(6.0);
        ui.label(RichText::new(hint).weak());
    });
}

/// What the detail pane says when nothing is open.
pub fn nothing_open(ui: &mut Ui, hint: &str) {
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(hint).weak());
    });
}
