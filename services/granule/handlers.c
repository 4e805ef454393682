/*
 * Granule service handlers, shared by all variants: the variants differ only
 * in how they store a state per granule (gstore_get / gstore_set).
 */
#include <ipc/granule.h>
#include <kernel/svc_api.h>

#include "gstore.h"

/* Lease 0 of every op is the granule named by its granule_ref. */
#define LEASE_GRAN	0u

static int32_t current(struct granule_state *st, uint64_t pa, uint32_t *state)
{
	if (!gstore_get(st, pa, state))
		return GRANULE_GSTATUS_BAD_ADDR;
	return GRANULE_GSTATUS_OK;
}

int32_t granule_handle_delegate(struct granule_state *st, const struct granule_delegate_req *req)
{
	uint32_t s;
	int32_t r = current(st, req->gran.pa, &s);

	if (r != GRANULE_GSTATUS_OK)
		return r;
	if (s != GRANULE_GSTATE_UNDELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	if (!gstore_can_set(st, req->gran.pa, GRANULE_GSTATE_DELEGATED))
		return GRANULE_GSTATUS_BAD_ADDR;	/* tracking structure full */
	if (kapi_gtsi_delegate(LEASE_GRAN) != KAPI_OK)
		return GRANULE_GSTATUS_EL3_REFUSED;
	/* Invariant: an unlocked DELEGATED granule holds only zeros. */
	if (kapi_lease_zero(LEASE_GRAN) != KAPI_OK) {
		(void)kapi_gtsi_undelegate(LEASE_GRAN);	/* back to where it was */
		return GRANULE_GSTATUS_BAD_STATE;
	}
	gstore_set(st, req->gran.pa, GRANULE_GSTATE_DELEGATED);
	return GRANULE_GSTATUS_OK;
}

int32_t granule_handle_undelegate(struct granule_state *st,
				  const struct granule_undelegate_req *req)
{
	uint32_t s;
	int32_t r = current(st, req->gran.pa, &s);

	if (r != GRANULE_GSTATUS_OK)
		return r;
	if (s != GRANULE_GSTATE_DELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	/* Scrub before the host can see it again, whatever the invariant says. */
	if (kapi_lease_zero(LEASE_GRAN) != KAPI_OK)
		return GRANULE_GSTATUS_BAD_STATE;
	if (kapi_gtsi_undelegate(LEASE_GRAN) != KAPI_OK)
		return GRANULE_GSTATUS_EL3_REFUSED;
	gstore_set(st, req->gran.pa, GRANULE_GSTATE_UNDELEGATED);
	return GRANULE_GSTATUS_OK;
}

int32_t granule_handle_claim(struct granule_state *st, const struct granule_claim_req *req)
{
	uint32_t s;
	int32_t r = current(st, req->gran.pa, &s);

	if (r != GRANULE_GSTATUS_OK)
		return r;
	if (s != req->from || req->from == GRANULE_GSTATE_UNDELEGATED ||
	    req->to == GRANULE_GSTATE_UNDELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;	/* only EL3 moves PAS */
	/* Every way back into DELEGATED zero-fills (states.md 1), whoever asks. */
	if (req->to == GRANULE_GSTATE_DELEGATED && kapi_lease_zero(LEASE_GRAN) != KAPI_OK)
		return GRANULE_GSTATUS_BAD_STATE;
	/* the kernel's REC registry: never a REC there that is not one here */
	if (s == GRANULE_GSTATE_REC && req->to != GRANULE_GSTATE_REC &&
	    kapi_rec_mark(LEASE_GRAN, false) != KAPI_OK)
		return GRANULE_GSTATUS_BAD_STATE;
	gstore_set(st, req->gran.pa, req->to);
	if (req->to == GRANULE_GSTATE_REC && s != GRANULE_GSTATE_REC &&
	    kapi_rec_mark(LEASE_GRAN, true) != KAPI_OK) {
		gstore_set(st, req->gran.pa, s);
		return GRANULE_GSTATUS_BAD_STATE;
	}
	return GRANULE_GSTATUS_OK;
}

int32_t granule_handle_lookup(struct granule_state *st, const struct granule_lookup_req *req)
{
	uint32_t s;
	int32_t r = current(st, req->gran.pa, &s);

	if (r != GRANULE_GSTATUS_OK)
		return r;
	if (s != req->expect || s == GRANULE_GSTATE_UNDELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	return GRANULE_GSTATUS_OK;
}

int32_t granule_handle_release(struct granule_state *st, const struct granule_release_req *req)
{
	uint32_t s;
	int32_t r = current(st, req->gran.pa, &s);

	if (r != GRANULE_GSTATUS_OK)
		return r;
	if (s != req->from || s == GRANULE_GSTATE_UNDELEGATED || s == GRANULE_GSTATE_DELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	if (kapi_lease_zero(LEASE_GRAN) != KAPI_OK)
		return GRANULE_GSTATUS_BAD_STATE;
	if (s == GRANULE_GSTATE_REC && kapi_rec_mark(LEASE_GRAN, false) != KAPI_OK)
		return GRANULE_GSTATUS_BAD_STATE;
	gstore_set(st, req->gran.pa, GRANULE_GSTATE_DELEGATED);
	return GRANULE_GSTATUS_OK;
}

int32_t granule_handle_state(struct granule_state *st, const struct granule_state_req *req,
			     struct granule_state_rep *rep)
{
	uint32_t s;
	int32_t r = current(st, req->pa, &s);

	if (r == GRANULE_GSTATUS_OK)
		rep->state = s;
	return r;
}
