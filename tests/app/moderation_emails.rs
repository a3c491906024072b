//! E-mails to moderators: new requests (immediate or daily digest) and requests without volunteer.
