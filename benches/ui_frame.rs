//! CPU time of the window's frames on a large database, headless (egui_kittest, no GPU):
//! the same `FolioApp::show` the window runs each frame.
//!
//! `cargo bench --bench ui_frame -- DATABASE [--frames N]`
//!
//! DATABASE is a Folio file, e.g. the one `cargo bench --bench repository -- CORPUS --db PATH`
//! fills with 100,000 notes. The bench opens it, selects the first note, waits for the list,
//! then times idle frames (list + open note drawn, nothing changed) and frames while typing into
//! the note. Then the same for the contacts (if the database has any), plus frames that move
//! down the contact list with the arrow key (each opens the next contact).

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::ui::{FolioApp, ScriptedDialogs, Settings, Timing};

/// CPU time this thread has used (CLOCK_THREAD_CPUTIME_ID: nanoseconds, unlike /proc's
/// tick-granular figures).
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    if ok {
        Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
    } else {
        Duration::ZERO
    }
}

fn settle(harness: &mut Harness<'_, FolioApp>) {
    for _ in 0..2000 {
        harness.step();
        if harness.state().is_settled() {
            harness.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the app never settled");
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} |",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms[ms.len() - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(database) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench ui_frame -- DATABASE [--frames N]");
        std::process::exit(2);
    };
    let frames: usize = args
        .iter()
        .position(|a| a == "--frames")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(300);

    let app = FolioApp::new(
        database.clone(),
        Settings::default(),
        Box::new(ScriptedDialogs::default()),
        Timing::default(),
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut FolioApp| app.show(ui), app);
    settle(&mut harness);
    let total = harness
        .state_mut()
        .session_mut()
        .and_then(|s| s.list.total())
        .unwrap_or(0);
    println!("- database: {} ({total} notes)", database.display());
    println!("\n| frame | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|");
    if total > 0 {
        measure_notes(&mut harness, frames);
    }
    measure_contacts(&mut harness, frames);
}

/// Idle frames with a note open, then frames typing into it.
fn measure_notes(harness: &mut Harness<'_, FolioApp>, frames: usize) {
    measure_opening_pictures(harness);
    harness
        .query_all_by_role(egui::accesskit::Role::ListBoxOption)
        .next()
        .expect("the list shows rows")
        .click();
    settle(harness);
    let mut idle = Vec::with_capacity(frames);
    for _ in 0..frames {
        let before = thread_cpu();
        harness.step();
        idle.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    report("idle: list + open note", idle);

    harness.get_by_label("Body").click();
    harness.step();
    let mut typing = Vec::with_capacity(frames);
    for i in 0..frames {
        harness
            .get_by_label("Body")
            .type_text(if i % 10 == 9 { " " } else { "x" });
        let before = thread_cpu();
        harness.step();
        typing.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    report("typing one character into the open note", typing);
}

/// The pictures the open note names, as egui knows them.
fn open_note_pictures(harness: &mut Harness<'_, FolioApp>) -> Vec<String> {
    harness
        .state_mut()
        .session_mut()
        .and_then(|s| s.editor.as_ref())
        .map(|e| folio::db::attachment_refs(&e.body))
        .unwrap_or_default()
        .into_iter()
        .map(|uuid| format!("{}{uuid}", folio::db::ATTACHMENT_SCHEME))
        .collect()
}

/// Steps frames until every one of `uris` has its texture, timing each frame; returns the
/// frames' times and how long it took.
fn until_shown(harness: &mut Harness<'_, FolioApp>, uris: &[String]) -> (Vec<f64>, Duration) {
    let started = std::time::Instant::now();
    let shown = |harness: &Harness<'_, FolioApp>| {
        uris.iter().all(|uri| {
            matches!(
                harness.ctx.try_load_texture(
                    uri,
                    egui::TextureOptions::default(),
                    egui::load::SizeHint::default()
                ),
                Ok(egui::load::TexturePoll::Ready { .. })
            )
        })
    };
    let mut frames = Vec::new();
    while !shown(harness) && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
        let before = thread_cpu();
        harness.step();
        frames.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    (frames, started.elapsed())
}

/// Opening the first note (with the attachments bench's database, one holding a 12-megapixel
/// photo): the frame that opens it asks for its pictures without waiting for them; they are
/// decoded on their own thread while frames go on. Then its preview (Ctrl+E), pictures ready.
fn measure_opening_pictures(harness: &mut Harness<'_, FolioApp>) {
    let row = harness
        .query_all_by_role(egui::accesskit::Role::ListBoxOption)
        .next()
        .expect("the list shows rows");
    row.click();
    let before = thread_cpu();
    harness.step();
    let opening = (thread_cpu() - before).as_secs_f64() * 1e3;
    let uris = open_note_pictures(harness);
    if uris.is_empty() {
        return;
    }
    report(
        "opening a note with a 12-MP photo: the first frame",
        vec![opening],
    );
    let (frames, took) = until_shown(harness, &uris);
    if !frames.is_empty() {
        report("frames while its picture decodes", frames);
    }
    println!(
        "- its picture was ready {:.0} ms after the note opened",
        took.as_secs_f64() * 1e3
    );
    settle(harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    let before = thread_cpu();
    harness.step();
    report(
        "its preview (Ctrl+E): the first frame, the photo drawn",
        vec![(thread_cpu() - before).as_secs_f64() * 1e3],
    );
    let mut preview = Vec::new();
    for _ in 0..100 {
        let before = thread_cpu();
        harness.step();
        preview.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    report("idle: its preview, the photo drawn", preview);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    settle(harness);
}

/// The same with the contacts, then frames moving down their list.
fn measure_contacts(harness: &mut Harness<'_, FolioApp>, frames: usize) {
    harness.get_by_label_contains("All contacts").click();
    settle(harness);
    let Some(first) = harness
        .query_all_by_role(egui::accesskit::Role::ListBoxOption)
        .next()
    else {
        return;
    };
    first.click();
    settle(harness);
    let contacts = harness
        .state_mut()
        .session_mut()
        .and_then(|s| s.contacts.total())
        .unwrap_or(0);
    println!("- contacts: {contacts}");
    let mut idle = Vec::with_capacity(frames);
    for _ in 0..frames {
        let before = thread_cpu();
        harness.step();
        idle.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    report("idle: contact list + open contact", idle);

    harness.get_by_label("Job title").click();
    harness.step();
    let mut typing = Vec::with_capacity(frames);
    for i in 0..frames {
        harness
            .get_by_label("Job title")
            .type_text(if i % 10 == 9 { " " } else { "x" });
        let before = thread_cpu();
        harness.step();
        typing.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    report("typing one character into the open contact", typing);
    settle(harness);

    // Down moves through the list: each press saves nothing, opens the next contact (read on
    // this thread) and scrolls; rows further down arrive from the list thread.
    harness.key_press(egui::Key::Escape);
    settle(harness);
    let mut moving = Vec::with_capacity(frames);
    for _ in 0..frames.min(200) {
        harness.input_mut().events.push(egui::Event::Key {
            key: egui::Key::ArrowDown,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        });
        let before = thread_cpu();
        harness.step();
        moving.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    report("Down arrow: next contact opened, list scrolled", moving);
}
