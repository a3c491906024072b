//! The one shape of index every migration creates.

use sea_orm_migration::prelude::*;

/// `CREATE INDEX IF NOT EXISTS name ON table (columns…)`; call `.unique()` on it for a unique one.
pub(crate) fn index<T: Iden + 'static>(
    name: &str,
    table: T,
    columns: impl IntoIterator<Item = T>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column);
    }
    index
}
