//! `docs/registers.md` is the register map generated from the spec's table, committed so a
//! reader finds it without building. This test fails when the table and the committed
//! document drift; regenerate with `MEMFIRE_UPDATE_SNAPSHOTS=1 cargo test -p memfire-spec
//! --test register_map_doc`.

use std::path::PathBuf;

use memfire_spec::regs_doc;

/// What the committed document says it describes (it is the same for every core: the
/// registers' sizes are read from the core at run time).
const DESCRIBES: &str = "every memfire core";

#[test]
fn committed_register_map_matches_the_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/registers.md");
    let now = regs_doc::markdown(DESCRIBES);
    if std::env::var_os("MEMFIRE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &now).expect("write docs/registers.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == now,
        "docs/registers.md differs from the register table (spec/src/regs.rs); regenerate with \
         MEMFIRE_UPDATE_SNAPSHOTS=1 cargo test -p memfire-spec --test register_map_doc"
    );
}
