//! The roll-up's tables (migration `m20261130_000100_statistics`), read and written only by this
//! module.

/// One row per month × département × category (`toutes`: every category) × organisation.
pub mod stat_cell {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stat_cell")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub month: String,
        pub departement: String,
        pub category: String,
        /// 0: no organisation (the admins').
        pub organisation_id: i64,
        pub recues: i64,
        pub ouvertes: i64,
        pub prises: i64,
        pub resolues: i64,
        pub sans_benevole: i64,
        pub refusees: i64,
        pub annulees: i64,
        pub telephone_seulement: i64,
        pub mode_telephone: i64,
        pub mode_visio: i64,
        pub mode_presentiel: i64,
        pub avis: i64,
        pub avis_satisfaits: i64,
        pub avis_regles: i64,
        #[sea_orm(column_type = "Text")]
        pub delai_prise: String,
        #[sea_orm(column_type = "Text")]
        pub delai_resolution: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One row per volunteer: their département, the month they signed up and the months they
/// answered a proposal.
pub mod stat_volunteer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stat_volunteer")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub volunteer_id: i64,
        pub departement: String,
        pub registered_month: String,
        /// `YYYY-MM` months separated by spaces.
        #[sea_orm(column_type = "Text")]
        pub active_months: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// When the roll-up last ran (one row, id 1), and a generation that changes each time.
pub mod stat_rollup {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stat_rollup")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub generation: String,
        pub computed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
