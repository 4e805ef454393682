/*
 * The host arch layer's mutable state, file by file, for snapshots
 * (platform/host/machine.h, sim_machine_regions()). Each writes at most
 * HOST_STATE_MAX regions and returns how many.
 */
#ifndef HOST_STATE_H
#define HOST_STATE_H

#include <machine.h>

#define HOST_STATE_MAX	4u

size_t host_sysreg_regions(struct sim_region *r);
size_t host_mmu_regions(struct sim_region *r);
size_t host_smc_regions(struct sim_region *r);
size_t host_realm_regions(struct sim_region *r);

/* The system counter (arch/host/sysreg.c): advance it by n, return the new count. */
uint64_t sim_counter_advance(uint64_t n);
/* Whether a realm timer's interrupt reaches the calling CPU. */
bool sim_timer_irq(void);
/* The PMU as a realm at EL1 drives it: PMSWINC_EL0, and the cycle counter read. */
void sim_pmu_swinc(uint64_t v);
uint64_t sim_pmu_cycles(void);

#endif
