//! Names as chips with ×, and an input that suggests more as the user types: a note's tags
//! and a contact's groups (one vocabulary, one table).

use egui::{RichText, TextEdit, Ui};

use crate::ui::state::typeahead::Typeahead;

/// How one set of chips is worded.
pub struct ChipWords {
    /// Before each name on a chip: "# " for tags.
    pub prefix: &'static str,
    /// The input's hint, "Add tag…".
    pub hint: &'static str,
    /// The input's accessible name, "Add tag".
    pub input_name: &'static str,
    /// The tooltip of a chip's ×.
    pub remove_hint: &'static str,
}

/// What the user did with the chips.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ChipsChanged {
    pub added: Option<String>,
    pub removed: Option<String>,
    /// The input has the keyboard.
    pub typing: bool,
}

/// Draws `names` as chips (with × unless `read_only`), the input, and the suggestions for
/// what is typed. Asking for suggestions is the caller's: when [`Typeahead::wanted`] says so.
pub fn chips_with_typeahead(
    ui: &mut Ui,
    names: &[String],
    typeahead: &mut Typeahead,
    words: &ChipWords,
    read_only: bool,
) -> ChipsChanged {
    let mut changed = ChipsChanged::default();
    ui.horizontal_wrapped(|ui| {
        for name in names {
            if read_only {
                ui.label(format!("{}{name}", words.prefix));
            } else if ui
                .button(format!("{}{name}  ×", words.prefix))
                .on_hover_text(words.remove_hint)
                .clicked()
            {
                changed.removed = Some(name.clone());
            }
        }
        if read_only {
            return;
        }
        let input = ui
            .add(
                TextEdit::singleline(&mut typeahead.input)
                    .hint_text(words.hint)
                    .desired_width(140.0),
            )
            .accessible_name(words.input_name);
        changed.typing = input.has_focus();
        if input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            changed.added = Some(typeahead.input.clone());
            input.request_focus();
        }
    });
    if read_only || typeahead.shown().is_empty() {
        return changed;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Suggestions:").small().weak());
        for name in typeahead.shown() {
            if ui.small_button(format!("{}{name}", words.prefix)).clicked() {
                changed.added = Some(name.clone());
            }
        }
    });
    changed
}
