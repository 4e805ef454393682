/* Recording the conformance tests as seeds of the whole-monitor fuzzer (record.c). */
#ifndef HOSTSIM_RECORD_H
#define HOSTSIM_RECORD_H

#include <stdint.h>

/* Start recording test `test` into <dir>/conformance-<test> (dir NULL: do not record). */
void record_begin(const char *dir, const char *test);
void record_end(void);
/* An RMI call as the NS host issues it (x0..x7), before the RMM sees it. */
void record_rmi(const uint64_t in[8]);
/* The simulated CPU the calling thread plays (tests/nshost/host_sim.c). */
unsigned int host_this_cpu(void);

#endif
