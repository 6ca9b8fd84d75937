//! Typed async client for the Lever Data API v1, and a Lever simulator that
//! speaks the same HTTP API.
//!
//! - [`types`] and [`hosts`] are always compiled and depend on serde only.
//! - [`client`] and [`error`] (feature `client`) call Lever over HTTPS, or the
//!   simulator over HTTP.
//! - [`webhook`] (feature `webhook`, part of `client` and `simulator`) signs
//!   and verifies webhook deliveries.
//! - [`simulator`] (feature `simulator`) serves the OAuth pages, the token
//!   endpoint and the `/v1` Data API from memory, with knobs for the behaviour
//!   that Lever does not document.

pub mod hosts;
pub mod types;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod error;

#[cfg(feature = "simulator")]
pub mod simulator;

#[cfg(feature = "webhook")]
pub mod webhook;

pub use hosts::LeverHosts;
pub use types::*;

#[cfg(feature = "client")]
pub use client::{LeverClient, OAuthApp, TokenSet};
#[cfg(feature = "client")]
pub use error::LeverError;
