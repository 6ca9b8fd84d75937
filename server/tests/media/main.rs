//! Integration tests of the media store against its real backends: a temporary local
//! directory, and a moto S3 server on 127.0.0.1 that each test starts and stops.

mod backends;
mod moto;
mod startup;
mod store;
