//! Files staff upload into the media store (a job's culture videos, the organization's logo):
//! the file type check, storing an upload with its row, and finding an upload again.

mod kind;
mod lookup;
mod sniff;
mod upload;

pub use kind::UploadKind;
pub use lookup::{find_logo, find_upload, media_key};
pub use sniff::{image_type, video_type, SNIFF_LEN};
pub use upload::{store_upload, NewUpload, UploadError};
