//! The attacker's review (issue 15): one client address behind a proxy, limits that hold under
//! parallel submissions, and actions in flight that cannot land where they should not.

mod client_address;
mod in_flight;
mod parallel_limits;
