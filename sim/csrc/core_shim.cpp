// C ABI around the verilated memfire core: bus reads and writes, runs of many cycles per
// call, optional FST waveform. Field layout and semantics must match `src/ffi.rs`.
#include <cstdint>
#include <memory>
#include "Vcore.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {
struct Core {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vcore> top;
    std::unique_ptr<VerilatedFstC> trace;
    uint64_t cycles = 0;

    void tick() {
        top->clock = 0;
        top->eval();
        if (trace) trace->dump(2 * cycles);
        top->clock = 1;
        top->eval();
        if (trace) trace->dump(2 * cycles + 1);
        ++cycles;
    }
};
}  // namespace

extern "C" {

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
    c->top->clock = 0;
    c->top->bus_we = 0;
    c->top->bus_re = 0;
    c->top->eval();
    return c;
}

void mf_core_free(void* p) {
    auto* c = static_cast<Core*>(p);
    if (c->trace) c->trace->close();
    c->top->final();
    delete c;
}

uint64_t mf_core_cycles(void* p) { return static_cast<Core*>(p)->cycles; }

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

void mf_core_read_block(void* p, uint32_t addr, uint32_t* out, uint64_t n) {
    auto* c = static_cast<Core*>(p);
    for (uint64_t i = 0; i < n; ++i) {
        c->top->bus_addr = addr + (uint32_t)i;
        c->top->bus_re = 1;
        c->tick();               // address and strobe taken at this edge
        out[i] = c->top->bus_rdata;  // valid after it (bus_rvalid)
    }
    c->top->bus_re = 0;
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

}  // extern "C"
