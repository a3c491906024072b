//! What every form page shares: errors attached to their fields (the rules' [`FieldErrors`]), shown
//! next to the field and summarised at the top of the form.

pub use crate::forms::FieldErrors;
