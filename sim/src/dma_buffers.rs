//! The DMA buffers a simulated board has handed the driver: where each lies in the host
//! memory the simulation owns, and the one bounds check every `dma_read`/`dma_write` of the
//! simulated boards goes through.

use std::ops::Range;

use memfire_host::bus::{outside_region, BusError, DmaRegion};

#[derive(Debug, Default)]
pub(crate) struct DmaBuffers {
    /// (offset into host memory, length) of each buffer, by `DmaRegion::id`.
    spans: Vec<(usize, usize)>,
}

impl DmaBuffers {
    /// Record a buffer of `len` bytes at `offset` in host memory; `base` is the bus address of
    /// host memory's first byte.
    pub(crate) fn add(&mut self, offset: usize, len: usize, base: u64) -> DmaRegion {
        self.spans.push((offset, len));
        DmaRegion {
            iova: base + offset as u64,
            len,
            id: self.spans.len() - 1,
        }
    }

    /// The bytes of host memory that bytes `offset..offset + len` of `region` are, or an error
    /// of `backend` that names them.
    pub(crate) fn range(
        &self,
        backend: impl FnOnce() -> String,
        region: &DmaRegion,
        offset: usize,
        len: usize,
    ) -> Result<Range<usize>, BusError> {
        match self.spans.get(region.id) {
            Some(&(start, l)) if l == region.len && region.holds(offset, len) => {
                Ok(start + offset..start + offset + len)
            }
            _ => Err(outside_region(backend(), region, offset, len)),
        }
    }
}
