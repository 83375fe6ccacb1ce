#ifndef _INCLUDED_synapses_end_push_spikes
#define _INCLUDED_synapses_end_push_spikes

void _run_synapses_end_push_spikes();


#endif
