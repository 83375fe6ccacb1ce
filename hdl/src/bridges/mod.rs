//! What connects a core to a host: the UART bridge (with its UART and CRC-16) for boards
//! without PCIe, and the PCIe TLP adapter (with its MSI sender) for the 7-series
//! integrated block.

pub mod clock_crossing;
pub mod crc16;
pub mod tlp;
pub mod uart;
pub mod uart_bridge;
