//! The UART bridge protocol: how a host reaches a core's bus over a serial line (boards
//! without PCIe, e.g. the ULX3S). Defined once here; the hdl crate's `UartBridge` and the
//! host's serial backend both follow it.
//!
//! Request  (host → board): `0x55, cmd, addr[4] LE, count[2] LE, payload, crc[2] LE`
//!   - `cmd = WRITE`: payload is `count` words (LE), written to `addr, addr+1, …`;
//!   - `cmd = READ`:  no payload; `count` words are read from `addr, addr+1, …`;
//!   - `cmd = IRQ`:   no payload; the reply's first word is the interrupt line (0/1).
//!
//! Reply    (board → host): `0xAA, status, count[2] LE, payload, crc[2] LE`
//!   - `status = OK` with the words read (WRITE: none), or `BAD_CRC` / `BAD_CMD` / `TOO_LONG`
//!     with no payload, in which case nothing was written.
//!
//! The CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over every byte after the sync
//! byte. A write is applied only after its CRC checked, so a corrupted frame changes nothing.

pub const REQ_SYNC: u8 = 0x55;
pub const REPLY_SYNC: u8 = 0xAA;

pub const CMD_WRITE: u8 = 0x01;
pub const CMD_READ: u8 = 0x02;
pub const CMD_IRQ: u8 = 0x03;

pub const STATUS_OK: u8 = 0x00;
pub const STATUS_BAD_CRC: u8 = 0x01;
pub const STATUS_BAD_CMD: u8 = 0x02;
pub const STATUS_TOO_LONG: u8 = 0x03;

/// Most words in one request (the bridge buffers a write until its CRC checks).
pub const MAX_WORDS: usize = 256;

/// One byte into a running CRC-16/CCITT-FALSE.
pub fn crc16_byte(crc: u16, byte: u8) -> u16 {
    let mut c = crc ^ (u16::from(byte) << 8);
    for _ in 0..8 {
        c = if c & 0x8000 != 0 { (c << 1) ^ 0x1021 } else { c << 1 };
    }
    c
}

/// CRC-16/CCITT-FALSE of `bytes`.
pub fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0xFFFF, |c, &b| crc16_byte(c, b))
}

/// A request frame.
pub fn request(cmd: u8, addr: u32, count: u16, payload: &[u32]) -> Vec<u8> {
    let mut body = vec![cmd];
    body.extend_from_slice(&addr.to_le_bytes());
    body.extend_from_slice(&count.to_le_bytes());
    for w in payload {
        body.extend_from_slice(&w.to_le_bytes());
    }
    let crc = crc16(&body);
    let mut frame = vec![REQ_SYNC];
    frame.extend_from_slice(&body);
    frame.extend_from_slice(&crc.to_le_bytes());
    frame
}

/// A reply frame (what the board sends).
pub fn reply(status: u8, payload: &[u32]) -> Vec<u8> {
    let mut body = vec![status];
    body.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    for w in payload {
        body.extend_from_slice(&w.to_le_bytes());
    }
    let crc = crc16(&body);
    let mut frame = vec![REPLY_SYNC];
    frame.extend_from_slice(&body);
    frame.extend_from_slice(&crc.to_le_bytes());
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn frames_carry_their_crc() {
        let f = request(CMD_WRITE, 0x10_0001, 1, &[0xDEAD_BEEF]);
        assert_eq!(f[0], REQ_SYNC);
        assert_eq!(f.len(), 1 + 7 + 4 + 2);
        let crc = u16::from_le_bytes([f[f.len() - 2], f[f.len() - 1]]);
        assert_eq!(crc, crc16(&f[1..f.len() - 2]));
    }
}
