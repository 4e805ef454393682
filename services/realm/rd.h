/*
 * Realm Descriptor layout (private to this service): what the RD granule
 * holds. The measurement area is lent to the attestation service.
 */
#ifndef SERVICES_REALM_RD_H
#define SERVICES_REALM_RD_H

#include <stddef.h>
#include <stdint.h>

enum realm_lifecycle {
	REALM_NEW = 1,		/* 0 never appears: a DELEGATED granule is all zero */
	REALM_ACTIVE = 2,
	REALM_SYSTEM_OFF = 3,
};

struct rd {
	uint32_t state;		/* enum realm_lifecycle */
	uint32_t s2sz;
	int32_t rtt_level_start;
	uint32_t rtt_num_start;
	uint64_t rtt_base;
	uint64_t flags;
	uint32_t vmid;
	uint32_t hash_algo;
	uint32_t sve_vl;
	uint32_t num_bps;
	uint32_t num_wps;
	uint32_t pmu_num_ctrs;
	uint64_t rec_count;	/* RECs ever created (index allocation) */
	uint64_t rec_live;	/* RECs that exist (the RD refcount) */
	uint8_t rpv[64];
};
_Static_assert(offsetof(struct rd, rtt_base) == 16, "rd layout");
_Static_assert(offsetof(struct rd, rpv) == 72, "rd layout");
_Static_assert(sizeof(struct rd) == 136, "rd layout");

/* Measurement area: hash algorithm word + 5 slots of 64 bytes (states.md 6.1). */
#define RD_MEAS_OFF	0x800u
#define RD_MEAS_LEN	(8u + 5u * 64u)

#define REC_AUX_COUNT	16u

#endif
