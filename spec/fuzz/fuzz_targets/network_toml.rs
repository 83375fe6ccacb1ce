//! Any text as a network file: an error or a network, never a panic; a network that
//! parses is written back and reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memfire_spec::format_network::{network_to_toml, parse_network};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(file) = parse_network("fuzz.toml", text) {
        let again = parse_network("again.toml", &network_to_toml(&file.network)).expect("memfire reads what it writes");
        assert_eq!(again.network, file.network);
    }
});
