/*
 * Granule service, "sparse" variant: only granules that are not
 * UNDELEGATED are stored, in an open-addressing hash table (linear probing,
 * backward-shift deletion). Memory follows the number of delegated
 * granules, not the size of DRAM: suited to machines with huge DRAM and
 * few realms. Lookups cost a hash probe instead of an index, and a delegate
 * fails (RMI_ERROR_INPUT) once the table is at its load limit.
 */
#ifndef SERVICES_GRANULE_SPARSE_STATE_H
#define SERVICES_GRANULE_SPARSE_STATE_H

#include "../common.h"

struct granule_state {
	struct granule_banks banks;
	uint64_t *slots;	/* key = granule index + 1 (0 = empty) << 8 | state */
	uint64_t capacity;	/* power of two */
	uint64_t used;
};

#endif
