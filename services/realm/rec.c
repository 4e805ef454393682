/*
 * RECs: RMI_REC_CREATE and RMI_REC_DESTROY (rmi.md 10-11), failure checks
 * in the order given there. Running a REC (REC_ENTER) is the kernel's.
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
	RMI_ERROR_REC = 3,
};

#define LEASE_RD	0u
#define LEASE_REC	1u
#define LEASE_AUX0	2u	/* aux granules, appended in order by their claims */
#define MAX_RECS	1023u	/* 2^MAX_RECS_ORDER - 1 (structures.md 2) */
#define RUNNABLE	1u
/* RmiRecMpidr: Aff0[3:0], Aff1, Aff2, Aff3 (structures.md 9). */
#define MPIDR_VALID	0xffffff0full

static uint64_t mpidr_index(uint64_t m)
{
	return (m & 0xfu) | ((m >> 8) & 0xffu) << 4 | ((m >> 16) & 0xffu) << 12 |
	       ((m >> 24) & 0xffu) << 20;
}

/* Return the first n aux granules (leases LEASE_AUX0..) to DELEGATED; they were never written. */
static void aux_undo(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		(void)gran_claim(gran_lease((uint8_t)(LEASE_AUX0 + i)), GRANULE_GSTATE_REC_AUX,
			    GRANULE_GSTATE_DELEGATED);
}

static bool measure_rec(const struct realm_rec_create_req *req)
{
	struct attest_extend_rec_req m = {
		.meas = { .lease = LEASE_RD, .rights = IPC_RIGHTS_RW, .offset = RD_MEAS_OFF,
			  .len = RD_MEAS_LEN },
		.flags = req->flags,
		.pc = req->pc,
	};
	int32_t st;

	memcpy(m.gprs, req->gprs, sizeof(m.gprs));
	return attest_extend_rec(&m, &st) == IPC_OK && st == ATTEST_ASTATUS_OK;
}

static int32_t rec_checks(const struct realm_rec_create_req *req, struct rd *r)
{
	if (req->rec.pa == req->rd.pa || !gran_lookup(gran_lease(LEASE_RD), GRANULE_GSTATE_RD) ||
	    !gran_lookup(gran_lease(LEASE_REC), GRANULE_GSTATE_DELEGATED) ||
	    kapi_lease_read(LEASE_RD, 0, r, sizeof(*r)) != KAPI_OK)
		return RMI_ERROR_INPUT;					/* 4 */
	if (r->rec_live >= MAX_RECS)
		return RMI_ERROR_REALM;					/* 5 */
	if (r->s2.state != REALM_NEW)
		return RMI_ERROR_REALM;					/* 6 */
	if ((req->mpidr & ~MPIDR_VALID) != 0u || mpidr_index(req->mpidr) != r->s2.rec_count)
		return RMI_ERROR_INPUT;					/* 7 */
	if (req->num_aux != REC_AUX_COUNT)
		return RMI_ERROR_INPUT;					/* 8 */
	return RMI_SUCCESS;
}

/*
 * Hold the new REC's granule (still DELEGATED, its lease granted by
 * rec_checks) from before it becomes a REC until its content is written, so
 * that no CPU enters or reads a REC half built (kernel/rec.h). Whoever else
 * holds a DELEGATED granule is only probing it and lets go at once; if it is
 * no longer DELEGATED, it is someone else's now.
 */
#define HOLD_TRIES	65536u	/* far more than a probe lasts; a bound against a broken kernel */

static int32_t hold_new_rec(void)
{
	for (unsigned int i = 0; i < HOLD_TRIES; i++) {
		enum kapi_status k = kapi_rec_hold(LEASE_REC);

		if (k == KAPI_OK)
			return RMI_SUCCESS;
		if (k != KAPI_E_DENIED ||
		    !gran_lookup(gran_lease(LEASE_REC), GRANULE_GSTATE_DELEGATED))
			return RMI_ERROR_INPUT;
	}
	return RMI_ERROR_INPUT;
}

int32_t realm_handle_rec_create(struct realm_state *st, const struct realm_rec_create_req *req)
{
	struct rec_core rec;
	struct rd r;
	int32_t rc;

	(void)st;
	if (req->num_aux > REC_MAX_AUX)
		return RMI_ERROR_INPUT;					/* 2 */
	for (uint64_t i = 0; i < req->num_aux; i++) {			/* 3 */
		uint64_t a = req->aux[i];

		if ((a & 0xfffu) != 0u || !ipc_env_in_dram(a) ||
		    !gran_claim(gran_pa(a), GRANULE_GSTATE_DELEGATED, GRANULE_GSTATE_REC_AUX)) {
			aux_undo(i);
			return RMI_ERROR_INPUT;
		}
	}
	rc = rec_checks(req, &r);					/* 4..8 */
	if (rc == RMI_SUCCESS)
		rc = hold_new_rec();
	if (rc == RMI_SUCCESS &&
	    !gran_claim(gran_lease(LEASE_REC), GRANULE_GSTATE_DELEGATED, GRANULE_GSTATE_REC)) {
		kapi_rec_unhold(LEASE_REC);
		rc = RMI_ERROR_INPUT;
	}
	if (rc != RMI_SUCCESS) {
		aux_undo(req->num_aux);
		return rc;
	}

	memset(&rec, 0, sizeof(rec));
	rec.owner_rd = req->rd.pa;
	rec.runnable = (req->flags & RUNNABLE) != 0u ? 1u : 0u;
	rec.mpidr = req->mpidr;
	rec.index = r.s2.rec_count;
	rec.pc = req->pc;
	memcpy(rec.gprs, req->gprs, sizeof(req->gprs));
	rec.num_aux = req->num_aux;
	memcpy(rec.aux, req->aux, sizeof(req->aux));
	r.s2.rec_count++;
	r.rec_live++;
	/*
	 * The writes cannot fail (both leases were just granted RW). Runnable
	 * RECs are part of the initial state and measured; secondaries are not.
	 */
	rc = kapi_lease_write(LEASE_REC, 0, &rec, sizeof(rec)) == KAPI_OK &&
	     kapi_lease_write(LEASE_RD, 0, &r, sizeof(r)) == KAPI_OK &&
	     (rec.runnable == 0u || measure_rec(req)) ? RMI_SUCCESS : RMI_ERROR_INPUT;
	kapi_rec_unhold(LEASE_REC);	/* complete: from now on it may be entered */
	return rc;
}

int32_t realm_handle_rec_destroy(struct realm_state *st, const struct realm_rec_destroy_req *req)
{
	struct rec_core rec;
	struct rd r;
	unsigned int rd_lease;

	(void)st;
	if (!gran_lookup(gran_lease(0), GRANULE_GSTATE_REC) ||
	    kapi_lease_read(0, 0, &rec, sizeof(rec)) != KAPI_OK)
		return RMI_ERROR_INPUT;					/* 1 */
	/* 2: running on some CPU (and from now on nobody can enter it) */
	if (rec.running != 0u || kapi_rec_hold(0) != KAPI_OK)
		return RMI_ERROR_REC;
	rd_lease = kapi_lease_count();
	if (!gran_lookup(gran_pa(rec.owner_rd), GRANULE_GSTATE_RD) ||
	    kapi_lease_read(rd_lease, 0, &r, sizeof(r)) != KAPI_OK || r.rec_live == 0u) {
		kapi_rec_unhold(0);
		return RMI_ERROR_INPUT;	/* broken REC: refuse and change nothing */
	}
	for (uint64_t i = 0; i < rec.num_aux && i < REC_MAX_AUX; i++)
		(void)gran_release(gran_pa(rec.aux[i]), GRANULE_GSTATE_REC_AUX);
	r.rec_live--;
	(void)kapi_lease_write(rd_lease, 0, &r, sizeof(r));
	(void)gran_release(gran_lease(0), GRANULE_GSTATE_REC);
	kapi_rec_unhold(0);
	(void)req;
	return RMI_SUCCESS;
}
