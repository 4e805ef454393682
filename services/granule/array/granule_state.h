/* Granule service, "array" variant: one byte per granule in a flat table. */
#ifndef SERVICES_GRANULE_ARRAY_STATE_H
#define SERVICES_GRANULE_ARRAY_STATE_H

#include "../common.h"

struct granule_state {
	struct granule_banks banks;
	uint64_t *table;	/* 8 granule states per word, lent by the kernel at boot */
};

#endif
