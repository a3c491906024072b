//! Admin pages and the `entraide admin create` command.
