//! Errors attached to the fields of a form, in French: the rules find them, the pages show them next
//! to each field and summarised at the top of the form.

/// Error messages by field name, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    /// No error yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` for `field` (the first message of a field wins).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// The message of `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether `field` has an error.
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Whether the form is free of errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every (field, message), for the summary at the top of the form.
    pub fn all(&self) -> &[(&'static str, String)] {
        &self.0
    }
}
