//! What volunteers are told after taking a request: the citizen cancelled, the 7-day reminder.
