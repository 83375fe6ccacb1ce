//! PCI Express transaction-layer packets as the Xilinx 7-series integrated block carries them
//! on its 64-bit AXI-Stream interface (PG054): header DWs in PCIe bit order (DW0 bits 31:24
//! hold Fmt and Type), two DWs per beat, the first in bits 31:0; payload DWs big-endian
//! (the byte at the lowest address in bits 31:24). The hdl crate's TLP adapter builds and
//! parses exactly these fields, and the simulation's root-complex model speaks them, so
//! both sides take them from here.

/// Fmt and Type together: bits 31:24 of DW0.
pub mod fmt_type {
    /// Memory read, 32-bit address (3 DW header).
    pub const MRD32: u8 = 0x00;
    /// Memory read, 64-bit address (4 DW header).
    pub const MRD64: u8 = 0x20;
    /// Memory write, 32-bit address, with data.
    pub const MWR32: u8 = 0x40;
    /// Memory write, 64-bit address, with data.
    pub const MWR64: u8 = 0x60;
    /// Completion without data (an error status, or a write's completion).
    pub const CPL: u8 = 0x0A;
    /// Completion with data.
    pub const CPLD: u8 = 0x4A;
}

/// Completion status (DW1 bits 15:13 of a completion).
pub mod status {
    /// Successful completion.
    pub const SC: u8 = 0;
    /// Unsupported request.
    pub const UR: u8 = 1;
    /// Completer abort.
    pub const CA: u8 = 4;
}

/// Read completion boundary a root complex may split completions at (bytes).
pub const RCB_BYTES: u64 = 64;
/// A request may not cross a 4 KiB boundary.
pub const PAGE_BYTES: u64 = 4096;
/// The largest read the adapter asks for (bytes): at most the smallest Max_Read_Request_Size
/// any host may program, so it never has to be split into several requests.
pub const MAX_READ_BYTES: u64 = 128;

/// PCI vendor and device ID of memfire's PCIe boards: the IP script gives the integrated
/// block these, and the driver recognises boards by them.
pub const PCI_VENDOR_ID: u16 = 0x10EE;
pub const PCI_DEVICE_ID: u16 = 0x7024;

/// `AXI-Stream` bit of `m_axis_rx_tuser` (bits 8:2 are BAR hits) that flags BAR0.
pub const RX_TUSER_BAR0: u32 = 1 << 2;

/// A PCI requester/completer ID: bus, device, function.
pub const fn id(bus: u8, device: u8, function: u8) -> u16 {
    ((bus as u16) << 8) | (((device & 0x1F) as u16) << 3) | ((function & 7) as u16)
}

/// DW0 of a request or completion: Fmt/Type, traffic class, attributes and length in DWs
/// (1..=1024; 1024 is encoded as 0).
pub const fn dw0(fmt_type: u8, tc: u8, attr: u8, length_dw: u16) -> u32 {
    ((fmt_type as u32) << 24) | (((tc & 7) as u32) << 20) | (((attr & 3) as u32) << 12) | (length_dw as u32 & 0x3FF)
}

/// DW1 of a request: requester ID, tag, last and first byte enables.
pub const fn request_dw1(requester: u16, tag: u8, last_be: u8, first_be: u8) -> u32 {
    ((requester as u32) << 16) | ((tag as u32) << 8) | (((last_be & 0xF) as u32) << 4) | (first_be & 0xF) as u32
}

/// DW1 of a completion: completer ID, status, byte count remaining (1..=4096; 4096 as 0).
pub const fn completion_dw1(completer: u16, status: u8, byte_count: u16) -> u32 {
    ((completer as u32) << 16) | (((status & 7) as u32) << 13) | (byte_count as u32 & 0xFFF)
}

/// DW2 of a completion: requester ID, tag, lower 7 bits of the address of its first byte.
pub const fn completion_dw2(requester: u16, tag: u8, lower_addr: u8) -> u32 {
    ((requester as u32) << 16) | ((tag as u32) << 8) | (lower_addr & 0x7F) as u32
}

/// Fields of DW0.
pub const fn fmt_type_of(dw0: u32) -> u8 {
    (dw0 >> 24) as u8
}

/// Length in DWs of DW0 (0 means 1024).
pub const fn length_of(dw0: u32) -> u16 {
    match dw0 & 0x3FF {
        0 => 1024,
        n => n as u16,
    }
}

/// Whether a Fmt/Type carries data.
pub const fn has_data(fmt_type: u8) -> bool {
    fmt_type & 0x40 != 0
}

/// Whether a Fmt/Type has a 4 DW header.
pub const fn four_dw(fmt_type: u8) -> bool {
    fmt_type & 0x20 != 0
}

/// A payload DW as it sits on the interface: the four bytes at increasing addresses, the
/// first in bits 31:24.
pub const fn payload_dw(bytes: [u8; 4]) -> u32 {
    u32::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_sit_where_pcie_puts_them() {
        // A 64-bit memory read of 32 DWs, TC 0: 0x20000020.
        assert_eq!(dw0(fmt_type::MRD64, 0, 0, 32), 0x2000_0020);
        assert_eq!(dw0(fmt_type::CPLD, 0, 0, 1), 0x4A00_0001);
        assert_eq!(request_dw1(id(1, 0, 0), 5, 0xF, 0xF), 0x0100_05FF);
        assert_eq!(completion_dw1(id(0, 0, 0), status::UR, 4), 0x0000_2004);
        assert_eq!(completion_dw2(id(2, 3, 1), 7, 0x44), 0x0219_0744);
        assert_eq!(length_of(dw0(fmt_type::MWR32, 0, 0, 1024)), 1024);
        assert!(has_data(fmt_type::MWR64) && four_dw(fmt_type::MWR64));
        assert!(!has_data(fmt_type::CPL) && !four_dw(fmt_type::MRD32));
        assert_eq!(payload_dw([0x11, 0x22, 0x33, 0x44]), 0x1122_3344);
    }
}
