/* Helpers shared by the realm-building tests. */
#ifndef NSHOST_REALM_UTIL_H
#define NSHOST_REALM_UTIL_H

#include "host.h"

#define RMI_DATA_CREATE		0xC4000153ull
#define RMI_DATA_CREATE_UNKNOWN	0xC4000154ull
#define RMI_DATA_DESTROY	0xC4000155ull
#define RMI_RTT_CREATE		0xC400015Dull
#define RMI_RTT_DESTROY		0xC400015Eull
#define RMI_RTT_MAP_UNPROTECTED	0xC400015Full
#define RMI_RTT_READ_ENTRY	0xC4000161ull
#define RMI_RTT_UNMAP_UNPROTECTED 0xC4000162ull
#define RMI_RTT_FOLD		0xC4000166ull
#define RMI_RTT_INIT_RIPAS	0xC4000168ull
#define RMI_ERROR_REC		3u
#define RMI_ERROR_RTT		4u
#define RTT_ERR(level)		(RMI_ERROR_RTT | ((uint64_t)(level) << 8))

/* A NEW realm with a 39-bit IPA space and one level-1 root RTT. */
struct test_realm {
	uint64_t rd, root;
};

bool realm_new(struct test_realm *r, uint64_t vmid);
/* ... with RmiRealmParams flags (bit 1 SVE, bit 2 PMU), sve_vl and pmu_num_ctrs. */
bool realm_new_with(struct test_realm *r, uint64_t vmid, uint64_t flags, uint64_t sve_vl,
		    uint64_t pmu_ctrs);
uint64_t delegated_granule(void);
/* REALM_CREATE (status) with the usual parameters but num_bps/num_wps. */
uint64_t realm_create_bpwp(uint64_t rd, uint64_t rtt, uint64_t vmid, uint64_t bps, uint64_t wps);
/* RTT_READ_ENTRY (x0..x4). */
struct smc_res rtt_read(const struct test_realm *r, uint64_t ipa, int64_t level);

#endif
