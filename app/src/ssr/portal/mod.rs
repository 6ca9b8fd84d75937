//! The candidate portal on the server: a personal link resolves to one application, and
//! everything a candidate does is checked against that application's role and organization.

pub mod decision;
pub mod link;
pub mod quiz;
pub mod steps;
