"""The ablation's conditions: each of the neuron's characteristics switched off or swept
through the model's own parameters, with what the change means for the device.

"full" is the neuron with all six characteristics, noise on at the model document's "on"
values. Every other condition changes one thing from it.
"""

from dataclasses import dataclass, field

from .. import _memfire

#: The model document's defaults plus its "on" values for the noise.
FULL = {"sigma1": 1e-3, "c2c": 0.1}


@dataclass(frozen=True)
class Condition:
    name: str
    characteristic: str
    #: Model parameters changed from FULL.
    params: dict = field(default_factory=dict)
    #: Scale of the recurrent weights (1 = the reservoir's).
    weight_scale: float = 1.0
    #: What the change means for the device.
    meaning: str = ""
    #: "off" for the condition that removes the characteristic (the reduced study runs
    #: these), "sweep" for the others.
    role: str = "sweep"

    def neuron_params(self):
        return {**FULL, **self.params}


CONDITIONS = [
    Condition("full", "all", meaning="every characteristic of the device, ionic and cycle-to-cycle noise on", role="off"),
    # Leaky integration: the filament dissolves at gamma1 (plus beta into the residue).
    Condition(
        "leak: gamma1=1/s",
        "leaky integration",
        {"gamma1": 1.0},
        meaning="a filament that barely dissolves (non-volatile switching): input integrates without leak; "
        "what decays goes into the residue (tau 48 ms)",
        role="off",
    ),
    Condition("leak: gamma1=150/s", "leaky integration", {"gamma1": 150.0}, meaning="a filament dissolving 4x slower (tau1 5.9 ms)"),
    Condition("leak: gamma1=2400/s", "leaky integration", {"gamma1": 2400.0}, meaning="a filament dissolving 4x faster (tau1 0.41 ms)"),
    # Cascaded connection: the drain output driving the next neuron's input.
    Condition(
        "cascade: weights x0",
        "cascaded connection",
        weight_scale=0.0,
        meaning="no drain-to-input connections: each neuron alone, driven by the input only",
        role="off",
    ),
    Condition("cascade: weights x0.5", "cascaded connection", weight_scale=0.5, meaning="recurrent drive halved"),
    Condition("cascade: weights x2", "cascaded connection", weight_scale=2.0, meaning="recurrent drive doubled"),
    # Intrinsic plasticity: the residue each spike leaves lowers the effective threshold.
    Condition(
        "plasticity: eta=0",
        "intrinsic plasticity",
        {"eta": 0.0},
        meaning="no Ag residue deposited by a spike: the threshold does not fall with firing "
        "(the residue the growing filament leaves through beta stays)",
        role="off",
    ),
    Condition("plasticity: eta=0.1", "intrinsic plasticity", {"eta": 0.1}, meaning="3.3x the residue per spike"),
    Condition("plasticity: eta=0.3", "intrinsic plasticity", {"eta": 0.3}, meaning="10x the residue per spike"),
    # Refractory period: the gate sits near the input after a spike until C_g discharges through R_c.
    Condition(
        "refractory: R_c=5M",
        "refractory period",
        {"R_c": 5e6},
        meaning="a 5 MΩ control resistor: the gate discharges in 50 µs, no refractory period to speak of",
        role="off",
    ),
    Condition("refractory: R_c=50M", "refractory period", {"R_c": 50e6}, meaning="the paper's smallest R_c: tau_c 0.5 ms"),
    Condition("refractory: R_c=1G", "refractory period", {"R_c": 1e9}, meaning="the paper's largest R_c: tau_c 10 ms"),
    Condition(
        "refractory: t_abs=1ms",
        "refractory period",
        {"t_abs": 1e-3},
        meaning="an added absolute refractory time of 1 ms (a reset circuit holding the filament off)",
    ),
    # Stochasticity: random Ag migration and nucleation.
    Condition(
        "noise: off",
        "stochasticity",
        {"sigma1": 0.0, "c2c": 0.0},
        meaning="a deterministic device: no ionic noise, no cycle-to-cycle spread",
        role="off",
    ),
    Condition("noise: x10 sigma1, c2c 0.3", "stochasticity", {"sigma1": 1e-2, "c2c": 0.3}, meaning="a noisier device"),
]

#: Threshold firing has no switch: without the threshold there is no spike to count. The
#: sweeps above move the threshold's effective level (eta, gamma1) instead.
NOT_ABLATED = {"threshold firing": "the spike itself: removing it removes the neuron's output"}

#: The baselines, run on the same features and readout.
RAW_INPUT = "baseline: readout on raw pixels"
LIF = "baseline: LIF reservoir"
BASELINES = [RAW_INPUT, LIF]

BY_NAME = {c.name: c for c in CONDITIONS}


def condition(name):
    try:
        return BY_NAME[name]
    except KeyError:
        raise _memfire.MemfireError(
            f"no ablation condition {name!r}; conditions: {', '.join([*BY_NAME, *BASELINES])}"
        ) from None


def names(reduced=False):
    """Every condition and baseline, or (reduced) the full neuron, each characteristic off,
    and the baselines."""
    chosen = [c.name for c in CONDITIONS if not reduced or c.role == "off"]
    return [*chosen, *BASELINES]
