/*
 * RSI_MEASUREMENT_READ / EXTEND on behalf of a running realm: the kernel
 * names the RD, this service vouches for it and lends its measurement area
 * to the attestation service for the one call.
 */
#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <kernel/svc_api.h>
#include <spec/structs.h>
#include <stddef.h>
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

/* ---- RSI_REALM_CONFIG and attestation tokens ---- */

#define RSI_ERROR_STATE		2
#define RSI_INCOMPLETE		3
#define RSI_ERROR_UNKNOWN	4
#define LEASE_TOK		1u	/* token_init and token_copy: rd, tok */
#define LEASE_DST		1u	/* realm_config: rd, dst */
#define LEASE_COPY_DST		2u	/* token_copy: rd, tok, dst */

/*
 * Is dst the page the realm's tables map at ipa, as protected RAM? The
 * kernel found it so before sending the message; this service runs holding
 * the realm's lock (kernel/rec.h), so what it sees now stays true while it
 * writes, and a page destroyed in between is refused.
 */
static bool dst_at(uint64_t ipa, uint64_t dst)
{
	struct kapi_rtte e;
	uint64_t size;

	if (kapi_s2_read(LEASE_RD, ipa, 3, &e) != KAPI_OK || e.state != RTTE_ASSIGNED ||
	    e.ns != 0u || e.ripas != RIPAS_RAM || e.level < 1 || e.level > 3)
		return false;
	size = 1ull << (12u + 9u * (unsigned int)(3 - e.level));
	return e.addr + (ipa & (size - 1u) & ~0xfffull) == dst;
}

int32_t realm_handle_realm_config(struct realm_state *st, const struct realm_realm_config_req *req)
{
	struct rd r;
	uint64_t width;
	uint8_t algo;

	_Static_assert(sizeof(width) == SPEC_SIZEOF(struct rsi_realm_config, ipa_width) &&
		       sizeof(algo) == SPEC_SIZEOF(struct rsi_realm_config, hash_algo) &&
		       sizeof(r.rpv) == SPEC_SIZEOF(struct rsi_realm_config, rpv), "RsiRealmConfig");
	(void)st;
	if (!rd_open(&r) || !gran_lookup(gran_lease(LEASE_DST), GRANULE_GSTATE_DATA) ||
	    !dst_at(req->ipa, req->dst.pa))
		return RSI_ERROR_INPUT;
	width = r.s2.s2sz;
	algo = (uint8_t)r.hash_algo;
	/* RsiRealmConfig (structures.md 7): only these fields of the granule change. */
	if (kapi_lease_write(LEASE_DST, offsetof(struct rsi_realm_config, ipa_width), &width,
			     sizeof(width)) != KAPI_OK ||
	    kapi_lease_write(LEASE_DST, offsetof(struct rsi_realm_config, hash_algo), &algo,
			     sizeof(algo)) != KAPI_OK ||
	    kapi_lease_write(LEASE_DST, offsetof(struct rsi_realm_config, rpv), r.rpv,
			     sizeof(r.rpv)) != KAPI_OK)
		return RSI_ERROR_INPUT;
	return RSI_SUCCESS;
}

static int32_t rsi_of(int32_t ast)
{
	switch (ast) {
	case ATTEST_ASTATUS_OK:
		return RSI_SUCCESS;
	case ATTEST_ASTATUS_STATE:
		return RSI_ERROR_STATE;
	case ATTEST_ASTATUS_INCOMPLETE:
		return RSI_INCOMPLETE;
	case ATTEST_ASTATUS_TOO_BIG:
		return RSI_ERROR_INPUT;
	default:
		return RSI_ERROR_UNKNOWN;	/* unavailable, crypto, internal */
	}
}

static struct ipc_lease_fwd whole(uint8_t lease, uint8_t rights)
{
	struct ipc_lease_fwd f = { .lease = lease, .rights = rights, .offset = 0, .len = 4096u };

	return f;
}

int32_t realm_handle_token_init(struct realm_state *st, const struct realm_token_init_req *req,
				struct realm_token_init_rep *rep)
{
	struct attest_token_init_req m = {
		.meas = meas_area(IPC_RIGHT_READ), .tok = whole(LEASE_TOK, IPC_RIGHTS_RW),
	};
	struct attest_token_init_rep a;
	struct rd r;
	int32_t ast;

	(void)st;
	if (!rd_open(&r) || !gran_lookup(gran_lease(LEASE_TOK), GRANULE_GSTATE_REC_AUX))
		return RSI_ERROR_UNKNOWN;
	memcpy(m.challenge, req->challenge, sizeof(m.challenge));
	memcpy(m.rpv, r.rpv, sizeof(m.rpv));
	if (attest_token_init(&m, &a, &ast) != IPC_OK)
		return RSI_ERROR_UNKNOWN;
	rep->max_size = a.max_size;
	return rsi_of(ast);
}

int32_t realm_handle_token_step(struct realm_state *st, const struct realm_token_step_req *req)
{
	struct attest_token_step_req m = { .tok = whole(0, IPC_RIGHTS_RW) };
	int32_t ast;

	(void)st;
	(void)req;
	if (!gran_lookup(gran_lease(0), GRANULE_GSTATE_REC_AUX) ||
	    attest_token_step(&m, &ast) != IPC_OK)
		return RSI_ERROR_UNKNOWN;
	return rsi_of(ast);
}

int32_t realm_handle_token_copy(struct realm_state *st, const struct realm_token_copy_req *req,
				struct realm_token_copy_rep *rep)
{
	struct attest_token_copy_req m = {
		.tok = whole(LEASE_TOK, IPC_RIGHTS_RW),
		.dst = { .lease = LEASE_COPY_DST, .rights = IPC_RIGHT_WRITE, .offset = req->offset,
			 .len = req->size },
		.size = req->size,
	};
	struct attest_token_copy_rep a;
	int32_t ast;

	(void)st;
	if (req->size > 4096u - req->offset || !rd_ok() ||
	    !gran_lookup(gran_lease(LEASE_TOK), GRANULE_GSTATE_REC_AUX) ||
	    !gran_lookup(gran_lease(LEASE_COPY_DST), GRANULE_GSTATE_DATA) ||
	    !dst_at(req->ipa, req->dst.pa))
		return RSI_ERROR_INPUT;
	if (attest_token_copy(&m, &a, &ast) != IPC_OK)
		return RSI_ERROR_UNKNOWN;
	rep->copied = a.copied;
	return rsi_of(ast);
}
