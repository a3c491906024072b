//! The roll-up read back as cells by month × département, either public (statistical secrecy
//! applied: secret cells are `None`) or for staff (an organisation's requests, every cell shown),
//! and the per-process cache of the public one, kept until the roll-up runs again.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::cell::Cell;
use super::month::Month;
use super::rollup::{ALL_CATEGORIES, from_row};
use super::secrecy;
use super::table::{stat_cell, stat_rollup, stat_volunteer};
use crate::geo::DepartementCode;
use crate::reference::Category;

/// The cells of one month in one département: `toutes` and each category of
/// [`Category::ALL`]; `None` is a secret cell.
#[derive(Clone, Debug, Default)]
pub struct Group {
    /// Every request once.
    pub total: Option<Cell>,
    /// The requests asking for each category.
    pub categories: [Option<Cell>; 11],
}

/// A volunteer as the statistics know them.
#[derive(Clone, Debug)]
pub struct Volunteer {
    pub departement: DepartementCode,
    pub registered: Month,
    pub active: Vec<Month>,
}

/// Whose requests a cube counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Everybody: every request, statistical secrecy applied.
    Public,
    /// Staff: the requests of these organisations (none: every request), nothing withheld.
    Staff(Option<Vec<i64>>),
}

/// The roll-up as cells.
#[derive(Clone, Debug)]
pub struct Cube {
    /// The cells by month and département; a missing group counts no request.
    pub groups: HashMap<(Month, DepartementCode), Group>,
    /// Every volunteer.
    pub volunteers: Vec<Volunteer>,
    /// The earliest month with a request.
    pub first_month: Option<Month>,
    /// When the roll-up ran (none: never yet).
    pub computed_at: Option<DateTime<Utc>>,
    /// Whether statistical secrecy applies.
    pub secrecy: bool,
}

impl Cube {
    /// Reads the roll-up for `audience`.
    pub async fn load<C: ConnectionTrait>(db: &C, audience: &Audience) -> Result<Self, DbErr> {
        let computed_at = stat_rollup::Entity::find_by_id(1)
            .one(db)
            .await?
            .map(|r| r.computed_at);
        let mut query = stat_cell::Entity::find();
        if let Audience::Staff(Some(ids)) = audience {
            query = query.filter(stat_cell::Column::OrganisationId.is_in(ids.iter().copied()));
        }
        let rows = query.all(db).await?;
        // Summed over organisations first: secrecy applies to the public cell.
        let mut sums: HashMap<(Month, DepartementCode), (Cell, [Cell; 11])> = HashMap::new();
        for row in &rows {
            let (Some(month), Ok(departement)) = (
                Month::parse(&row.month),
                DepartementCode::parse(&row.departement),
            ) else {
                continue;
            };
            let entry = sums.entry((month, departement)).or_default();
            let cell = from_row(row);
            if row.category == ALL_CATEGORIES {
                entry.0.merge(&cell);
            } else if let Some(i) = Category::ALL.iter().position(|c| c.slug() == row.category) {
                entry.1[i].merge(&cell);
            }
        }
        let secrecy = *audience == Audience::Public;
        let groups: HashMap<(Month, DepartementCode), Group> = sums
            .into_iter()
            .map(|(key, (total, categories))| {
                let (total_shown, shown) = if secrecy {
                    secrecy::published(total.requests(), &categories.clone().map(|c| c.requests()))
                } else {
                    (true, [true; 11])
                };
                let mut group = Group {
                    total: total_shown.then_some(total),
                    categories: Default::default(),
                };
                for (i, cell) in categories.into_iter().enumerate() {
                    group.categories[i] = shown[i].then_some(cell);
                }
                (key, group)
            })
            .collect();
        let first_month = groups
            .iter()
            .filter(|(_, g)| g.total.as_ref().is_some_and(|t| t.requests() > 0))
            .map(|((m, _), _)| *m)
            .min();
        let volunteers = stat_volunteer::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|v| {
                Some(Volunteer {
                    departement: DepartementCode::parse(&v.departement).ok()?,
                    registered: Month::parse(&v.registered_month)?,
                    active: v
                        .active_months
                        .split_whitespace()
                        .filter_map(Month::parse)
                        .collect(),
                })
            })
            .collect();
        Ok(Self {
            groups,
            volunteers,
            first_month,
            computed_at,
            secrecy,
        })
    }

    /// The cells of a month and département (an empty, secret group when nothing was counted).
    pub fn group(&self, month: Month, departement: DepartementCode) -> Option<&Group> {
        self.groups.get(&(month, departement))
    }

    /// A cell as published: `None` when secret. Without secrecy, a missing group is zeros.
    pub fn cell(
        &self,
        month: Month,
        departement: DepartementCode,
        category: Option<Category>,
    ) -> Option<Cell> {
        let group = self.group(month, departement);
        let found = group.and_then(|g| match category {
            None => g.total.clone(),
            Some(c) => {
                let i = Category::ALL.iter().position(|x| *x == c)?;
                g.categories[i].clone()
            }
        });
        match (found, self.secrecy) {
            (Some(cell), true) if cell.requests() >= secrecy::THRESHOLD => Some(cell),
            (Some(cell), false) => Some(cell),
            (None, false) => Some(Cell::default()),
            _ => None,
        }
    }
}

/// A cube and the roll-up generation it was read from.
type Cached = Option<(String, Arc<Cube>)>;

/// The public cube of this process, reloaded when the roll-up's generation changes.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    current: Arc<RwLock<Cached>>,
}

impl Cache {
    /// The public cube as of the latest roll-up.
    pub async fn public<C: ConnectionTrait>(&self, db: &C) -> Result<Arc<Cube>, DbErr> {
        let generation = stat_rollup::Entity::find_by_id(1)
            .one(db)
            .await?
            .map(|r| r.generation)
            .unwrap_or_default();
        if let Ok(current) = self.current.read()
            && let Some((known, cube)) = current.as_ref()
            && *known == generation
        {
            return Ok(cube.clone());
        }
        let cube = Arc::new(Cube::load(db, &Audience::Public).await?);
        if let Ok(mut current) = self.current.write() {
            *current = Some((generation, cube.clone()));
        }
        Ok(cube)
    }
}
