// C ABI around the verilated memfire core: bus reads and writes, runs of many cycles per
// call, optional FST waveform, and a model of host memory that serves the DMA engine's
// memory-request port (random latency and backpressure, faults on unmapped addresses).
// Field layout and semantics must match `src/ffi.rs`.
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include "Vcore.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

// Host memory as the device sees it: one window of bytes owned by Rust, at bus address
// `iova`. Only touched inside calls from Rust, which does not touch it meanwhile.
struct HostMemory {
    uint8_t* base = nullptr;
    uint64_t iova = 0;
    uint64_t len = 0;
    uint32_t latency_min = 1;      // cycles from request to read data
    uint32_t latency_max = 1;
    uint32_t ready_permille = 1000;  // chance that the port accepts a request in a cycle
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    struct Read {
        uint64_t due;
        uint64_t data;
        bool error;  // outside every buffer: the read fails, as through an IOMMU
    };
    std::deque<Read> reads;
    uint64_t faults = 0;
    uint64_t fault_addr = 0;
    uint8_t fault_write = 0;
    uint64_t reads_served = 0;
    uint64_t writes_served = 0;

    uint32_t draw(uint32_t below) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return below ? (uint32_t)(rng % below) : 0;
    }
    bool inside(uint64_t addr) const {
        return base && (addr & 7) == 0 && addr >= iova && addr - iova + 8 <= len;
    }
    void fault(uint64_t addr, bool write) {
        if (faults++ == 0) {
            fault_addr = addr;
            fault_write = write;
        }
    }
    void serve(uint64_t cycle, bool write, uint64_t addr, uint64_t wdata) {
        if (write) {
            ++writes_served;
            if (inside(addr)) std::memcpy(base + (addr - iova), &wdata, 8);
            else fault(addr, true);
            return;
        }
        ++reads_served;
        uint64_t data = 0;
        bool ok = inside(addr);
        if (ok) std::memcpy(&data, base + (addr - iova), 8);
        else fault(addr, false);
        uint32_t span = latency_max >= latency_min ? latency_max - latency_min + 1 : 1;
        reads.push_back({cycle + latency_min + draw(span), data, !ok});
    }
};

struct Core {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vcore> top;
    std::unique_ptr<VerilatedFstC> trace;
    HostMemory mem;
    uint64_t cycles = 0;

    // Every input low, as after power-up, and the model settled on them.
    void idle_inputs() {
        top->clock = 0;
        top->bus_we = 0;
        top->bus_re = 0;
        top->mem_req_ready = 0;
        top->mem_rsp_valid = 0;
        top->mem_rsp_error = 0;
        top->eval();
    }

    void tick() {
        top->clock = 0;
        // The memory port's inputs for the coming edge.
        bool ready = mem.ready_permille >= 1000 || mem.draw(1000) < mem.ready_permille;
        bool respond = !mem.reads.empty() && mem.reads.front().due <= cycles;
        top->mem_req_ready = ready;
        top->mem_rsp_valid = respond;
        top->mem_rsp_data = respond ? mem.reads.front().data : 0;
        top->mem_rsp_error = respond && mem.reads.front().error;
        top->eval();
        if (trace) trace->dump(2 * cycles);
        if (top->mem_req_valid && ready) {
            mem.serve(cycles, top->mem_req_write, top->mem_req_addr, top->mem_req_wdata);
        }
        top->clock = 1;
        top->eval();
        if (trace) trace->dump(2 * cycles + 1);
        if (respond) mem.reads.pop_front();
        ++cycles;
    }
};
}  // namespace

extern "C" {

// Counters of the host-memory model (layout shared with `MemStats` in ffi.rs).
struct MfMemStats {
    uint64_t faults;
    uint64_t fault_addr;
    uint64_t reads;
    uint64_t writes;
    uint8_t fault_write;
    uint8_t pad[7];
};

void* mf_core_new(const char* trace_path) {
    auto* c = new Core;
    c->ctx = std::make_unique<VerilatedContext>();
    if (trace_path) c->ctx->traceEverOn(true);
    c->top = std::make_unique<Vcore>(c->ctx.get());
    if (trace_path) {
        c->trace = std::make_unique<VerilatedFstC>();
        c->top->trace(c->trace.get(), 99);
        c->trace->open(trace_path);
    }
    c->idle_inputs();
    return c;
}

void mf_core_free(void* p) {
    auto* c = static_cast<Core*>(p);
    if (c->trace) c->trace->close();
    c->top->final();
    delete c;
}

uint64_t mf_core_cycles(void* p) { return static_cast<Core*>(p)->cycles; }

// Point the memory model at `len` bytes at `base`, seen by the device at bus address `iova`.
void mf_core_set_memory(void* p, uint8_t* base, uint64_t iova, uint64_t len) {
    auto* c = static_cast<Core*>(p);
    c->mem.base = base;
    c->mem.iova = iova;
    c->mem.len = len;
}

void mf_core_set_memory_timing(void* p, uint32_t latency_min, uint32_t latency_max, uint32_t ready_permille,
                               uint64_t seed) {
    auto* c = static_cast<Core*>(p);
    c->mem.latency_min = latency_min;
    c->mem.latency_max = latency_max;
    c->mem.ready_permille = ready_permille;
    c->mem.rng = seed | 1;
}

void mf_core_memory_stats(void* p, MfMemStats* out) {
    auto* c = static_cast<Core*>(p);
    out->faults = c->mem.faults;
    out->fault_addr = c->mem.fault_addr;
    out->reads = c->mem.reads_served;
    out->writes = c->mem.writes_served;
    out->fault_write = c->mem.fault_write;
}

void mf_core_write_block(void* p, uint32_t addr, const uint32_t* data, uint64_t n) {
    auto* c = static_cast<Core*>(p);
    for (uint64_t i = 0; i < n; ++i) {
        c->top->bus_addr = addr + (uint32_t)i;
        c->top->bus_wdata = data[i];
        c->top->bus_we = 1;
        c->tick();
    }
    c->top->bus_we = 0;
}

// Reads are pipelined: one address per cycle, each word collected when `bus_rvalid` says
// it is there (a fixed number of edges after its address: `ReadPath`), in order.
void mf_core_read_block(void* p, uint32_t addr, uint32_t* out, uint64_t n) {
    auto* c = static_cast<Core*>(p);
    uint64_t got = 0;
    for (uint64_t i = 0; i < n; ++i) {
        c->top->bus_addr = addr + (uint32_t)i;
        c->top->bus_re = 1;
        c->tick();
        if (c->top->bus_rvalid && got < n) out[got++] = c->top->bus_rdata;
    }
    c->top->bus_re = 0;
    for (int spare = 0; got < n && spare < 16; ++spare) {
        c->tick();
        if (c->top->bus_rvalid) out[got++] = c->top->bus_rdata;
    }
    while (got < n) out[got++] = 0xFFFFFFFFu;  // never: the core answers every read
}

// Run up to `max_cycles`; stop early (after the edge) when the interrupt line is high.
// Returns the cycles run.
uint64_t mf_core_run(void* p, uint64_t max_cycles, uint8_t stop_on_irq) {
    auto* c = static_cast<Core*>(p);
    for (uint64_t i = 0; i < max_cycles; ++i) {
        c->tick();
        if (stop_on_irq && c->top->irq) return i + 1;
    }
    return max_cycles;
}

uint8_t mf_core_irq(void* p) { return static_cast<Core*>(p)->top->irq; }

// Reload the FPGA: every register and memory of the core back to its power-up value, as
// after a reset or reprogramming. Host memory stays (it is the host's); reads the card had
// asked for are never answered. A trace stops here (it belongs to the old instance).
void mf_core_power_cycle(void* p) {
    auto* c = static_cast<Core*>(p);
    if (c->trace) {
        c->trace->close();
        c->trace.reset();
    }
    c->top.reset();
    c->ctx = std::make_unique<VerilatedContext>();
    c->top = std::make_unique<Vcore>(c->ctx.get());
    c->idle_inputs();
    c->mem.reads.clear();
}

}  // extern "C"
