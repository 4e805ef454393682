/*
 * libFuzzer target for the code generated from ipc/example.toml. Input: a
 * little-endian u16 op, then the message. The message goes through
 * example_dispatch(), whose handlers assert that every decoded field meets
 * its schema predicate (written out here independently of the generator);
 * the same bytes are then returned as the reply to the op's client stub,
 * and an accepted reply is checked the same way.
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ipc/example.h>

#define DRAM_BASE	0x80000000ull
#define DRAM_END	0x100000000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct example_state {
	int unused;
};

bool ipc_env_in_dram(uint64_t pa)
{
	return pa >= DRAM_BASE && pa < DRAM_END;
}

static void check_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert(p[i] == 0);
}

static bool color(uint32_t v)
{
	return v == 0 || v == 1 || v == 5;
}

static void check_ref(const struct ipc_granule_ref *r)
{
	assert(r->lease < IPC_MAX_LEASES || r->lease == IPC_LEASE_NEW);
	check_zero(r->rsvd, sizeof r->rsvd);
	assert((r->pa & 0xfffu) == 0 && r->pa >= DRAM_BASE && r->pa < DRAM_END);
}

static void check_fwd(const struct ipc_lease_fwd *f)
{
	assert(f->lease < IPC_MAX_LEASES);
	assert(f->rights >= 1 && f->rights <= 3);
	assert(f->rsvd == 0 && f->rsvd2 == 0);
}

int32_t example_handle_ping(struct example_state *st)
{
	(void)st;
	return 0;
}

int32_t example_handle_scalars(struct example_state *st, const struct example_scalars_req *req,
			       struct example_scalars_rep *rep)
{
	(void)st;
	(void)rep;
	assert(req->flag <= 1);
	check_zero(req->_pad0, sizeof req->_pad0);
	assert(req->half <= 1000);
	assert((req->word & ~0xff00ffu) == 0);
	assert(req->small >= 1 && req->small <= 16);
	check_zero(req->_pad1, sizeof req->_pad1);
	assert(req->big != 0);
	assert((req->addr & 0xfffu) == 0 && req->addr >= DRAM_BASE && req->addr < DRAM_END);
	assert(req->limit >= 0x1000 && req->limit <= 0xffffffffffffull);
	assert(req->resv == 0);
	assert(color(req->col));
	assert(req->low <= 7);
	check_zero(req->_pad2, sizeof req->_pad2);
	return 0;
}

int32_t example_handle_arrays(struct example_state *st, const struct example_arrays_req *req,
			      struct example_arrays_rep *rep)
{
	(void)st;
	(void)rep;
	for (size_t i = 0; i < 5; i++)
		assert(req->tag[i] <= 0x7f);
	check_zero(req->_pad0, sizeof req->_pad0);
	for (size_t i = 0; i < 3; i++)
		assert(req->vals[i] <= 100);
	return 0;
}

int32_t example_handle_map(struct example_state *st, const struct example_map_req *req,
			   struct example_map_rep *rep)
{
	(void)st;
	(void)rep;
	assert(req->count >= 1 && req->count <= 16);
	check_zero(req->_pad0, sizeof req->_pad0);
	check_ref(&req->dst);
	check_ref(&req->src);
	check_fwd(&req->fwd);
	return 0;
}

int32_t example_handle_max_refs(struct example_state *st, const struct example_max_refs_req *req)
{
	(void)st;
	check_ref(&req->r0);
	check_ref(&req->r1);
	check_ref(&req->r2);
	check_ref(&req->r3);
	check_fwd(&req->f0);
	check_fwd(&req->f1);
	check_fwd(&req->f2);
	check_fwd(&req->f3);
	return 0;
}

int32_t example_handle_status(struct example_state *st, struct example_status_rep *rep)
{
	(void)st;
	(void)rep;
	return 0;
}

int32_t example_handle_bulk(struct example_state *st, const struct example_bulk_req *req,
			    struct example_bulk_rep *rep)
{
	(void)st;
	(void)rep;
	for (size_t i = 0; i < 32; i++)
		assert((req->data[i] & 0xfffu) == 0);
	return 0;
}

/* The transport of the client stubs: the fuzz input's message is the reply. */
static const uint8_t *reply;
static size_t reply_len;

enum ipc_status ipc_call(enum ipc_service svc, uint16_t op, const void *req, size_t req_len,
			 void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status)
{
	(void)svc;
	(void)op;
	(void)req;
	(void)req_len;
	if (rep_cap != 0)
		memcpy(rep, reply, reply_len < rep_cap ? reply_len : rep_cap);
	*rep_len = reply_len;
	*svc_status = 0;
	return IPC_OK;
}

static void fuzz_reply(uint16_t op)
{
	static const struct example_scalars_req sreq;
	static const struct example_arrays_req areq;
	static const struct example_map_req mreq;
	static const struct example_max_refs_req xreq;
	static const struct example_bulk_req breq;
	struct example_scalars_rep s;
	struct example_arrays_rep a;
	struct example_map_rep m;
	struct example_status_rep t;
	struct example_bulk_rep b;
	int32_t st;

	switch (op) {
	case EXAMPLE_OP_PING:
		if (example_ping(&st) == IPC_OK)
			assert(reply_len == 0);
		break;
	case EXAMPLE_OP_SCALARS:
		if (example_scalars(&sreq, &s, &st) == IPC_OK) {
			assert(s.lvl == 1 || s.lvl == 2);
			check_zero(s._pad0, sizeof s._pad0);
		}
		break;
	case EXAMPLE_OP_ARRAYS:
		if (example_arrays(&areq, &a, &st) == IPC_OK)
			check_zero(a._pad0, sizeof a._pad0);
		break;
	case EXAMPLE_OP_MAP:
		if (example_map(&mreq, &m, &st) == IPC_OK)
			check_zero(m._pad0, sizeof m._pad0);
		break;
	case EXAMPLE_OP_MAX_REFS:
		if (example_max_refs(&xreq, &st) == IPC_OK)
			assert(reply_len == 0);
		break;
	case EXAMPLE_OP_STATUS:
		if (example_status(&t, &st) == IPC_OK)
			assert(color(t.state) && t.ready <= 1 && t.level <= 3 && t.count != 0);
		break;
	case EXAMPLE_OP_BULK:
		if (example_bulk(&breq, &b, &st) == IPC_OK) {
			for (size_t i = 0; i < sizeof b.data; i++)
				assert(b.data[i] != 0);
		}
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct example_state st = { 0 };
	uint8_t rep[IPC_MAX_MSG];
	size_t rep_len = 0;
	int32_t svc_status = 0;
	enum ipc_status rc;
	uint16_t op;

	if (size < 2)
		return 0;
	op = (uint16_t)(data[0] | data[1] << 8);
	rc = example_dispatch(&st, op, &data[2], size - 2, rep, sizeof rep, &rep_len, &svc_status);
	assert(rc == IPC_OK || rc == IPC_E_BAD_OP || rc == IPC_E_BAD_LEN || rc == IPC_E_BAD_FIELD);
	if (rc == IPC_OK)
		assert(rep_len <= sizeof rep);
	reply = &data[2];
	reply_len = size - 2;
	fuzz_reply(op);
	return 0;
}
