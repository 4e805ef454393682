/* Realm-lifecycle service state: only what is not stored in RD granules. */
#ifndef SERVICES_REALM_STATE_H
#define SERVICES_REALM_STATE_H

#include <stdint.h>

#define REALM_VMID_MAX	65536u

struct realm_state {
	uint64_t vmid_used[REALM_VMID_MAX / 64u];	/* bitmap of VMIDs of live realms */
};

void realm_init(struct realm_state *st);

#endif
