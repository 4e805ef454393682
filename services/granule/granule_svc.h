/*
 * Granule service: the interface every variant implements (besides the
 * generated handlers of ipc/granule.toml). The kernel gives the service, at
 * boot, the DRAM banks and a table memory carved from the RMM's own window.
 */
#ifndef SERVICES_GRANULE_SVC_H
#define SERVICES_GRANULE_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GRANULE_SVC_MAX_BANKS	8u

struct granule_bank {
	uint64_t base;
	uint64_t size;
	uint64_t first;		/* index of the bank's first granule */
};

struct granule_state;

/*
 * Table memory (64-bit words) the variant needs to track count granules,
 * and start-up; granule_init() fails if the banks do not fit the table.
 */
uint64_t granule_table_words(uint64_t count);
bool granule_init(struct granule_state *st, uint64_t *table, uint64_t words,
		  const struct granule_bank *banks, unsigned int bank_count);

#endif
