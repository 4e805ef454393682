/* The realm service's calls to the granule service (one place for all its files). */
#ifndef SERVICES_REALM_GRAN_H
#define SERVICES_REALM_GRAN_H

#include <ipc/granule.h>
#include <stdbool.h>
#include <stdint.h>

/* A granule_ref naming one of this message's leases, or a granule by PA. */
struct ipc_granule_ref gran_lease(uint8_t lease);
struct ipc_granule_ref gran_pa(uint64_t pa);

/* Each is true on GRANULE_GSTATUS_OK (claim/lookup then activate the lease). */
bool gran_claim(struct ipc_granule_ref r, uint32_t from, uint32_t to);
bool gran_lookup(struct ipc_granule_ref r, uint32_t expect);
bool gran_release(struct ipc_granule_ref r, uint32_t from);
bool gran_state_is(uint64_t pa, uint32_t expect);

#endif
