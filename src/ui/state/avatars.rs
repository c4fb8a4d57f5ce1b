//! The textures of contact thumbnails, made from the small JPEGs the list rows carry. A
//! texture is made the first time a row shows, at most a few a frame, so scrolling through a
//! long list never stalls a frame; rows waiting for theirs show initials meanwhile.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{ColorImage, Context, TextureHandle, TextureId, TextureOptions};

use crate::db::ContactId;

/// Textures made per frame at most (about 0.2 ms each).
const DECODES_PER_FRAME: usize = 6;
/// Textures kept; a list shows a few dozen rows at once.
const KEPT: usize = 400;

#[derive(Default)]
pub struct Avatars {
    /// Each contact's texture, with the thumbnail it was made from (a new photo is a new one).
    textures: HashMap<ContactId, (Arc<[u8]>, TextureHandle)>,
    /// Thumbnails that are no picture: initials, without trying again.
    unreadable: HashMap<ContactId, Arc<[u8]>>,
    decoded_this_frame: usize,
    frame: u64,
}

impl Avatars {
    /// The texture of a contact's thumbnail, made now if the frame's budget allows; `None`
    /// shows initials (and asks for another frame when only the budget was short).
    pub fn texture(&mut self, ctx: &Context, id: ContactId, jpeg: &Arc<[u8]>) -> Option<TextureId> {
        let frame = ctx.cumulative_frame_nr();
        if frame != self.frame {
            self.frame = frame;
            self.decoded_this_frame = 0;
        }
        // By content: the list and the page read the same thumbnail separately, and a list
        // reloaded after a save brings new copies of unchanged ones.
        let cached = self.textures.get(&id);
        if let Some((made_from, texture)) = cached
            && **made_from == **jpeg
        {
            return Some(texture.id());
        }
        if self.unreadable.get(&id).is_some_and(|bad| **bad == **jpeg) {
            return None;
        }
        if self.decoded_this_frame >= DECODES_PER_FRAME {
            ctx.request_repaint();
            // The photo before a change stays until the new one's turn comes.
            return cached.map(|(_, texture)| texture.id());
        }
        self.decoded_this_frame += 1;
        if self.textures.len() >= KEPT {
            self.textures.clear();
            self.unreadable.clear();
        }
        match crate::picture::rgba(jpeg) {
            Ok((width, height, pixels)) => {
                let image = ColorImage::from_rgba_unmultiplied([width, height], &pixels);
                let texture =
                    ctx.load_texture(format!("avatar-{}", id.0), image, TextureOptions::LINEAR);
                let texture_id = texture.id();
                self.textures.insert(id, (Arc::clone(jpeg), texture));
                Some(texture_id)
            }
            Err(e) => {
                log::info!("thumbnail of contact {} unreadable: {e}", id.0);
                self.unreadable.insert(id, Arc::clone(jpeg));
                None
            }
        }
    }
}
