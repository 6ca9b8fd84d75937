//! Types that travel between server and browser: what a page needs, never more.

pub mod audit;
pub mod branding;
pub mod byte_size;
pub mod editor;
pub mod integration;
pub mod job_settings;
pub mod mail;
pub mod portal;
pub mod postings;
pub mod quiz;
pub mod reviews;
pub mod staff;
pub mod staff_accounts;
pub mod upload;
