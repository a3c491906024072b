//! Great-circle distances between points on the Earth, in kilometres.

use serde::Serialize;

/// The mean radius of the Earth (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Kilometres per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// A WGS84 position in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    /// Latitude, positive north.
    pub lat: f64,
    /// Longitude, positive east.
    pub lon: f64,
}

impl Point {
    /// The point at this latitude and longitude.
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// The great-circle distance to `other`, in kilometres (haversine formula).
    pub fn distance_km(self, other: Point) -> f64 {
        haversine_km(self, other)
    }

    /// Whether `other` may be within `radius_km`: a cheap test on latitude alone that never
    /// rejects a point that is close enough, to skip most of the trigonometry in a scan.
    pub(crate) fn may_be_within(self, other: Point, radius_km: f64) -> bool {
        (self.lat - other.lat).abs() * KM_PER_DEGREE <= radius_km
    }
}

/// The great-circle distance between `a` and `b` in kilometres, on a sphere of the Earth's mean
/// radius (error under 0.5 % against the ellipsoid: fine for "who lives near").
pub fn haversine_km(a: Point, b: Point) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let half_dlat = (lat_b - lat_a) / 2.0;
    let half_dlon = (b.lon - a.lon).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat_a.cos() * lat_b.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        let paris = Point::new(48.8566, 2.3522);
        let london = Point::new(51.5074, -0.1278);
        let d = haversine_km(paris, london);
        assert!((d - 343.5).abs() < 2.0, "{d}");
        assert_eq!(haversine_km(paris, paris), 0.0);
        assert!((paris.distance_km(london) - london.distance_km(paris)).abs() < 1e-9);
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_km(Point::new(45.0, 5.0), Point::new(46.0, 5.0));
        assert!((d - 111.2).abs() < 0.1, "{d}");
    }

    #[test]
    fn antipodes_are_half_the_circumference_away() {
        let d = haversine_km(Point::new(0.0, 0.0), Point::new(0.0, 180.0));
        assert!(
            (d - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6,
            "{d}"
        );
    }

    #[test]
    fn the_latitude_prefilter_never_drops_a_close_point() {
        let here = Point::new(45.0, 5.0);
        let there = Point::new(45.1, 5.3);
        let d = haversine_km(here, there);
        assert!(here.may_be_within(there, d));
        assert!(!here.may_be_within(Point::new(46.0, 5.0), 100.0));
    }
}
