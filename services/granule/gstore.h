/* Per-granule state storage: what a granule service variant implements. */
#ifndef SERVICES_GRANULE_GSTORE_H
#define SERVICES_GRANULE_GSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "granule_svc.h"

/* State of the granule at pa; false if pa is not a tracked granule. */
bool gstore_get(const struct granule_state *st, uint64_t pa, uint32_t *state);
/* Whether gstore_set(pa, state) will succeed (room in the structure). */
bool gstore_can_set(const struct granule_state *st, uint64_t pa, uint32_t state);
/* Set the state of a tracked granule (callers checked gstore_can_set). */
void gstore_set(struct granule_state *st, uint64_t pa, uint32_t state);

#endif
