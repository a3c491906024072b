//! Entraide's rules, without the web: who may ask for help and how, how requests move through
//! their lifecycle, how volunteers are found and proposed, what moderators and admins may do,
//! which message goes to whom, and the durable outbox that sends them.
//!
//! This crate does not depend on axum, tower or askama_web: the compiler keeps it apart from the
//! web layer (the `entraide` crate at the root), which calls it and turns [`DomainError`] into
//! pages and answers. Top-level modules do not import each other in a loop (a test below reads
//! the imports).

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod config;
pub mod contact;
pub mod dates;
pub mod db;
pub mod error;
pub mod forms;
pub mod geo;
pub mod mail;
pub mod matching;
pub mod messages;
pub mod moderation;
pub mod organisations;
pub mod reference;
pub mod requests;
pub mod staff;
pub mod tokens;

pub use config::Config;
pub use error::{DomainError, DomainResult};

/// The workspace's own source files (this crate's and the web layer's), for the tests that read
/// them (layers, single sources).
#[cfg(test)]
pub(crate) mod source_files {
    use std::path::{Path, PathBuf};

    /// Every `.rs` file under `domain/src/` and `src/`, as (path relative to the workspace, text).
    pub fn all() -> Vec<(PathBuf, String)> {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut found = Vec::new();
        for tree in ["domain/src", "src"] {
            walk(workspace, &workspace.join(tree), &mut found);
        }
        found
    }

    /// Every `.rs` file of this crate, as (path relative to `domain/src/`, text).
    pub fn domain() -> Vec<(PathBuf, String)> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        walk(&src, &src, &mut found);
        found
    }

    fn walk(root: &Path, dir: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
            }
        }
    }
}
