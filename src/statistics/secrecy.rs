//! Statistical secrecy: a cell computed from fewer than [`THRESHOLD`] requests is not published
//! (blank, flagged `secret_statistique`), so that nobody can single out a person.
//!
//! The published unit is the cell month × département × category, where the category `toutes`
//! counts each request once and each category counts the requests asking for it (one request asks
//! for 1 to 3). Two rules keep a secret cell from being recovered by subtraction:
//!
//! - **Every total is a sum of published cells.** The page's figures for a région, France or a run
//!   of months, and anything one could add up from the open-data file, only ever add published
//!   cells: a secret cell counts nowhere, so no difference between two published figures contains
//!   it.
//! - **Complementary suppression within a month × département.** The `toutes` cell bounds its
//!   categories from below (every request has a category): if exactly one category cell of a
//!   published `toutes` cell were secret, `toutes` minus the published categories would bound it,
//!   and give it exactly when each request asked for one category. So when one category cell alone
//!   is secret, the smallest published one is withheld too. Empty cells (0 requests) are secret
//!   like any cell under the threshold, so a blank never tells "nothing here".

use crate::reference::Category;

/// The fewest requests a published cell is computed from.
pub const THRESHOLD: u64 = 5;

/// Which cells of one month × département to publish: `toutes` (counting `total` requests) and
/// each category (counting `categories[i]` requests of [`Category::ALL`]'s `i`-th category).
pub fn published(total: u64, categories: &[u64; 11]) -> (bool, [bool; 11]) {
    let total_published = total >= THRESHOLD;
    let mut shown = categories.map(|n| total_published && n >= THRESHOLD);
    let secret = shown.iter().filter(|shown| !**shown).count();
    if total_published
        && secret == 1
        && let Some(smallest) = (0..Category::ALL.len())
            .filter(|i| shown[*i])
            .min_by_key(|i| (categories[*i], *i))
    {
        shown[smallest] = false;
    }
    (total_published, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_under_five_requests_are_secret() {
        let mut categories = [0; 11];
        categories[0] = 4;
        let (total, shown) = published(4, &categories);
        assert!(!total);
        assert!(shown.iter().all(|s| !s));

        categories[0] = 5;
        categories[1] = 2;
        let (total, shown) = published(7, &categories);
        assert!(total);
        assert!(shown[0]);
        assert!(!shown[1]);
    }

    #[test]
    fn a_lone_secret_category_takes_the_smallest_published_one_with_it() {
        let mut categories = [9; 11];
        categories[4] = 1;
        categories[7] = 6;
        let (total, shown) = published(40, &categories);
        assert!(total);
        assert!(!shown[4], "the small cell");
        assert!(
            !shown[7],
            "the complementary cell, the smallest published one"
        );
        assert_eq!(shown.iter().filter(|s| !**s).count(), 2);
    }

    #[test]
    fn nothing_under_a_secret_total_is_published() {
        let (total, shown) = published(3, &[3; 11]);
        assert!(!total);
        assert!(shown.iter().all(|s| !s));
    }
}
