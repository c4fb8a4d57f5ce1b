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
    measure_preview(harness);
}

/// The open note switched to its preview (Ctrl+E): the first frame, which asks for the
/// note's pictures without waiting for them, then each frame until they have arrived, decoded
/// on their own thread. With the attachments bench's database the open note holds a
/// 12-megapixel photo.
fn measure_preview(harness: &mut Harness<'_, FolioApp>) {
    settle(harness);
    harness.input_mut().events.push(egui::Event::Key {
        key: egui::Key::E,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    });
    let asked = std::time::Instant::now();
    let before = thread_cpu();
    harness.step();
    report(
        "preview: first frame (pictures asked for, not waited for)",
        vec![(thread_cpu() - before).as_secs_f64() * 1e3],
    );
    let mut waiting = Vec::new();
    while !harness.state().is_settled() && asked.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
        let before = thread_cpu();
        harness.step();
        waiting.push((thread_cpu() - before).as_secs_f64() * 1e3);
    }
    let arrived = asked.elapsed();
    if !waiting.is_empty() {
        report("preview: frames while the pictures decode", waiting);
    }
    println!(
        "- the preview's pictures arrived {:.0} ms after it opened",
        arrived.as_secs_f64() * 1e3
    );
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
