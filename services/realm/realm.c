/*
 * Realm-lifecycle service: RMI_REALM_CREATE / ACTIVATE / DESTROY and
 * REC_AUX_COUNT, with the failure checks in the order of rmi.md 6-9.
 * Statuses are RMI statuses; granule states change only through the
 * granule service, measurements only through the attestation service.
 */
#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <kernel/svc_api.h>
#include <string.h>

#include "gran.h"
#include "rd.h"
#include "realm_state.h"

enum {
	RMI_SUCCESS = 0,
	RMI_ERROR_INPUT = 1,
	RMI_ERROR_REALM = 2,
};

#define LEASE_RD	0u	/* lease of the rd granule_ref in every op */
#define MAX_ROOTS	16u

/* RmiFeatureRegister0 fields (structures.md 2). */
#define FEAT_S2SZ(f)		((f) & 0xffu)
#define FEAT_LPA2(f)		(((f) >> 8) & 1u)
#define FEAT_SVE_EN(f)		(((f) >> 9) & 1u)
#define FEAT_SVE_VL(f)		(((f) >> 10) & 0xfu)
#define FEAT_NUM_BPS(f)		(((f) >> 14) & 0x3fu)
#define FEAT_NUM_WPS(f)		(((f) >> 20) & 0x3fu)
#define FEAT_PMU_NUM_CTRS(f)	(((f) >> 27) & 0x1fu)

#define FLAG_LPA2	(1u << 0)
#define FLAG_SVE	(1u << 1)
#define FLAG_PMU	(1u << 2)

void realm_init(struct realm_state *st)
{
	memset(st, 0, sizeof(*st));
}

/* ---- VMIDs ---- */

static bool vmid_used(const struct realm_state *st, uint32_t v)
{
	return (st->vmid_used[v / 64u] >> (v % 64u) & 1u) != 0u;
}

static void vmid_set(struct realm_state *st, uint32_t v, bool used)
{
	uint64_t bit = 1ull << (v % 64u);

	st->vmid_used[v / 64u] = used ? st->vmid_used[v / 64u] | bit : st->vmid_used[v / 64u] & ~bit;
}

/* ---- parameter validation (rmi.md 6, step 2; structures.md 11) ---- */

/* Number of root RTTs s2sz needs at start level L, or 0 if inconsistent. */
static uint32_t roots_needed(uint32_t s2sz, int32_t level, bool lpa2, unsigned int pa_bits)
{
	int32_t n, lo, hi;

	if (level < (lpa2 ? -1 : 0) || level > 3)
		return 0;
	if (level == 0 && pa_bits < 44u)
		return 0;
	n = 3 - level;
	lo = 9 * n + 13;
	hi = level == -1 ? lo + 3 : lo + 8;
	if (level > 0 || (level == 0 && lpa2))
		hi += 4;
	if ((int32_t)s2sz < lo || (int32_t)s2sz > hi)
		return 0;
	if ((int32_t)s2sz <= 9 * n + 21)
		return 1;
	return 1u << ((int32_t)s2sz - (9 * n + 21));
}

static unsigned int parange_bits(void)
{
	/* The RMM's S2SZ already caps at the CPU's PA width (kernel/features.c). */
	return FEAT_S2SZ(kapi_feat_reg0());
}

static bool params_valid(const struct realm_create_req *p)
{
	uint64_t f = kapi_feat_reg0();
	bool lpa2 = (p->flags & FLAG_LPA2) != 0u;
	/* A signed 64-bit level; anything outside [-1, 3] is inconsistent. */
	int64_t level64 = (int64_t)p->rtt_level_start;
	int32_t level = level64 < -1 || level64 > 3 ? 99 : (int32_t)level64;
	uint32_t roots;

	if (lpa2 && FEAT_LPA2(f) == 0u)
		return false;						/* a */
	if (p->s2sz < 32u || p->s2sz > FEAT_S2SZ(f) || (!lpa2 && p->s2sz > 48u))
		return false;						/* b */
	if (p->num_bps == 0u || p->num_bps > FEAT_NUM_BPS(f) ||
	    p->num_wps == 0u || p->num_wps > FEAT_NUM_WPS(f))
		return false;						/* c */
	if ((p->flags & FLAG_SVE) != 0u && (FEAT_SVE_EN(f) == 0u || p->sve_vl > FEAT_SVE_VL(f)))
		return false;						/* d */
	if ((p->flags & FLAG_PMU) != 0u &&
	    (p->pmu_num_ctrs > FEAT_PMU_NUM_CTRS(f) || p->pmu_num_ctrs == 0u))
		return false;						/* e */
	roots = roots_needed(p->s2sz, level, lpa2, parange_bits());
	if (roots == 0u)
		return false;						/* f */
	if (p->rtt_num_start != roots)
		return false;						/* g */
	if (p->hash_algo > ATTEST_HASH_SHA512)
		return false;						/* h */
	return true;
}

/* ---- create ---- */

/* Give back what claim_all() took: rd (lease 0) and root RTTs (leases 1..). */
static void undo_claims(bool rd_done, uint32_t rtts_done)
{
	if (rd_done)
		(void)gran_claim(gran_lease(LEASE_RD), GRANULE_GSTATE_RD, GRANULE_GSTATE_DELEGATED);
	for (uint32_t i = 0; i < rtts_done; i++)
		(void)gran_claim(gran_lease((uint8_t)(1u + i)), GRANULE_GSTATE_RTT,
				 GRANULE_GSTATE_DELEGATED);
}

/*
 * Claim rd and the root RTTs in ascending address order. On success the
 * rd is lease 0 and root RTT i is lease 1 + i.
 */
static bool claim_all(uint64_t rd, uint64_t rtt_base, uint32_t n)
{
	bool rd_first = rd < rtt_base;

	if (rd_first && !gran_claim(gran_lease(LEASE_RD), GRANULE_GSTATE_DELEGATED, GRANULE_GSTATE_RD))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (!gran_claim(gran_pa(rtt_base + 4096ull * i), GRANULE_GSTATE_DELEGATED,
				GRANULE_GSTATE_RTT)) {
			undo_claims(rd_first, i);
			return false;
		}
	}
	if (!rd_first && !gran_claim(gran_lease(LEASE_RD), GRANULE_GSTATE_DELEGATED, GRANULE_GSTATE_RD)) {
		undo_claims(false, n);
		return false;
	}
	return true;
}

/* Root RTT entries: protected half UNASSIGNED_EMPTY, unprotected half UNASSIGNED_NS. */
static bool init_roots(const struct rd *r)
{
	unsigned int shift = 12u + 9u * (unsigned int)(3 - r->s2.start_level);
	uint64_t used = 1ull << (r->s2.s2sz - shift);	/* entries covering [0, 2^s2sz) */
	uint64_t prot = used / 2u;

	for (uint32_t t = 0; t < r->s2.num_roots; t++) {
		uint64_t first = (uint64_t)t * 512u, p0, n0, n1;

		if (first >= used)
			break;
		p0 = prot > first ? prot - first : 0u;
		n0 = p0 > 512u ? 512u : p0;
		n1 = (used - first > 512u ? 512u : used - first) - n0;
		if (kapi_rtt_init(1u + t, 0, (unsigned int)n0, KAPI_RTT_INIT_UNASSIGNED_EMPTY) != KAPI_OK ||
		    kapi_rtt_init(1u + t, (unsigned int)n0, (unsigned int)n1,
				  KAPI_RTT_INIT_UNASSIGNED_NS) != KAPI_OK)
			return false;
	}
	return true;
}

static bool rim_init(const struct rd *r)
{
	struct attest_rim_init_req req = {
		.meas = { .lease = LEASE_RD, .rights = IPC_RIGHTS_RW, .offset = RD_MEAS_OFF,
			  .len = RD_MEAS_LEN },
		.hash_algo = r->hash_algo,
		.s2sz = r->s2.s2sz,
		.flags = r->flags,
		.sve_vl = r->sve_vl,
		.num_bps = r->num_bps,
		.num_wps = r->num_wps,
		.pmu_num_ctrs = r->pmu_num_ctrs,
	};
	int32_t st;

	return attest_rim_init(&req, &st) == IPC_OK && st == ATTEST_ASTATUS_OK;
}

int32_t realm_handle_create(struct realm_state *st, const struct realm_create_req *req)
{
	uint64_t rd = req->rd.pa, end;
	struct rd r;

	if (!params_valid(req))
		return RMI_ERROR_INPUT;
	if (req->vmid >= (1u << kapi_vmid_bits()) || vmid_used(st, req->vmid))
		return RMI_ERROR_INPUT;					/* i */
	end = req->rtt_base + 4096ull * req->rtt_num_start;
	if (rd >= req->rtt_base && rd < end)
		return RMI_ERROR_INPUT;					/* 3: alias */
	/* The architecture needs VTTBR aligned to the concatenated root size. */
	if ((req->rtt_base & (4096ull * req->rtt_num_start - 1u)) != 0u || end < req->rtt_base)
		return RMI_ERROR_INPUT;
	/* 4: the root RTTs must be DRAM granules (checked here so that no malformed
	 * claim is ever sent), then DELEGATED */
	for (uint32_t i = 0; i < req->rtt_num_start; i++)
		if (!ipc_env_in_dram(req->rtt_base + 4096ull * i))
			return RMI_ERROR_INPUT;
	if (!claim_all(rd, req->rtt_base, req->rtt_num_start))
		return RMI_ERROR_INPUT;

	memset(&r, 0, sizeof(r));
	r.s2.state = REALM_NEW;
	r.s2.s2sz = req->s2sz;
	r.s2.start_level = (int32_t)(int64_t)req->rtt_level_start;
	r.s2.num_roots = req->rtt_num_start;
	r.s2.rtt_base = req->rtt_base;
	r.s2.lpa2 = (req->flags & FLAG_LPA2) != 0u ? 1u : 0u;
	r.s2.sve = (req->flags & FLAG_SVE) != 0u ? 1u : 0u;
	r.s2.sve_len = r.s2.sve != 0u ? req->sve_vl : 0u;
	r.s2.pmu_ctrs = (req->flags & FLAG_PMU) != 0u ? req->pmu_num_ctrs : 0u;
	r.flags = req->flags;
	r.s2.vmid = req->vmid;
	r.hash_algo = req->hash_algo;
	r.sve_vl = req->sve_vl;
	r.num_bps = req->num_bps;
	r.num_wps = req->num_wps;
	r.pmu_num_ctrs = req->pmu_num_ctrs;
	memcpy(r.rpv, req->rpv, sizeof(r.rpv));

	if (!init_roots(&r) || !rim_init(&r) ||
	    kapi_lease_write(LEASE_RD, 0, &r, sizeof(r)) != KAPI_OK) {
		/* Cannot happen with a working kernel; leave nothing behind. */
		(void)kapi_lease_zero(LEASE_RD);
		for (uint32_t i = 0; i < r.s2.num_roots; i++)
			(void)kapi_lease_zero(1u + i);
		undo_claims(true, r.s2.num_roots);
		return RMI_ERROR_INPUT;
	}
	vmid_set(st, req->vmid, true);
	return RMI_SUCCESS;
}

/* ---- activate / destroy / aux_count ---- */

int32_t realm_handle_activate(struct realm_state *st, const struct realm_activate_req *req)
{
	struct rd r;

	(void)st;
	(void)req;
	if (!rd_open(&r))
		return RMI_ERROR_INPUT;
	if (r.s2.state != REALM_NEW)
		return RMI_ERROR_REALM;
	r.s2.state = REALM_ACTIVE;
	return kapi_lease_write(LEASE_RD, 0, &r, sizeof(r)) == KAPI_OK ? RMI_SUCCESS : RMI_ERROR_INPUT;
}

int32_t realm_handle_destroy(struct realm_state *st, const struct realm_destroy_req *req)
{
	struct rd r;
	unsigned int first;

	(void)req;
	if (!rd_open(&r))
		return RMI_ERROR_INPUT;
	if (r.rec_live != 0u)
		return RMI_ERROR_REALM;
	/* Lease the root RTTs (derived from the RD) and check none is live. */
	first = kapi_lease_count();
	for (uint32_t i = 0; i < r.s2.num_roots && i < MAX_ROOTS; i++) {
		uint64_t live = 0;

		if (!gran_lookup(gran_pa(r.s2.rtt_base + 4096ull * i), GRANULE_GSTATE_RTT) ||
		    kapi_rtt_live_count(first + i, &live) != KAPI_OK)
			return RMI_ERROR_INPUT;	/* broken RD: refuse, change nothing */
		if (live != 0u)
			return RMI_ERROR_REALM;
	}
	for (uint32_t i = 0; i < r.s2.num_roots && i < MAX_ROOTS; i++)
		(void)gran_release(gran_lease((uint8_t)(first + i)), GRANULE_GSTATE_RTT);
	(void)gran_release(gran_lease(LEASE_RD), GRANULE_GSTATE_RD);
	vmid_set(st, r.s2.vmid, false);
	return RMI_SUCCESS;
}

int32_t realm_handle_aux_count(struct realm_state *st, const struct realm_aux_count_req *req,
			       struct realm_aux_count_rep *rep)
{
	struct rd r;

	(void)st;
	(void)req;
	if (!rd_open(&r))
		return RMI_ERROR_INPUT;
	rep->count = REC_AUX_COUNT;
	return RMI_SUCCESS;
}
