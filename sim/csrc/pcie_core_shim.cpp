// C ABI around the verilated core behind the PCIe TLP adapter: one call per cycle of the
// link's clock. The root complex (link, host memory, MSI) is modelled in Rust
// (`src/pcie/`), which sets the integrated block's outputs towards the adapter for a cycle,
// sees the adapter's outputs for that cycle (so it knows which beats moved at the edge),
// and clocks. The core runs on a clock of its own (`core_clock`, behind the clock
// crossing): each call first gives it every rising edge that falls before the link's next
// edge, at the period ratio `mf_pcie_new` was given.
// Field layout must match `PcieIn`/`PcieOut` in `src/ffi.rs`.
#include <cstdint>
#include <memory>
#include "Vpcie_core.h"
#include "verilated.h"

extern "C" {

struct MfPcieIn {
    uint64_t rx_tdata;
    uint16_t cfg_id;
    uint8_t rx_tkeep;
    uint8_t rx_tlast;
    uint8_t rx_tvalid;
    uint8_t rx_bar0;
    uint8_t tx_tready;
    uint8_t cfg_bus_master;
    uint8_t cfg_msi_enable;
    uint8_t cfg_interrupt_rdy;
    uint8_t pad[6];
};

struct MfPcieOut {
    uint64_t tx_tdata;
    uint8_t tx_tkeep;
    uint8_t tx_tlast;
    uint8_t tx_tvalid;
    uint8_t rx_tready;
    uint8_t cfg_interrupt;
    uint8_t irq;
    uint8_t pad[2];
};

struct MfPcie {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vpcie_core> top;
    uint64_t cycles = 0;
    // Clock periods in any one time unit, and the time of the core's next rising edge
    // (the link's next is at (cycles + 1) * link_period).
    uint64_t link_period = 1;
    uint64_t core_period = 1;
    uint64_t core_next = 0;
};

void* mf_pcie_new(uint32_t link_period, uint32_t core_period) {
    auto* m = new MfPcie;
    m->ctx = std::make_unique<VerilatedContext>();
    m->top = std::make_unique<Vpcie_core>(m->ctx.get());
    m->link_period = link_period ? link_period : 1;
    m->core_period = core_period ? core_period : 1;
    // The core's first edge a third of its period in: the clocks never share an edge at
    // the start, and ratios that are not whole numbers never make them meet later.
    m->core_next = m->core_period / 3 + 1;
    m->top->clock = 0;
    m->top->core_clock = 0;
    m->top->eval();
    return m;
}

void mf_pcie_free(void* p) {
    auto* m = static_cast<MfPcie*>(p);
    m->top->final();
    delete m;
}

uint64_t mf_pcie_cycles(void* p) { return static_cast<MfPcie*>(p)->cycles; }

// One cycle: drive `in`, let the design settle with the clock low, report its outputs (what
// it shows at the coming edge), then the rising edge.
void mf_pcie_tick(void* p, const MfPcieIn* in, MfPcieOut* out) {
    auto* m = static_cast<MfPcie*>(p);
    auto* t = m->top.get();
    // The core's edges before the link's next: the link side's inputs hold last cycle's
    // values meanwhile, as its registers do between its edges.
    const uint64_t link_next = (m->cycles + 1) * m->link_period;
    while (m->core_next < link_next) {
        t->core_clock = 1;
        t->eval();
        t->core_clock = 0;
        t->eval();
        m->core_next += m->core_period;
    }
    t->clock = 0;
    t->rx_tdata = in->rx_tdata;
    t->rx_tkeep = in->rx_tkeep;
    t->rx_tlast = in->rx_tlast;
    t->rx_tvalid = in->rx_tvalid;
    t->rx_bar0 = in->rx_bar0;
    t->tx_tready = in->tx_tready;
    t->cfg_id = in->cfg_id;
    t->cfg_bus_master = in->cfg_bus_master;
    t->cfg_msi_enable = in->cfg_msi_enable;
    t->cfg_interrupt_rdy = in->cfg_interrupt_rdy;
    t->eval();
    out->tx_tdata = t->tx_tdata;
    out->tx_tkeep = t->tx_tkeep;
    out->tx_tlast = t->tx_tlast;
    out->tx_tvalid = t->tx_tvalid;
    out->rx_tready = t->rx_tready;
    out->cfg_interrupt = t->cfg_interrupt;
    out->irq = t->irq;
    t->clock = 1;
    t->eval();
    ++m->cycles;
}
}
