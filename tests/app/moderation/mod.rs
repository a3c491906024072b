//! Moderator pages: the queue, a request's page and its actions, entering a request.

mod actions;
mod edit;
pub mod fixtures;
mod matching;
mod new_request;
mod queue;
mod refit;
mod scoping;
