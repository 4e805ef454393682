/*
 * Realm Descriptor layout (private to this service): what the RD granule
 * holds. The measurement area is lent to the attestation service.
 */
#ifndef SERVICES_REALM_RD_H
#define SERVICES_REALM_RD_H

#include <ipc/realm_objects.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	struct rd_s2 s2;	/* shared with the kernel (ipc/realm_objects.h) */
	uint64_t flags;
	uint32_t hash_algo;
	uint32_t _pad;
	uint32_t sve_vl;
	uint32_t num_bps;
	uint32_t num_wps;
	uint32_t pmu_num_ctrs;
	uint64_t rec_live;	/* RECs that exist (the RD refcount) */
	uint8_t rpv[64];
};
_Static_assert(offsetof(struct rd, s2) == 0, "the kernel reads rd_s2 at offset 0");
_Static_assert(offsetof(struct rd, rpv) == 96, "rd layout");
_Static_assert(sizeof(struct rd) == 160, "rd layout");

/* Measurement area: hash algorithm word + 5 slots of 64 bytes (states.md 6.1). */
#define RD_MEAS_OFF	0x800u
#define RD_MEAS_LEN	(8u + 5u * 64u)

#define REC_AUX_COUNT	16u

/* Lock(rd, RD): the granule service vouches for lease 0 as an RD; read it. */
bool rd_open(struct rd *r);

#endif
