//! Tests over the real reference, loaded once for all of them.

mod place_field;
mod reference;

use std::sync::{Arc, LazyLock};

use super::Communes;

fn communes() -> &'static Communes {
    static SHARED: LazyLock<Arc<Communes>> =
        LazyLock::new(|| Communes::shared().expect("the embedded reference loads"));
    &SHARED
}
