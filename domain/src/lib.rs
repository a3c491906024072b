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
pub mod lifecycle;
pub mod limits;
pub mod mail;
pub mod matching;
pub mod messages;
pub mod moderation;
pub mod organisations;
pub mod outbox_claim;
pub mod partners;
pub mod reference;
pub mod requests;
pub mod sms;
pub mod staff;
pub mod tokens;
pub mod trust_words;
pub mod webhooks;

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

#[cfg(test)]
mod layers {
    use std::collections::{BTreeMap, BTreeSet};

    /// The top-level modules each top-level module imports (`crate::x`, `crate::{x, y}`), outside
    /// its unit tests, with the files that do it.
    fn imports() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
        let files = super::source_files::domain();
        let top = |path: &std::path::Path| {
            let first = path
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            first.trim_end_matches(".rs").to_owned()
        };
        let modules: BTreeSet<String> = files.iter().map(|(path, _)| top(path)).collect();
        let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        for (path, text) in &files {
            let from = top(path);
            if from == "lib" {
                continue;
            }
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines() {
                let line = line.split("//").next().unwrap_or_default();
                for (at, _) in line.match_indices("crate::") {
                    let rest = &line[at + "crate::".len()..];
                    let names: Vec<&str> = match rest.strip_prefix('{') {
                        Some(group) => group
                            .split('}')
                            .next()
                            .unwrap_or_default()
                            .split(',')
                            .map(|item| item.trim().split("::").next().unwrap_or_default())
                            .collect(),
                        None => vec![
                            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                                .next()
                                .unwrap_or_default(),
                        ],
                    };
                    for name in names {
                        if name != from && modules.contains(name) {
                            graph
                                .entry(from.clone())
                                .or_default()
                                .entry(name.to_owned())
                                .or_default()
                                .insert(path.display().to_string());
                        }
                    }
                }
            }
        }
        graph
    }

    /// A loop through `start`, if there is one: the modules in order, back to `start`.
    fn loop_through(
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        start: &str,
    ) -> Option<Vec<String>> {
        let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(&at).into_iter().flat_map(|edges| edges.keys()) {
                if next == start {
                    let mut found = path.clone();
                    found.push(start.to_owned());
                    return Some(found);
                }
                if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
        None
    }

    #[test]
    fn no_two_top_level_modules_import_each_other_in_a_loop() {
        let graph = imports();
        let loops: Vec<String> = graph
            .keys()
            .filter_map(|module| loop_through(&graph, module))
            .map(|found| {
                let steps: Vec<String> = found
                    .windows(2)
                    .map(|pair| {
                        let files = &graph[&pair[0]][&pair[1]];
                        format!("{} → {} ({files:?})", pair[0], pair[1])
                    })
                    .collect();
                steps.join("\n    ")
            })
            .collect();
        assert!(
            loops.is_empty(),
            "loops between modules:\n  {}",
            loops.join("\n  ")
        );
    }

    #[test]
    fn the_check_sees_imports_in_groups_and_paths() {
        let graph = imports();
        // requests/intake imports `crate::messages::{self, Message}` and `crate::tokens::new_token`.
        let intake = &graph["requests"];
        assert!(intake.contains_key("messages") && intake.contains_key("tokens"));
    }
}
