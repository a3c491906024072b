//! Integration tests: each test starts the real application, on its own database.

mod helpers;
mod mailbox;
mod matching;
mod staff;

mod accounts;
mod communes;
mod health;
mod layout;
mod mail;
mod migrations;
mod organisations;
mod proposals;
mod requests;
mod security;
mod sessions;
