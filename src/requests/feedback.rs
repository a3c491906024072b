//! The citizen's feedback once their request is resolved.
