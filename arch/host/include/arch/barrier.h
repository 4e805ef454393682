/*
 * Host twin of arch/aarch64/include/arch/barrier.h. Barriers become full
 * compiler+CPU fences; TLB and cache maintenance have nothing to act on
 * (the simulated MMU has no TLB).
 */
#ifndef ARCH_BARRIER_H
#define ARCH_BARRIER_H

#include <stdint.h>

#define HOST_FENCE_(name) \
	static inline void name(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
#define HOST_NOP_REG_(name) \
	static inline void name(uint64_t x) { (void)x; }

HOST_FENCE_(dsb_ish)
HOST_FENCE_(dsb_sy)
HOST_FENCE_(isb)
HOST_FENCE_(tlbi_alle2)
HOST_FENCE_(ic_iallu)
HOST_FENCE_(tlbi_vmalle1is)
HOST_FENCE_(tlbi_vmalls12e1is)
HOST_FENCE_(sev)

/* wfe: let another thread run instead of spinning hot. */
void host_wfe(void);
static inline void wfe(void) { host_wfe(); }

HOST_NOP_REG_(dc_civac)
HOST_NOP_REG_(tlbi_vale2)
HOST_NOP_REG_(tlbi_vae2is)
HOST_NOP_REG_(tlbi_ipas2e1is)
/* Fills PAR_EL1 as the hardware would (bit 0 set: the store would fault). */

/* The simulated maximum SVE vector length in bytes (0: no SVE). */
uint64_t sve_rdvl(void);

#endif
