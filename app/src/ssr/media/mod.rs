//! Storage of media (candidate video answers, take-home files, culture videos) behind one
//! interface, [`MediaStore`], over the `object_store` crate: a local directory by default,
//! or S3-compatible storage. Bodies are streamed both ways, never held whole in memory, and
//! every key is scoped to an organization ([`MediaKey`]).

mod error;
mod key;
mod read;
mod store;
mod write;

pub use error::MediaError;
pub use key::{MediaKey, MediaKind, MAX_KEY_PART_LEN};
pub use object_store::GetRange;
pub use read::MediaRead;
pub use store::{Backend, MediaMeta, MediaStore};
pub use write::{StoredMedia, PART_SIZE};
