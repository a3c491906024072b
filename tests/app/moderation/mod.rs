//! Moderator pages: the queue, a request's page and its actions, entering a request.

mod actions;
mod candidates;
mod desk;
mod edit;
pub mod fixtures;
mod matching;
mod new_request;
mod phone_desk;
mod queue;
mod refit;
mod scoping;
