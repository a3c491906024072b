//! Placeholder: filled by the moderation work (see issue 8).
