//! Errors of the file formats: every one names the file and, where it has one, the line
//! (and key) at fault.

use std::borrow::Cow;
use std::fmt;

/// A malformed or invalid input file.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    /// File name (or other source name) as given by the caller.
    pub source_name: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl FormatError {
    /// An error at `line` (1-based) of `source_name`.
    pub fn at(source_name: &str, line: Option<usize>, message: impl Into<String>) -> FormatError {
        FormatError {
            source_name: source_name.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source_name, line, self.message),
            None => write!(f, "{}: {}", self.source_name, self.message),
        }
    }
}

impl std::error::Error for FormatError {}

/// Text as every format reads it: without a UTF-8 byte-order mark (spreadsheets save one)
/// and with each line ending — `\r\n` (Windows), `\n`, or a lone `\r` (classic Mac OS) —
/// as `\n`, so line numbers in messages count the lines an editor shows.
pub fn normalize_text(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// 1-based line of byte offset `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parse one CSV field as `T`, with an error naming the column.
pub fn field<T: std::str::FromStr>(
    source_name: &str,
    line: usize,
    column: &str,
    raw: Option<&str>,
) -> Result<T, FormatError> {
    let raw = raw
        .map(str::trim)
        .ok_or_else(|| FormatError::at(source_name, Some(line), format!("missing column `{column}`")))?;
    raw.parse::<T>().map_err(|_| {
        FormatError::at(
            source_name,
            Some(line),
            format!(
                "column `{column}`: cannot read {raw:?} as a {}",
                std::any::type_name::<T>()
            ),
        )
    })
}

/// The data lines of a CSV text: (1-based line number, line), skipping blank lines and
/// `#` comments, and the header if its first field is `header_first`.
pub fn csv_rows<'a>(text: &'a str, header_first: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .filter(move |(_, l)| l.split(',').next().map(str::trim) != Some(header_first))
}
