#ifndef _INCLUDED_synapses_end_codeobject
#define _INCLUDED_synapses_end_codeobject

void _run_synapses_end_codeobject();

void _debugmsg_synapses_end_codeobject();

#endif
