/* Helpers shared by the granule service variants (address -> granule index). */
#ifndef SERVICES_GRANULE_COMMON_H
#define SERVICES_GRANULE_COMMON_H

#include "granule_svc.h"

struct granule_banks {
	struct granule_bank bank[GRANULE_SVC_MAX_BANKS];
	unsigned int count;
	uint64_t total;		/* granules over all banks */
};

bool granule_banks_set(struct granule_banks *b, const struct granule_bank *banks,
		       unsigned int count);
/* Index of the granule at pa; false if pa is not a tracked granule. */
bool granule_index(const struct granule_banks *b, uint64_t pa, uint64_t *idx);

#endif
