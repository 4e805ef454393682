#include <kernel/svc_api.h>

#include "gran.h"
#include "rd.h"

struct ipc_granule_ref gran_lease(uint8_t lease)
{
	struct ipc_granule_ref r = { .lease = lease };

	return r;
}

struct ipc_granule_ref gran_pa(uint64_t pa)
{
	struct ipc_granule_ref r = { .lease = IPC_LEASE_NEW, .pa = pa };

	return r;
}

bool gran_claim(struct ipc_granule_ref r, uint32_t from, uint32_t to)
{
	struct granule_claim_req req = { .gran = r, .from = from, .to = to };
	int32_t st;

	return granule_claim(&req, &st) == IPC_OK && st == GRANULE_GSTATUS_OK;
}

bool gran_lookup(struct ipc_granule_ref r, uint32_t expect)
{
	struct granule_lookup_req req = { .gran = r, .expect = expect };
	int32_t st;

	return granule_lookup(&req, &st) == IPC_OK && st == GRANULE_GSTATUS_OK;
}

bool gran_release(struct ipc_granule_ref r, uint32_t from)
{
	struct granule_release_req req = { .gran = r, .from = from };
	int32_t st;

	return granule_release(&req, &st) == IPC_OK && st == GRANULE_GSTATUS_OK;
}

bool gran_state_is(uint64_t pa, uint32_t expect)
{
	struct granule_state_req req = { .pa = pa };
	struct granule_state_rep rep;
	int32_t st;

	return granule_state(&req, &rep, &st) == IPC_OK && st == GRANULE_GSTATUS_OK &&
	       rep.state == expect;
}

bool rd_open(struct rd *r)
{
	return gran_lookup(gran_lease(0), GRANULE_GSTATE_RD) &&
	       kapi_lease_read(0, 0, r, sizeof(*r)) == KAPI_OK;
}
