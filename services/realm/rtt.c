/*
 * Realm stage-2 tables and data granules: RMI_RTT_* and RMI_DATA_* (rmi.md
 * 14-24), failure conditions in the order given there. Granule states change
 * through the granule service, table entries through the kernel's stage-2
 * primitives, measurements through the attestation service.
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
	RMI_ERROR_RTT = 4,
};

#define LEASE_RD	0u
#define LEASE_OBJ	1u	/* the op's second granule_ref (rtt or data) */
#define GRANULE		4096ull
#define BIT(n)		(1ull << (n))

static int32_t rtt_err(int32_t level)
{
	return (int32_t)(RMI_ERROR_RTT | (((uint32_t)level & 0xffu) << 8));
}

static uint64_t map_size(int32_t level)
{
	return 1ull << (12u + 9u * (unsigned int)(3 - level));
}

static int32_t level_of(uint64_t v)
{
	int64_t l = (int64_t)v;

	return l < -1 || l > 3 ? 99 : (int32_t)l;	/* 99: never valid */
}

static uint64_t next_live(uint64_t ipa)
{
	uint64_t top = 0;

	return kapi_s2_next_live(LEASE_RD, ipa, &top) == KAPI_OK ? top : 0u;
}

/* ---- address predicates (rmi.md 1) ---- */

static bool in_ipa_space(const struct rd *r, uint64_t ipa)
{
	return (ipa >> r->s2.s2sz) == 0u;
}

static bool in_par(const struct rd *r, uint64_t ipa)
{
	return (ipa >> (r->s2.s2sz - 1u)) == 0u;
}

static bool aligned(uint64_t ipa, int32_t level)
{
	return (ipa & (map_size(level) - 1u)) == 0u;
}

/* structure level check (RTT_CREATE/DESTROY/FOLD) */
static bool structure_ok(const struct rd *r, uint64_t ipa, int32_t level)
{
	return level >= r->s2.start_level + 1 && level <= 3 && in_ipa_space(r, ipa) &&
	       aligned(ipa, level - 1);
}

/* data-ipa check (DATA_*) */
static bool data_ipa_ok(const struct rd *r, uint64_t ipa)
{
	return in_par(r, ipa) && aligned(ipa, 3);
}

static bool pa_ok_for_realm(const struct rd *r, uint64_t pa)
{
	return r->s2.lpa2 != 0u || pa < BIT(48);
}

/* ---- RTT_CREATE ---- */

int32_t realm_handle_rtt_create(struct realm_state *st, const struct realm_rtt_create_req *req)
{
	int32_t level = level_of(req->level);
	struct kapi_rtte parent, table;
	struct rd r;

	(void)st;
	if (req->rtt.pa == req->rd.pa || !rd_open(&r) ||
	    !gran_lookup(gran_lease(LEASE_OBJ), GRANULE_GSTATE_DELEGATED))
		return RMI_ERROR_INPUT;					/* 1 */
	if (!structure_ok(&r, req->ipa, level))
		return RMI_ERROR_INPUT;					/* 2 */
	if (!pa_ok_for_realm(&r, req->rtt.pa))
		return RMI_ERROR_INPUT;					/* 3 */
	if (kapi_s2_read(LEASE_RD, req->ipa, level - 1, &parent) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (parent.level < level - 1)
		return rtt_err(parent.level);				/* 4 */
	if (parent.state == RTTE_TABLE)
		return rtt_err(level - 1);				/* 5 */

	if (!gran_claim(gran_lease(LEASE_OBJ), GRANULE_GSTATE_DELEGATED, GRANULE_GSTATE_RTT))
		return RMI_ERROR_INPUT;
	table = parent;
	table.state = RTTE_TABLE;
	table.ns = 0;
	table.addr = req->rtt.pa;
	if (kapi_s2_unfold(LEASE_OBJ, level, &parent) != KAPI_OK ||
	    kapi_s2_set(LEASE_RD, req->ipa, level - 1, parent.raw, &table) != KAPI_OK) {
		(void)gran_release(gran_lease(LEASE_OBJ), GRANULE_GSTATE_RTT);
		return RMI_ERROR_INPUT;
	}
	return RMI_SUCCESS;
}

/* ---- RTT_DESTROY ---- */

int32_t realm_handle_rtt_destroy(struct realm_state *st, const struct realm_rtt_destroy_req *req,
				 struct realm_rtt_destroy_rep *rep)
{
	int32_t level = level_of(req->level);
	struct kapi_rtte parent, gone;
	struct kapi_rtt_scan scan;
	struct rd r;

	(void)st;
	if (!rd_open(&r) || !structure_ok(&r, req->ipa, level))
		return RMI_ERROR_INPUT;					/* 1, 2 */
	if (kapi_s2_read(LEASE_RD, req->ipa, level - 1, &parent) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (parent.level < level - 1 || parent.state != RTTE_TABLE) {
		rep->top = next_live(req->ipa);
		return rtt_err(parent.level);				/* 3 */
	}
	if (kapi_s2_scan(LEASE_RD, req->ipa, level, &scan) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (scan.live != 0u) {
		rep->top = req->ipa;
		return rtt_err(level);					/* 4 */
	}
	memset(&gone, 0, sizeof(gone));
	gone.state = RTTE_UNASSIGNED;
	if (in_par(&r, req->ipa))
		gone.ripas = RIPAS_DESTROYED;
	else
		gone.ns = 1;
	if (kapi_s2_set(LEASE_RD, req->ipa, level - 1, parent.raw, &gone) != KAPI_OK ||
	    !gran_release(gran_pa(scan.rtt), GRANULE_GSTATE_RTT))
		return RMI_ERROR_INPUT;
	rep->rtt = scan.rtt;
	rep->top = next_live(req->ipa);
	return RMI_SUCCESS;
}

/* ---- RTT_FOLD ---- */

int32_t realm_handle_rtt_fold(struct realm_state *st, const struct realm_rtt_fold_req *req,
			      struct realm_rtt_fold_rep *rep)
{
	int32_t level = level_of(req->level);
	struct kapi_rtte parent;
	struct kapi_rtt_scan scan;
	struct rd r;

	(void)st;
	if (!rd_open(&r) || !structure_ok(&r, req->ipa, level))
		return RMI_ERROR_INPUT;					/* 1, 2 */
	if (kapi_s2_read(LEASE_RD, req->ipa, level - 1, &parent) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (parent.level < level - 1)
		return rtt_err(parent.level);				/* 3 */
	if (parent.state != RTTE_TABLE)
		return rtt_err(level - 1);				/* 4 */
	if (kapi_s2_scan(LEASE_RD, req->ipa, level, &scan) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (scan.fold_level_err != 0u)
		return rtt_err(level - 1);				/* 5 */
	if (scan.foldable == 0u)
		return rtt_err(level);					/* 5 */
	if (kapi_s2_set(LEASE_RD, req->ipa, level - 1, parent.raw, &scan.fold) != KAPI_OK ||
	    !gran_release(gran_pa(scan.rtt), GRANULE_GSTATE_RTT))
		return RMI_ERROR_INPUT;
	rep->rtt = scan.rtt;
	return RMI_SUCCESS;
}

/* ---- RTT_READ_ENTRY ---- */

int32_t realm_handle_rtt_read_entry(struct realm_state *st,
				    const struct realm_rtt_read_entry_req *req,
				    struct realm_rtt_read_entry_rep *rep)
{
	int32_t level = level_of(req->level);
	struct kapi_rtte e;
	struct rd r;

	(void)st;
	if (!rd_open(&r))
		return RMI_ERROR_INPUT;					/* 1 */
	if (level < r.s2.start_level || level > 3 || !in_ipa_space(&r, req->ipa) ||
	    !aligned(req->ipa, level))
		return RMI_ERROR_INPUT;					/* 2 */
	if (kapi_s2_read(LEASE_RD, req->ipa, level, &e) != KAPI_OK)
		return RMI_ERROR_INPUT;
	rep->walk_level = (uint64_t)(int64_t)e.level;
	rep->state = e.state;
	rep->desc = e.state == RTTE_UNASSIGNED ? 0u : e.addr;
	rep->ripas = e.ns != 0u || e.state == RTTE_TABLE ? 0u : e.ripas;
	return RMI_SUCCESS;
}

/* ---- RTT_MAP_UNPROTECTED / UNMAP_UNPROTECTED ---- */

/* Host descriptor (structures.md 10.2): OA, MemAttr[4:2], S2AP[7:6] only. */
static bool host_desc_ok(const struct rd *r, uint64_t desc, int32_t level)
{
	uint64_t oa = (BIT(48) - 1u) & ~(map_size(level) - 1u);

	(void)r;	/* LPA2 OA encodings are not supported for NS mappings */
	if ((desc & ~(oa | 0xdcull)) != 0u)
		return false;
	return ((desc >> 2) & 7u) != 4u;
}

int32_t realm_handle_rtt_map_unprotected(struct realm_state *st,
					 const struct realm_rtt_map_unprotected_req *req)
{
	int32_t level = level_of(req->level);
	struct kapi_rtte e, n;
	struct rd r;

	(void)st;
	if (level < 1 || level > 3)
		return RMI_ERROR_INPUT;					/* 1 */
	if (!rd_open(&r))
		return RMI_ERROR_INPUT;					/* 2 */
	if (!host_desc_ok(&r, req->desc, level))
		return RMI_ERROR_INPUT;					/* 3 */
	if (!in_ipa_space(&r, req->ipa) || !aligned(req->ipa, level) || in_par(&r, req->ipa))
		return RMI_ERROR_INPUT;					/* 4, 5 */
	if (kapi_s2_read(LEASE_RD, req->ipa, level, &e) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (e.level < level)
		return rtt_err(e.level);				/* 6 */
	if (e.state != RTTE_UNASSIGNED || e.ns == 0u)
		return rtt_err(level);					/* 7 */
	memset(&n, 0, sizeof(n));
	n.state = RTTE_ASSIGNED;
	n.ns = 1;
	n.addr = req->desc;
	return kapi_s2_set(LEASE_RD, req->ipa, level, e.raw, &n) == KAPI_OK ? RMI_SUCCESS
									     : RMI_ERROR_INPUT;
}

int32_t realm_handle_rtt_unmap_unprotected(struct realm_state *st,
					   const struct realm_rtt_unmap_unprotected_req *req,
					   struct realm_rtt_unmap_unprotected_rep *rep)
{
	int32_t level = level_of(req->level);
	struct kapi_rtte e, n;
	struct rd r;

	(void)st;
	if (level < 1 || level > 3 || !rd_open(&r))
		return RMI_ERROR_INPUT;					/* 1, 2 */
	if (!in_ipa_space(&r, req->ipa) || !aligned(req->ipa, level) || in_par(&r, req->ipa))
		return RMI_ERROR_INPUT;					/* 3, 4 */
	if (kapi_s2_read(LEASE_RD, req->ipa, level, &e) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (e.level < level || e.state != RTTE_ASSIGNED || e.ns == 0u) {
		rep->top = next_live(req->ipa);
		return rtt_err(e.level);				/* 5 */
	}
	memset(&n, 0, sizeof(n));
	n.state = RTTE_UNASSIGNED;
	n.ns = 1;
	if (kapi_s2_set(LEASE_RD, req->ipa, level, e.raw, &n) != KAPI_OK)
		return RMI_ERROR_INPUT;
	rep->top = next_live(req->ipa);
	return RMI_SUCCESS;
}

/* ---- RTT_INIT_RIPAS ---- */

static bool measure_ripas(uint64_t base, uint64_t top)
{
	struct attest_extend_ripas_req req = {
		.meas = { .lease = LEASE_RD, .rights = IPC_RIGHTS_RW, .offset = RD_MEAS_OFF,
			  .len = RD_MEAS_LEN },
		.base = base,
		.top = top,
	};
	int32_t st;

	return attest_extend_ripas(&req, &st) == IPC_OK && st == ATTEST_ASTATUS_OK;
}

int32_t realm_handle_rtt_init_ripas(struct realm_state *st,
				    const struct realm_rtt_init_ripas_req *req,
				    struct realm_rtt_init_ripas_rep *rep)
{
	uint64_t ipa = req->base, size, rtt_end;
	struct kapi_rtte e;
	int32_t level;
	struct rd r;

	(void)st;
	if (req->top <= req->base)
		return RMI_ERROR_INPUT;					/* 1 */
	if (!rd_open(&r))
		return RMI_ERROR_INPUT;					/* 2 */
	if (!aligned(req->base, 3) || !aligned(req->top, 3) || !in_par(&r, req->base) ||
	    !in_par(&r, req->top - GRANULE))
		return RMI_ERROR_INPUT;					/* 3 */
	if (r.s2.state != REALM_NEW)
		return RMI_ERROR_REALM;					/* 4 */
	if (kapi_s2_read(LEASE_RD, ipa, 3, &e) != KAPI_OK)
		return RMI_ERROR_INPUT;
	level = e.level;
	size = map_size(level);
	if (!aligned(ipa, level))
		return rtt_err(level);					/* 5 */
	rtt_end = (ipa & ~(512u * size - 1u)) + 512u * size;
	while (ipa < rtt_end && ipa + size <= req->top) {
		struct kapi_rtte n = e;

		if (e.level != level || e.state != RTTE_UNASSIGNED || e.ns != 0u ||
		    (e.ripas != RIPAS_EMPTY && e.ripas != RIPAS_RAM))
			break;
		if (e.ripas == RIPAS_EMPTY) {
			n.ripas = RIPAS_RAM;
			if (kapi_s2_set(LEASE_RD, ipa, level, e.raw, &n) != KAPI_OK)
				break;
		}
		if (!measure_ripas(ipa, ipa + size))
			return RMI_ERROR_INPUT;
		ipa += size;
		if (ipa < rtt_end && kapi_s2_read(LEASE_RD, ipa, 3, &e) != KAPI_OK)
			break;
	}
	if (ipa == req->base)
		return rtt_err(level);					/* 6 */
	rep->top = ipa;
	return RMI_SUCCESS;
}

/* ---- DATA_CREATE / DATA_CREATE_UNKNOWN / DATA_DESTROY ---- */

/* Checks 3, 5..8 shared by both DATA_CREATE forms; rd read into *r, entry into *e. */
static int32_t data_checks(uint64_t rd, uint64_t data, uint64_t ipa, bool check_new,
			   struct rd *r, struct kapi_rtte *e)
{
	if (data == rd || !rd_open(r) || !gran_lookup(gran_lease(LEASE_OBJ), GRANULE_GSTATE_DELEGATED))
		return RMI_ERROR_INPUT;					/* 3 */
	if (check_new && r->s2.state != REALM_NEW)
		return RMI_ERROR_REALM;					/* 4 */
	if (!data_ipa_ok(r, ipa))
		return RMI_ERROR_INPUT;					/* 5 */
	if (!pa_ok_for_realm(r, data))
		return RMI_ERROR_INPUT;					/* 6 */
	if (kapi_s2_read(LEASE_RD, ipa, 3, e) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (e->level < 3)
		return rtt_err(e->level);				/* 7 */
	if (e->state != RTTE_UNASSIGNED || e->ns != 0u)
		return rtt_err(3);					/* 8 */
	return RMI_SUCCESS;
}

static int32_t data_map(uint64_t ipa, const struct kapi_rtte *e, uint64_t data, uint32_t ripas)
{
	struct kapi_rtte n = *e;

	if (!gran_claim(gran_lease(LEASE_OBJ), GRANULE_GSTATE_DELEGATED, GRANULE_GSTATE_DATA))
		return RMI_ERROR_INPUT;
	n.state = RTTE_ASSIGNED;
	n.addr = data;
	n.ripas = ripas;
	if (kapi_s2_set(LEASE_RD, ipa, 3, e->raw, &n) != KAPI_OK) {
		(void)gran_release(gran_lease(LEASE_OBJ), GRANULE_GSTATE_DATA);
		return RMI_ERROR_INPUT;
	}
	return RMI_SUCCESS;
}

int32_t realm_handle_data_create(struct realm_state *st, const struct realm_data_create_req *req)
{
	struct attest_extend_data_req m = {
		.meas = { .lease = LEASE_RD, .rights = IPC_RIGHTS_RW, .offset = RD_MEAS_OFF,
			  .len = RD_MEAS_LEN },
		.data = { .lease = LEASE_OBJ, .rights = IPC_RIGHT_READ, .offset = 0, .len = 4096 },
		.ipa = req->ipa,
		.flags = req->flags,
	};
	struct kapi_rtte e;
	struct rd r;
	int32_t rc, ast;

	(void)st;
	if (!gran_state_is(req->src, GRANULE_GSTATE_UNDELEGATED))
		return RMI_ERROR_INPUT;					/* 2 */
	rc = data_checks(req->rd.pa, req->data.pa, req->ipa, true, &r, &e);
	if (rc != RMI_SUCCESS)
		return rc;						/* 3..8 */
	if (kapi_copy_from_ns(LEASE_OBJ, req->src) != KAPI_OK) {
		(void)kapi_lease_zero(LEASE_OBJ);			/* stays DELEGATED, zero */
		return RMI_ERROR_INPUT;					/* 9 */
	}
	rc = data_map(req->ipa, &e, req->data.pa, RIPAS_RAM);
	if (rc != RMI_SUCCESS) {
		(void)kapi_lease_zero(LEASE_OBJ);
		return rc;
	}
	if (attest_extend_data(&m, &ast) != IPC_OK || ast != ATTEST_ASTATUS_OK)
		return RMI_ERROR_INPUT;	/* cannot happen: the mapping stands, RIM unchanged */
	return RMI_SUCCESS;
}

int32_t realm_handle_data_create_unknown(struct realm_state *st,
					 const struct realm_data_create_unknown_req *req)
{
	struct kapi_rtte e;
	struct rd r;
	int32_t rc;

	(void)st;
	rc = data_checks(req->rd.pa, req->data.pa, req->ipa, false, &r, &e);
	if (rc != RMI_SUCCESS)
		return rc;
	return data_map(req->ipa, &e, req->data.pa, e.ripas);
}

int32_t realm_handle_data_destroy(struct realm_state *st, const struct realm_data_destroy_req *req,
				  struct realm_data_destroy_rep *rep)
{
	struct kapi_rtte e, n;
	struct rd r;

	(void)st;
	if (!rd_open(&r) || !data_ipa_ok(&r, req->ipa))
		return RMI_ERROR_INPUT;					/* 1, 2 */
	if (kapi_s2_read(LEASE_RD, req->ipa, 3, &e) != KAPI_OK)
		return RMI_ERROR_INPUT;
	if (e.level < 3 || e.state != RTTE_ASSIGNED || e.ns != 0u) {
		rep->top = next_live(req->ipa);
		return rtt_err(e.level < 3 ? e.level : 3);		/* 3, 4 */
	}
	n = e;
	n.state = RTTE_UNASSIGNED;
	n.ripas = e.ripas == RIPAS_EMPTY ? RIPAS_EMPTY : RIPAS_DESTROYED;
	if (kapi_s2_set(LEASE_RD, req->ipa, 3, e.raw, &n) != KAPI_OK ||
	    !gran_release(gran_pa(e.addr), GRANULE_GSTATE_DATA))
		return RMI_ERROR_INPUT;
	rep->data = e.addr;
	rep->top = next_live(req->ipa);
	return RMI_SUCCESS;
}
