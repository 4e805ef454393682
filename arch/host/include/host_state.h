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

#endif
