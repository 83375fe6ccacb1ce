#ifndef _INCLUDED_synapses_start_codeobject
#define _INCLUDED_synapses_start_codeobject

void _run_synapses_start_codeobject();

void _debugmsg_synapses_start_codeobject();

#endif
