//! The pictures of notes in the preview. A `![…](attachment:UUID)` image is read from the
//! database and decoded on a thread of its own (a 12-megapixel photo takes a few hundred
//! milliseconds), so no frame waits for it: egui shows a spinner meanwhile, then the picture,
//! scaled to the pane. A picture that cannot be decoded (damaged, too large) shows a grey
//! placeholder with a cross instead, and the log says why. Decoded pictures are kept by UUID,
//! and egui keeps their textures by the same URI. Decoding goes through [`crate::picture`], as
//! contact photos do.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

use egui::load::{ImageLoadResult, ImageLoader, ImagePoll, LoadError, SizeHint};
use egui::{ColorImage, Context};

use crate::db::{ATTACHMENT_SCHEME, Repository};

/// The memory decoded pictures may hold (each is at most 1600 px a side, 10 MB): past it,
/// the pictures kept are forgotten and read again when shown.
const KEPT_BYTES: usize = 160 * 1024 * 1024;

/// The size of the placeholder shown for a picture that cannot be shown, in pixels.
pub const PLACEHOLDER_SIZE: [usize; 2] = [240, 160];

enum Entry {
    Loading,
    Ready(Arc<ColorImage>),
}

/// A grey card with a cross: where a picture that cannot be shown would be.
fn placeholder() -> ColorImage {
    let [width, height] = PLACEHOLDER_SIZE;
    let mut image = ColorImage::filled(PLACEHOLDER_SIZE, egui::Color32::from_gray(200));
    let ink = egui::Color32::from_gray(130);
    for x in 0..width {
        for y in [0, height - 1] {
            image.pixels[y * width + x] = ink;
        }
        // The two diagonals.
        let y = x * (height - 1) / (width - 1);
        image.pixels[y * width + x] = ink;
        image.pixels[(height - 1 - y) * width + x] = ink;
    }
    for y in 0..height {
        image.pixels[y * width] = ink;
        image.pixels[y * width + width - 1] = ink;
    }
    image
}

#[derive(Default)]
struct Shared {
    entries: Mutex<HashMap<String, Entry>>,
    /// The database pictures are read from, and the thread that reads them (none when it
    /// could not be started: not tried again for the same database).
    source: Mutex<Option<(PathBuf, Option<Sender<String>>)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A thread that panicked while holding it left plain data; the cache is still usable.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The window's loader of note pictures: one for the app, following the open database.
#[derive(Clone, Default)]
pub struct NotePictures {
    shared: Arc<Shared>,
}

impl NotePictures {
    /// Makes egui ask this loader for `attachment:` images.
    pub fn install(ctx: &Context) -> Self {
        let pictures = NotePictures::default();
        ctx.add_image_loader(Arc::new(Loader(Arc::clone(&pictures.shared))));
        pictures
    }

    /// Reads pictures from `repo`'s database from now on (a connection of its own, on its own
    /// thread); pictures of another database are forgotten. Cheap when it is the same one.
    pub fn follow(&self, repo: &Repository, ctx: &Context) {
        let mut source = lock(&self.shared.source);
        if source.as_ref().is_some_and(|(path, _)| path == repo.path()) {
            return;
        }
        *source = Some((repo.path().to_owned(), None));
        lock(&self.shared.entries).clear();
        ctx.forget_all_images();
        let Ok(reader) = repo.another_connection() else {
            // Pictures then show as placeholders; the text is unaffected.
            return;
        };
        let (requests, incoming) = mpsc::channel();
        let shared = Arc::clone(&self.shared);
        let wake = ctx.clone();
        let started = std::thread::Builder::new()
            .name("folio-pictures".to_owned())
            .spawn(move || decode_requests(reader, &incoming, &shared, &wake));
        if started.is_ok() {
            *source = Some((repo.path().to_owned(), Some(requests)));
        }
    }

    /// Whether a picture is still being read or decoded (tests wait for it).
    pub fn is_loading(&self) -> bool {
        lock(&self.shared.entries)
            .values()
            .any(|e| matches!(e, Entry::Loading))
    }
}

/// The thread: reads each picture asked for, decodes it, and wakes the window.
fn decode_requests(
    mut repo: Repository,
    incoming: &Receiver<String>,
    shared: &Shared,
    wake: &Context,
) {
    while let Ok(uri) = incoming.recv() {
        let uuid = &uri[ATTACHMENT_SCHEME.len()..];
        let decoded = match repo.attachment_bytes(uuid) {
            Ok(Some(bytes)) => crate::picture::preview(&bytes).map_err(|e| e.to_string()),
            Ok(None) => Err("it is not in the database".to_owned()),
            Err(e) => Err(e.to_string()),
        };
        let image = match decoded {
            Ok((width, height, rgba)) => ColorImage::from_rgba_unmultiplied([width, height], &rgba),
            Err(why) => {
                log::info!("picture {uuid} shown as a placeholder: {why}");
                placeholder()
            }
        };
        let entry = Entry::Ready(Arc::new(image));
        let mut entries = lock(&shared.entries);
        let mut evicted = Vec::new();
        // Forgotten meanwhile (another database opened): not kept.
        if entries.contains_key(&uri) {
            if held_bytes(&entries) > KEPT_BYTES {
                evicted = entries
                    .iter()
                    .filter(|(_, e)| matches!(e, Entry::Ready(_)))
                    .map(|(uri, _)| uri.clone())
                    .collect();
                entries.retain(|_, e| matches!(e, Entry::Loading));
            }
            entries.insert(uri, entry);
        }
        drop(entries);
        // egui's textures of those go too (it asks again for any still shown). Outside the
        // lock: forgetting calls back into the loader.
        for uri in evicted {
            wake.forget_image(&uri);
        }
        wake.request_repaint();
    }
}

/// The memory the decoded pictures hold.
fn held_bytes(entries: &HashMap<String, Entry>) -> usize {
    entries
        .values()
        .map(|e| match e {
            Entry::Ready(image) => image.pixels.len() * 4,
            Entry::Loading => 0,
        })
        .sum()
}

struct Loader(Arc<Shared>);

impl ImageLoader for Loader {
    fn id(&self) -> &str {
        concat!(module_path!(), "::Loader")
    }

    fn load(&self, _ctx: &Context, uri: &str, _size_hint: SizeHint) -> ImageLoadResult {
        if !uri.starts_with(ATTACHMENT_SCHEME) {
            return Err(LoadError::NotSupported);
        }
        let mut entries = lock(&self.0.entries);
        match entries.get(uri) {
            Some(Entry::Ready(image)) => {
                return Ok(ImagePoll::Ready {
                    image: Arc::clone(image),
                });
            }
            Some(Entry::Loading) => return Ok(ImagePoll::Pending { size: None }),
            None => {}
        }
        let source = lock(&self.0.source);
        let Some((_, Some(requests))) = source.as_ref() else {
            // Nothing to read pictures with: the placeholder, asked for once.
            entries.insert(uri.to_owned(), Entry::Ready(Arc::new(placeholder())));
            return Ok(ImagePoll::Ready {
                image: Arc::new(placeholder()),
            });
        };
        if requests.send(uri.to_owned()).is_err() {
            return Err(LoadError::Loading(
                "Pictures cannot be read just now.".to_owned(),
            ));
        }
        entries.insert(uri.to_owned(), Entry::Loading);
        Ok(ImagePoll::Pending { size: None })
    }

    fn forget(&self, uri: &str) {
        lock(&self.0.entries).remove(uri);
    }

    fn forget_all(&self) {
        lock(&self.0.entries).clear();
    }

    fn byte_size(&self) -> usize {
        held_bytes(&lock(&self.0.entries))
    }

    fn has_pending(&self) -> bool {
        lock(&self.0.entries)
            .values()
            .any(|e| matches!(e, Entry::Loading))
    }
}
