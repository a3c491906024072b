//! Moderator pages: the queue, a request's page and its actions, entering a request.
