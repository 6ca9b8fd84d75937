//! The screening quiz on the server: the answer key, validation of what a candidate saves,
//! scoring, and the Lever note that reports the result.

pub mod key;
pub mod note;
pub mod scoring;
pub mod validate;
