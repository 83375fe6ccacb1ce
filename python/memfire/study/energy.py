"""A projection of the energy a run would take on 1M1T1R silicon: spikes and synaptic events
times an energy each. A projection from counts, not a measurement."""

#: The paper's estimate for one spike of the 1M1T1R neuron at 65 nm (Zhao et al., Nature
#: Electronics 2025), with its device and circuit parameters.
ENERGY_PER_SPIKE_65NM = 1.39e-12

#: Energy of one synaptic event (a pulse delivered to a target): the paper gives none, so the
#: projection leaves it out unless one is given.
ENERGY_PER_SYNAPTIC_EVENT = 0.0


def projected_energy(spikes, synaptic_events, energy_per_spike=ENERGY_PER_SPIKE_65NM, energy_per_synaptic_event=ENERGY_PER_SYNAPTIC_EVENT):
    """Joules: spikes × energy_per_spike + synaptic_events × energy_per_synaptic_event."""
    return spikes * energy_per_spike + synaptic_events * energy_per_synaptic_event
