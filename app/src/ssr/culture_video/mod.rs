//! Culture videos a role owner uploads: the file type check, storing the upload in the media
//! store with its row, and finding an upload again for playback.

mod lookup;
mod sniff;
mod upload;

pub use lookup::{find_upload, media_key};
pub use sniff::{video_type, SNIFF_LEN};
pub use upload::{store_culture_video, NewUpload, UploadError};
