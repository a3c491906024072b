//! Integration tests: each test starts the real application, on its own database.

mod helpers;

mod communes;
mod health;
mod layout;
mod migrations;
mod security;
mod sessions;
