//! Reminders to volunteers who hold a request that is not resolved yet.
