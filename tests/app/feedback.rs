//! The citizen's feedback on a resolved request.
