//! A board behind the UART bridge (`memfire_spec::uart_proto`): `SerialBackend` turns bus
//! accesses into CRC-checked frames over any [`ByteLink`] — a real tty (`TtyLink`), or the
//! simulated board's UART pins (memfire-sim). Reads are retried after a corrupted reply
//! (they have no side effects); a write the board reports as corrupted was not applied and is
//! sent again; a write whose reply is corrupted is an error, because it may have happened.

use std::time::{Duration, Instant};

use memfire_spec::uart_proto::{
    crc16, request, CMD_IRQ, CMD_READ, CMD_WRITE, MAX_WORDS, REPLY_SYNC, STATUS_BAD_CMD, STATUS_BAD_CRC, STATUS_OK,
    STATUS_TOO_LONG,
};

use crate::bus::{Bus, BusError};

/// A bidirectional byte stream to a board.
pub trait ByteLink: Send {
    fn describe(&self) -> String;
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Fill `buf` completely; `Ok(false)` if `timeout` passed first.
    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> std::io::Result<bool>;
}

/// The ULX3S firmware's line rate (120 MHz / 120 clocks per bit).
pub const DEFAULT_BAUD: u32 = 1_000_000;

/// How long a board may take to answer one frame.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(2);
const READ_RETRIES: usize = 3;

/// The core's bus over a serial link.
#[derive(Debug)]
pub struct SerialBackend<L: ByteLink> {
    link: L,
    timeout: Duration,
    /// Frames repeated after a CRC error, for the user's information.
    pub retries: u64,
}

enum Reply {
    Ok(Vec<u32>),
    Status(u8),
    Corrupted(String),
    /// No (complete) reply within the timeout.
    Lost,
}

impl<L: ByteLink> SerialBackend<L> {
    pub fn new(link: L) -> SerialBackend<L> {
        SerialBackend {
            link,
            timeout: REPLY_TIMEOUT,
            retries: 0,
        }
    }

    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    pub fn link_mut(&mut self) -> &mut L {
        &mut self.link
    }

    fn err(&self, what: String, source: Option<std::io::Error>) -> BusError {
        BusError::Transport {
            backend: self.describe(),
            what,
            source: source.map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
        }
    }

    /// `Ok(false)` when the reply did not come in time.
    fn receive(&mut self, buf: &mut [u8], what: &str) -> Result<bool, BusError> {
        self.link
            .receive(buf, self.timeout)
            .map_err(|e| self.err(format!("reading the reply to {what}"), Some(e)))
    }

    fn lost(&self, what: &str) -> BusError {
        BusError::Timeout {
            backend: self.describe(),
            what: what.to_string(),
            limit: format!(
                "{:?} (no reply: is the board powered, flashed and on this port?)",
                self.timeout
            ),
        }
    }

    /// Send one frame and read its reply.
    fn exchange(&mut self, frame: &[u8], what: &str) -> Result<Reply, BusError> {
        self.link
            .send(frame)
            .map_err(|e| self.err(format!("sending {what}"), Some(e)))?;
        let mut head = [0u8; 4];
        if !self.receive(&mut head, what)? {
            return Ok(Reply::Lost);
        }
        if head[0] != REPLY_SYNC {
            // Out of step with the board: drain what it still sends, then report.
            let mut junk = [0u8; 1];
            while self.link.receive(&mut junk, Duration::from_millis(20)).unwrap_or(false) {}
            return Ok(Reply::Corrupted(format!(
                "reply starts with {:#04x}, not {REPLY_SYNC:#04x}",
                head[0]
            )));
        }
        let count = usize::from(u16::from_le_bytes([head[2], head[3]]));
        if count > MAX_WORDS {
            return Ok(Reply::Corrupted(format!("reply claims {count} words")));
        }
        let mut rest = vec![0u8; 4 * count + 2];
        if !self.receive(&mut rest, what)? {
            return Ok(Reply::Lost);
        }
        let mut body = head[1..].to_vec();
        body.extend_from_slice(&rest[..4 * count]);
        let crc = u16::from_le_bytes([rest[4 * count], rest[4 * count + 1]]);
        if crc != crc16(&body) {
            return Ok(Reply::Corrupted("reply CRC mismatch".into()));
        }
        if head[1] != STATUS_OK {
            return Ok(Reply::Status(head[1]));
        }
        let words = rest[..4 * count]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Reply::Ok(words))
    }

    fn status_error(&self, status: u8, what: &str) -> BusError {
        let why = match status {
            STATUS_BAD_CRC => "the board received a corrupted frame (nothing was written)",
            STATUS_BAD_CMD => "the board does not know this command (bitstream and memfire versions differ?)",
            STATUS_TOO_LONG => "the frame is longer than the board buffers",
            _ => "the board answered with an unknown status",
        };
        self.err(format!("{what}: {why} (status {status:#04x})"), None)
    }

    fn read_chunk(&mut self, addr: u32, out: &mut [u32]) -> Result<(), BusError> {
        let what = format!("read of {} words at {addr:#x}", out.len());
        let frame = request(CMD_READ, addr, out.len() as u16, &[]);
        let mut last = String::new();
        for _ in 0..=READ_RETRIES {
            match self.exchange(&frame, &what)? {
                // A request the board did not recognise (e.g. a corrupted sync byte) gets no
                // reply; a read is safe to repeat once the board has given up on it.
                Reply::Lost if last == "no reply" => return Err(self.lost(&what)),
                Reply::Lost => last = "no reply".into(),
                Reply::Ok(words) if words.len() == out.len() => {
                    out.copy_from_slice(&words);
                    return Ok(());
                }
                Reply::Ok(words) => last = format!("{} words instead of {}", words.len(), out.len()),
                Reply::Status(STATUS_BAD_CRC) => last = "the board saw a corrupted request".into(),
                Reply::Status(s) => return Err(self.status_error(s, &what)),
                Reply::Corrupted(why) => last = why,
            }
            self.retries += 1;
        }
        Err(self.err(
            format!("{what}: still corrupted after {READ_RETRIES} retries ({last}): check the cable and baud rate"),
            None,
        ))
    }

    fn write_chunk(&mut self, addr: u32, data: &[u32]) -> Result<(), BusError> {
        let what = format!("write of {} words at {addr:#x}", data.len());
        let frame = request(CMD_WRITE, addr, data.len() as u16, data);
        for _ in 0..=READ_RETRIES {
            match self.exchange(&frame, &what)? {
                Reply::Ok(_) => return Ok(()),
                // Not applied: safe to send again.
                Reply::Status(STATUS_BAD_CRC) => self.retries += 1,
                Reply::Status(s) => return Err(self.status_error(s, &what)),
                Reply::Lost => return Err(self.lost(&what)),
                Reply::Corrupted(why) => {
                    return Err(self.err(
                        format!("{what}: the reply was corrupted ({why}), so whether the write happened is unknown"),
                        None,
                    ))
                }
            }
        }
        Err(self.status_error(STATUS_BAD_CRC, &what))
    }
}

impl<L: ByteLink> Bus for SerialBackend<L> {
    fn describe(&self) -> String {
        format!("serial {}", self.link.describe())
    }

    fn read32(&mut self, addr: u32) -> Result<u32, BusError> {
        let mut w = [0u32];
        self.read_chunk(addr, &mut w)?;
        Ok(w[0])
    }

    fn write32(&mut self, addr: u32, value: u32) -> Result<(), BusError> {
        self.write_chunk(addr, &[value])
    }

    fn write_block(&mut self, addr: u32, data: &[u32]) -> Result<(), BusError> {
        for (i, chunk) in data.chunks(MAX_WORDS).enumerate() {
            self.write_chunk(addr + (i * MAX_WORDS) as u32, chunk)?;
        }
        Ok(())
    }

    fn read_block(&mut self, addr: u32, out: &mut [u32]) -> Result<(), BusError> {
        for (i, chunk) in out.chunks_mut(MAX_WORDS).enumerate() {
            self.read_chunk(addr + (i * MAX_WORDS) as u32, chunk)?;
        }
        Ok(())
    }

    fn wait_irq(&mut self, timeout: Duration) -> Result<bool, BusError> {
        let start = Instant::now();
        let frame = request(CMD_IRQ, 0, 0, &[]);
        loop {
            match self.exchange(&frame, "interrupt query")? {
                Reply::Ok(w) if w.first() == Some(&1) => return Ok(true),
                Reply::Ok(_) | Reply::Corrupted(_) | Reply::Status(STATUS_BAD_CRC) => {}
                Reply::Lost => return Err(self.lost("interrupt query")),
                Reply::Status(s) => return Err(self.status_error(s, "interrupt query")),
            }
            if start.elapsed() >= timeout {
                return Ok(false);
            }
        }
    }
}

/// A serial port (`/dev/ttyUSB0`): raw 8N1 at `baud`.
#[derive(Debug)]
pub struct TtyLink {
    path: String,
    fd: std::os::fd::OwnedFd,
}

impl TtyLink {
    pub fn open(path: &str, baud: u32) -> std::io::Result<TtyLink> {
        use nix::sys::termios::{self, BaudRate, ControlFlags, SetArg};
        let fd = nix::fcntl::open(
            path,
            nix::fcntl::OFlag::O_RDWR | nix::fcntl::OFlag::O_NOCTTY | nix::fcntl::OFlag::O_CLOEXEC,
            nix::sys::stat::Mode::empty(),
        )?;
        let rate = match baud {
            115_200 => BaudRate::B115200,
            230_400 => BaudRate::B230400,
            460_800 => BaudRate::B460800,
            921_600 => BaudRate::B921600,
            1_000_000 => BaudRate::B1000000,
            2_000_000 => BaudRate::B2000000,
            3_000_000 => BaudRate::B3000000,
            other => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("unsupported baud rate {other}"),
                ))
            }
        };
        let mut t = termios::tcgetattr(&fd)?;
        termios::cfmakeraw(&mut t);
        // The speed goes into the control flags' CBAUD field (input speed 0 in CIBAUD: the
        // same as output), as glibc's cfsetspeed does on Linux, rather than through
        // cfsetspeed: the libc crate binds that to a versioned glibc symbol that a static
        // link cannot resolve, and `memfire` is linked statically for machines without
        // our glibc.
        t.control_flags &= !(ControlFlags::CBAUD | ControlFlags::CIBAUD);
        t.control_flags |= ControlFlags::from_bits_retain(rate as nix::libc::tcflag_t);
        termios::tcsetattr(&fd, SetArg::TCSANOW, &t)?;
        termios::tcflush(&fd, termios::FlushArg::TCIOFLUSH)?;
        Ok(TtyLink {
            path: path.to_string(),
            fd,
        })
    }
}

impl ByteLink for TtyLink {
    fn describe(&self) -> String {
        self.path.clone()
    }

    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut done = 0;
        while done < bytes.len() {
            done += nix::unistd::write(&self.fd, &bytes[done..])?;
        }
        Ok(())
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> std::io::Result<bool> {
        use nix::poll::{PollFd, PollFlags, PollTimeout};
        use std::os::fd::AsFd;
        let start = Instant::now();
        let mut got = 0;
        while got < buf.len() {
            let left = timeout.saturating_sub(start.elapsed());
            if left.is_zero() {
                return Ok(false);
            }
            let ms = u16::try_from(left.as_millis().max(1)).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(self.fd.as_fd(), PollFlags::POLLIN)];
            if nix::poll::poll(&mut fds, PollTimeout::from(ms))? == 0 {
                return Ok(false);
            }
            got += nix::unistd::read(self.fd.as_fd(), &mut buf[got..])?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::termios::{self, BaudRate};
    use std::os::fd::AsRawFd;

    /// The speed set through the control flags is the one the C library reads back.
    #[test]
    fn a_tty_opens_raw_at_its_baud_rate() {
        let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
        let path = std::fs::read_link(format!("/proc/self/fd/{}", pty.slave.as_raw_fd())).expect("its path");
        let link = TtyLink::open(path.to_str().expect("utf-8 path"), 921_600).expect("opens");
        let t = termios::tcgetattr(&link.fd).expect("attributes");
        assert_eq!(termios::cfgetospeed(&t), BaudRate::B921600);
        assert_eq!(termios::cfgetispeed(&t), BaudRate::B921600);
        assert!(!t.local_flags.contains(termios::LocalFlags::ICANON), "raw mode");
        match TtyLink::open(path.to_str().expect("utf-8 path"), 12_345) {
            Err(e) => assert!(e.to_string().contains("unsupported baud rate 12345"), "{e}"),
            Ok(_) => panic!("a baud rate the tty cannot take was accepted"),
        }
    }
}
