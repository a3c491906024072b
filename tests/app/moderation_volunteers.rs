//! Moderators and the volunteers of their territory: search, vetting, suspension, reinstatement.
