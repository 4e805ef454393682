/*
 * RSI_MEASUREMENT_READ / EXTEND on behalf of a running realm: the kernel
 * names the RD, this service vouches for it and lends its measurement area
 * to the attestation service for the one call.
 */
#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <kernel/svc_api.h>
#include <string.h>

#include "gran.h"
#include "rd.h"
#include "realm_state.h"

#define RSI_SUCCESS	0
#define RSI_ERROR_INPUT	1
#define LEASE_RD	0u

static bool rd_ok(void)
{
	return gran_lookup(gran_lease(LEASE_RD), GRANULE_GSTATE_RD);
}

static struct ipc_lease_fwd meas_area(uint8_t rights)
{
	struct ipc_lease_fwd f = { .lease = LEASE_RD, .rights = rights, .offset = RD_MEAS_OFF,
				   .len = RD_MEAS_LEN };

	return f;
}

int32_t realm_handle_measure_read(struct realm_state *st, const struct realm_measure_read_req *req,
				  struct realm_measure_read_rep *rep)
{
	struct attest_read_req m = { .meas = meas_area(IPC_RIGHT_READ), .index = req->index };
	struct attest_read_rep r;
	int32_t ast;

	(void)st;
	if (!rd_ok() || attest_read(&m, &r, &ast) != IPC_OK || ast != ATTEST_ASTATUS_OK)
		return RSI_ERROR_INPUT;
	memcpy(rep->value, r.value, sizeof(rep->value));
	return RSI_SUCCESS;
}

int32_t realm_handle_measure_extend(struct realm_state *st,
				    const struct realm_measure_extend_req *req)
{
	struct attest_extend_rem_req m = {
		.meas = meas_area(IPC_RIGHTS_RW), .index = req->index, .size = req->size,
	};
	int32_t ast;

	(void)st;
	memcpy(m.data, req->data, sizeof(m.data));
	if (!rd_ok() || attest_extend_rem(&m, &ast) != IPC_OK || ast != ATTEST_ASTATUS_OK)
		return RSI_ERROR_INPUT;
	return RSI_SUCCESS;
}
