//! The open article's pictures, decoded off the UI thread: one slot per (file, size), asked for
//! when a picture comes into view, kept until the cache fills.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::Effect;

/// A picture encoded for the terminal at one size (half-blocks or a graphics protocol).
#[derive(Clone)]
pub struct Drawn(pub Arc<ratatui_image::protocol::Protocol>);

impl std::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = self.0.size();
        write!(f, "Drawn({}×{})", size.width, size.height)
    }
}

/// A picture file at a size in cells (columns, rows).
pub type PictureKey = (PathBuf, u16, u16);

/// Where one picture is.
#[derive(Clone, Debug)]
pub enum Slot {
    /// Asked for; its rows stay blank meanwhile.
    Pending,
    Ready(Drawn),
    /// Could not be decoded; why, for its rows.
    Failed(String),
}

/// How many sizes of pictures are kept.
const CAPACITY: usize = 48;

/// Decoded pictures by file and size.
#[derive(Clone, Debug, Default)]
pub struct Pictures {
    slots: HashMap<PictureKey, Slot>,
    /// Keys oldest first, to drop the oldest when full.
    order: Vec<PictureKey>,
}

impl Pictures {
    pub fn get(&self, key: &PictureKey) -> Option<&Slot> {
        self.slots.get(key)
    }

    /// Asks for `key` unless it is known: the effect that decodes it.
    pub fn want(&mut self, key: PictureKey) -> Option<Effect> {
        if self.slots.contains_key(&key) {
            return None;
        }
        if self.order.len() >= CAPACITY {
            let old = self.order.remove(0);
            self.slots.remove(&old);
        }
        self.slots.insert(key.clone(), Slot::Pending);
        self.order.push(key.clone());
        let (path, cols, rows) = key;
        Some(Effect::DrawPicture { path, cols, rows })
    }

    /// A decoded picture (or why not) for a slot still waiting; others are dropped.
    pub fn arrived(&mut self, key: PictureKey, result: Result<Drawn, String>) {
        if let Some(slot @ Slot::Pending) = self.slots.get_mut(&key) {
            *slot = match result {
                Ok(drawn) => Slot::Ready(drawn),
                Err(why) => Slot::Failed(why),
            };
        }
    }

    /// Forgets everything (the files changed).
    pub fn clear(&mut self) {
        self.slots.clear();
        self.order.clear();
    }
}
