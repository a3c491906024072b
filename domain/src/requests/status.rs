//! The request lifecycle's states and actors: defined with the table they are stored in
//! (`entity::states`), named here for the rules.

pub use entity::states::{Actor, RequestStatus};

#[cfg(test)]
mod literal_tests {
    use super::*;
    use entity::states::ProposalStatus;

    #[test]
    fn states_and_roles_are_spelled_only_in_their_enums() {
        // Request, proposal and outbox states, timeline kinds, audit actions, roles and actors
        // ("admin" is also a word of dedupe keys, so it is left out).
        let mut slugs: Vec<&str> = RequestStatus::ALL.iter().map(|s| s.slug()).collect();
        slugs.extend(ProposalStatus::ALL.iter().map(|s| s.slug()));
        slugs.extend(entity::states::EventKind::ALL.iter().map(|k| k.slug()));
        slugs.extend(["benevole", "moderateur", "citoyen", "systeme"]);
        slugs.extend(entity::states::AuditAction::ALL.iter().map(|a| a.slug()));
        slugs.extend(entity::states::OutboxStatus::ALL.iter().map(|s| s.slug()));
        let mut strays = Vec::new();
        for (path, text) in crate::source_files::all() {
            // Unit tests may spell what they check.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                let definition = line.trim_start().starts_with("Self::");
                for slug in &slugs {
                    if line.contains(&format!("\"{slug}\"")) && !definition {
                        strays.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
        assert!(strays.is_empty(), "use the enums:\n{}", strays.join("\n"));
    }
}
