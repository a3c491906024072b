//! The public statistics (`/statistiques`, ../shared/PRODUCT.md §10) and the moderators' view of
//! them: a daily roll-up of the requests into cells of month × département × category
//! ([`rollup`]), the statistical secrecy applied to them ([`secrecy`]), the figures of a period and
//! a territory ([`dashboard`]), the open-data file and its Table Schema ([`open_data`]), and the
//! server-rendered SVG charts and map ([`charts`], [`map`]).
//!
//! Everything here reads; nothing changes a request. Functions return `Result<_, DbErr>`: the web
//! layer turns errors into pages.

pub mod cell;
pub mod charts;
pub mod cube;
pub mod dashboard;
pub mod map;
pub mod month;
pub mod open_data;
pub mod regions;
pub mod rollup;
pub mod secrecy;
mod table;

pub use cell::{Cell, Durations, Measure};
pub use cube::{Cache, Cube};
pub use dashboard::{Dashboard, Zone};
pub use month::Month;
