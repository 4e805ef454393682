/*
 * libFuzzer target over the REAL services (granule, realm, attest) behind
 * the fake kernel of the service unit tests (tests/unit/svc/fake_kernel.c),
 * with invariant checks after every message. Built by tests/fuzz/fuzz.mk.
 *
 * Every input starts from the same seeded state: two fake DRAM banks (96 +
 * 32 granules), granule g(127) SECURE (EL3 refuses it), g(120) an NS page
 * full of host data (a DATA_CREATE source), g(1..15) and g(100..103)
 * DELEGATED, and one realm (RD g(2), one root RTT g(4), start level 1,
 * S2SZ 39, VMID 1, state NEW) created through the real services.
 *
 * The input is then a sequence of at most FZ_MAX_MSGS messages:
 *
 *   h0 h1 h2 [op:u16] [len:u8] [ctx] [inj] payload
 *
 *   h0 & 3       service: 0 granule, 1 realm, 2 attest, 3 a bogus id
 *                (h0 bit 2 set: 0, else 4 + (h0 >> 3))
 *   h1           op: h1 < 0xf8 -> <service>_ops[h1 % count].op, else a raw
 *                u16 op follows (mostly unknown ops)
 *   h2 & 3       3: wrong length (a byte follows; h2 bit 7 adds 256),
 *                else the op's exact request size
 *   h2 & 4       raw payload (h2 bit 7: then granule_refs are made
 *                IPC_LEASE_NEW + a DRAM granule), else structured
 *   h2 & 8       with a wrong length: hand the message straight to the
 *                service's dispatch function (the transport would refuse it)
 *   (h2>>4) & 3  caller: 0/1 natural (the kernel; for attest the fake realm
 *                context), 2 a fake realm-service context, 3 the kernel
 *   h2 & 0x40    inject one kapi failure (a byte: function, skip count);
 *                only EL3 refusals and NS copy faults unless
 *                ATOLL_FUZZ_INJECT=all
 *   ctx          fake realm context: n = 1 + (c & 3) leases, each a granule
 *                byte and an attribute byte (bit 0 inactive candidate,
 *                bit 1 read-only)
 *   payload      structured: per field of the op (tests/fuzz/fuzz_layout.h)
 *                a selector byte, >= 0xc0 meaning raw bytes follow, else a
 *                value chosen by the field's kind and role (granule PAs,
 *                IPAs at level-aligned units, levels -1..4, ...); a PA byte
 *                names granule b % 128, except 0xb0..0xbf: raw, unaligned,
 *                in the hole between the banks, 0, past the end, below.
 *                tests/fuzz/make_corpus.py writes this format.
 *
 * Kernel-sent messages go through ipc_call() exactly as kernel/rmi_ctrl.c
 * sends them (granule_refs are IPC_LEASE_NEW + pa, the transport builds the
 * leases). Messages the kernel never sends (granule claim/lookup/release,
 * anything from the fake realm context, attest) run in a sandbox: granule
 * table, model and the touched granules are restored afterwards, so they
 * exercise decoders and handlers without breaking the realm invariants
 * the way a misbehaving trusted caller would.
 *
 * Checks (abort() with "INVARIANT" and a description on violation):
 *   - granule service vs the reference model (tests/unit/svc/granule_model.h)
 *     on every granule-service dispatch, nested ones included (status and
 *     new state; zero content on entering DELEGATED); the whole store and
 *     the "state" op against the model every 8 messages and at the end;
 *   - a DELEGATED granule is all zero; fake GPT: UNDELEGATED <-> NS (the
 *     SECURE granule stays SECURE and UNDELEGATED), any other state <-> Realm;
 *   - every RD is sane (lifecycle state, S2 config, VMID marked in the realm
 *     service's bitmap, VMIDs unique, bitmap population = number of RDs);
 *     its root RTTs are RTT granules; walking its RTTs in fake memory, every
 *     TABLE entry names an RTT granule and every protected ASSIGNED entry
 *     DATA granules; every REC's owner is an RD whose rec_live counts it and
 *     its aux granules are REC_AUX; every RTT, DATA and REC_AUX granule is
 *     referenced exactly once (no leaks, no sharing);
 *   - dispatch result == the generated decoder's verdict on the same bytes;
 *     the handler ran iff the decoder accepted (handler_count.h wrappers);
 *   - transport/service status: a transport error carries no service status
 *     and no reply; IPC_OK carries a status in the service's domain
 *     (gstatus, astatus, RMI status | index << 8) and a reply of the op's
 *     size; a request built by a service is never refused by the transport;
 *   - a kernel-sent realm or granule command that fails changes nothing
 *     (granule states, object granule contents, GPT, VMIDs);
 *   - the attestation service writes only inside the writable ranges it was
 *     lent; the message-context stack is balanced.
 *
 * ATOLL_FUZZ_TRACE=1 prints every message and its result on stderr.
 * ATOLL_FUZZ_LAX=1 tolerates the known findings of tests/fuzz/crashers/
 * (a service-built request refused with IPC_E_BAD_FIELD), so that a long
 * run can look past them.
 */
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>

#include "attest_state.h"
#include "fake_kernel.h"
#include "granule_model.h"
#include "granule_state.h"
#include "gstore.h"
#include "handler_count.h"
#include "rd.h"
#include "realm_state.h"

#include "fuzz_layout.h"
#include "fuzz_layout_gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define G		4096ull
#define NA		96u
#define NB		32u
#define NG		(NA + NB)
#define BANK_A		0x80000000ull
#define BANK_B		0x880000000ull
#define SECURE_IDX	127u
#define NS_SRC_IDX	120u
#define RD_IDX		2u
#define ROOT_IDX	4u
#define FZ_MAX_MSGS	64u
#define FZ_MAX_CTX	4u

#define SENT_STATUS	((int32_t)0x5a5a5a5a)
#define SENT_REPLEN	((size_t)0xa5a5a5a5u)

#define OA_MASK		0x0000fffffffff000ull
#define RTTE_NS_BIT	(1ull << 55)

/* ---- services and their state ---- */
static struct granule_state g_st;
static uint64_t g_table[1024];
static struct realm_state r_st;
static struct attest_state a_st;
static struct gmodel gm;

static const struct fk_bank fk_banks[] = { { BANK_A, NA }, { BANK_B, NB } };
static const struct granule_bank g_banks[] = { { BANK_A, NA * G, 0 }, { BANK_B, NB * G, 0 } };

static bool opt_trace;
static bool opt_inject_all;
static bool opt_lax;	/* tolerate the known findings (crashers/README.md) */

/* ---- what is going on (for violation reports) ---- */
static struct {
	unsigned int msg;		/* index of the message in the input; -1u: seeding */
	char desc[160];
	bool origin_fuzzer;		/* the next ipc_call() is the fuzzer's own message */
	/* injected kapi failure of the current message */
	bool inj_armed;
	enum fk_fn inj_fn;
	unsigned int inj_at;		/* fires at this fk_calls(inj_fn) value */
	bool inj_impossible;		/* a failure the real kernel cannot produce */
	enum ipc_service svc;		/* the current message's service and op */
	uint16_t op;
} cur;

static void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nINVARIANT VIOLATION (message %d: %s): ", (int)cur.msg, cur.desc);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

static bool inj_fired(void)
{
	return cur.inj_armed && fk_calls(cur.inj_fn) >= cur.inj_at;
}

/* ---- fake DRAM geometry ---- */

static uint64_t gpa(unsigned int idx)
{
	return idx < NA ? BANK_A + idx * G : BANK_B + (idx - NA) * G;
}

/* fk_is_zero() byte by byte is slow under coverage instrumentation. */
static bool granule_zero(uint64_t pa)
{
	const uint8_t *p = fk_mem(pa);

	return p[0] == 0u && memcmp(p, p + 1, G - 1u) == 0;
}

static long gidx(uint64_t pa)
{
	if ((pa & (G - 1u)) != 0u)
		return -1;
	if (pa >= BANK_A && (pa - BANK_A) / G < NA)
		return (long)((pa - BANK_A) / G);
	if (pa >= BANK_B && (pa - BANK_B) / G < NB)
		return (long)(NA + (pa - BANK_B) / G);
	return -1;
}

static uint64_t map_size(int32_t level)
{
	return 1ull << (12u + 9u * (unsigned int)(3 - level));
}

/* ---- op tables ---- */

static const struct fz_svc *layout_svc(enum ipc_service svc)
{
	for (size_t i = 0; i < sizeof fz_svcs / sizeof fz_svcs[0]; i++) {
		if (fz_svcs[i].id == svc)
			return &fz_svcs[i];
	}
	return NULL;
}

static const struct fz_op *layout_op(enum ipc_service svc, uint16_t op)
{
	const struct fz_svc *s = layout_svc(svc);

	for (unsigned int i = 0; s != NULL && i < s->nops; i++) {
		if (s->ops[i].op == op)
			return &s->ops[i];
	}
	return NULL;
}

static void svc_ops(enum ipc_service svc, const struct ipc_op_meta **ops, size_t *n)
{
	switch (svc) {
	case IPC_SVC_GRANULE:
		*ops = granule_ops;
		*n = granule_ops_count;
		return;
	case IPC_SVC_REALM:
		*ops = realm_ops;
		*n = realm_ops_count;
		return;
	case IPC_SVC_ATTEST:
		*ops = attest_ops;
		*n = attest_ops_count;
		return;
	default:
		*ops = NULL;
		*n = 0;
	}
}

static const struct ipc_op_meta *op_meta(enum ipc_service svc, uint16_t op)
{
	const struct ipc_op_meta *ops;
	size_t n;

	svc_ops(svc, &ops, &n);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].op == op)
			return &ops[i];
	}
	return NULL;
}

static unsigned int *handler_counter(enum ipc_service svc)
{
	return svc == IPC_SVC_GRANULE ? &hc_granule : svc == IPC_SVC_REALM ? &hc_realm : &hc_attest;
}

/* The status domain of each service's handlers (ipc/<service>.toml). */
static bool status_ok(enum ipc_service svc, int32_t s)
{
	uint32_t lo, idx;

	switch (svc) {
	case IPC_SVC_GRANULE:
		return s >= GRANULE_GSTATUS_OK && s <= GRANULE_GSTATUS_EL3_REFUSED;
	case IPC_SVC_ATTEST:
		return s >= ATTEST_ASTATUS_OK && s <= ATTEST_ASTATUS_TOO_BIG;
	case IPC_SVC_REALM:
		/* RMI status | index << 8 (structures.md 1.1): only RMI_ERROR_RTT has an index (a level) */
		if (s < 0 || s > 0xffff)
			return false;
		lo = (uint32_t)s & 0xffu;
		idx = (uint32_t)s >> 8;
		if (lo > 4u)
			return false;
		return lo == 4u ? idx <= 3u || idx == 0xffu : idx == 0u;
	default:
		return false;
	}
}

/* ---- the granule service against its reference model ---- */

struct gstep {
	bool active;
	uint16_t op;
	uint64_t pa;
	long idx;
	int32_t exp;
	uint32_t pre;
	bool inj_before;
};

static void gm_resync(long idx, uint32_t actual)
{
	gm.state[idx] = (uint8_t)actual;
	gm.used = 0;
	for (unsigned int i = 0; i < NG; i++)
		gm.used += gm.state[i] != GRANULE_GSTATE_UNDELEGATED ? 1u : 0u;
}

static void model_pre(uint16_t op, const uint8_t *msg, size_t len, struct gstep *g)
{
	memset(g, 0, sizeof(*g));
	switch (op) {
	case GRANULE_OP_DELEGATE: {
		struct granule_delegate_req r;

		if (granule_delegate_req_decode(msg, len, &r) != IPC_OK)
			return;
		g->pa = r.gran.pa;
		g->idx = gm_index(&gm, g->pa);
		g->pre = g->idx >= 0 ? gm.state[g->idx] : 0u;
		g->exp = gm_delegate(&gm, g->pa);
		break;
	}
	case GRANULE_OP_UNDELEGATE: {
		struct granule_undelegate_req r;

		if (granule_undelegate_req_decode(msg, len, &r) != IPC_OK)
			return;
		g->pa = r.gran.pa;
		g->idx = gm_index(&gm, g->pa);
		g->pre = g->idx >= 0 ? gm.state[g->idx] : 0u;
		g->exp = gm_undelegate(&gm, g->pa);
		break;
	}
	case GRANULE_OP_CLAIM: {
		struct granule_claim_req r;

		if (granule_claim_req_decode(msg, len, &r) != IPC_OK)
			return;
		g->pa = r.gran.pa;
		g->idx = gm_index(&gm, g->pa);
		g->pre = g->idx >= 0 ? gm.state[g->idx] : 0u;
		g->exp = gm_claim(&gm, g->pa, r.from, r.to);
		break;
	}
	case GRANULE_OP_LOOKUP: {
		struct granule_lookup_req r;

		if (granule_lookup_req_decode(msg, len, &r) != IPC_OK)
			return;
		g->pa = r.gran.pa;
		g->idx = gm_index(&gm, g->pa);
		g->pre = g->idx >= 0 ? gm.state[g->idx] : 0u;
		g->exp = gm_lookup(&gm, g->pa, r.expect);
		break;
	}
	case GRANULE_OP_RELEASE: {
		struct granule_release_req r;

		if (granule_release_req_decode(msg, len, &r) != IPC_OK)
			return;
		g->pa = r.gran.pa;
		g->idx = gm_index(&gm, g->pa);
		g->pre = g->idx >= 0 ? gm.state[g->idx] : 0u;
		g->exp = gm_release(&gm, g->pa, r.from);
		break;
	}
	case GRANULE_OP_STATE: {
		struct granule_state_req r;
		uint32_t s = 0;

		if (granule_state_req_decode(msg, len, &r) != IPC_OK)
			return;
		g->pa = r.pa;
		g->idx = gm_index(&gm, g->pa);
		g->exp = gm_state(&gm, g->pa, &s);
		g->pre = s;
		break;
	}
	default:
		return;
	}
	g->op = op;
	g->active = true;
	g->inj_before = inj_fired();
}

static void model_post(const struct gstep *g, int32_t status, const uint8_t *rep)
{
	bool injected = inj_fired() && !g->inj_before;
	uint32_t actual = 0;
	bool tracked = gstore_get(&g_st, g->pa, &actual);

	if (!g->active)
		return;
	if (g->idx < 0) {
		if (tracked || status != g->exp)
			fz_fail("granule %s of untracked pa 0x%llx: status %d, model %d",
				g->op == GRANULE_OP_STATE ? "state" : "op", (unsigned long long)g->pa,
				status, g->exp);
		return;
	}
	if (!tracked)
		fz_fail("granule service lost track of pa 0x%llx", (unsigned long long)g->pa);
	if (status != g->exp || actual != gm.state[g->idx]) {
		if (injected) {
			gm_resync(g->idx, actual);
			return;
		}
		fz_fail("granule op %u on pa 0x%llx (state %u): service status %d -> state %u, "
			"model status %d -> state %u", g->op, (unsigned long long)g->pa, g->pre, status,
			actual, g->exp, gm.state[g->idx]);
	}
	if (g->op == GRANULE_OP_STATE && status == GRANULE_GSTATUS_OK) {
		struct granule_state_rep r;

		memcpy(&r, rep, sizeof(r));
		if (r.state != g->pre)
			fz_fail("granule state of 0x%llx reported %u, model %u",
				(unsigned long long)g->pa, r.state, g->pre);
	}
	/* every way into DELEGATED zero-fills, at once */
	if (status == GRANULE_GSTATUS_OK && actual == GRANULE_GSTATE_DELEGATED &&
	    !granule_zero(g->pa))
		fz_fail("granule 0x%llx entered DELEGATED (op %u) with non-zero content",
			(unsigned long long)g->pa, g->op);
}

/* ---- dispatch wrappers registered with the fake transport ---- */

static enum ipc_status run_svc(enum ipc_service svc, uint16_t op, const uint8_t *msg, size_t len,
			       uint8_t *rep, size_t cap, size_t *rep_len, int32_t *st)
{
	const struct fz_op *o = layout_op(svc, op);
	const struct ipc_op_meta *m = op_meta(svc, op);
	enum ipc_status expect = o != NULL ? o->decode(msg, len) : IPC_E_BAD_OP;
	unsigned int *hc = handler_counter(svc);
	unsigned int before = *hc, delta;
	struct gstep g = { 0 };
	enum ipc_status rc;

	if ((o == NULL) != (m == NULL))
		fz_fail("op table and layout table disagree on %u op %u", svc, op);
	if (svc == IPC_SVC_GRANULE && expect == IPC_OK)
		model_pre(op, msg, len, &g);
	*rep_len = SENT_REPLEN;
	*st = SENT_STATUS;
	switch (svc) {
	case IPC_SVC_GRANULE:
		rc = granule_dispatch(&g_st, op, msg, len, rep, cap, rep_len, st);
		break;
	case IPC_SVC_REALM:
		rc = realm_dispatch(&r_st, op, msg, len, rep, cap, rep_len, st);
		break;
	case IPC_SVC_ATTEST:
		rc = attest_dispatch(&a_st, op, msg, len, rep, cap, rep_len, st);
		break;
	default:
		fz_fail("dispatch to service %u", svc);
	}
	delta = *hc - before;
	if (rc != expect)
		fz_fail("%u_dispatch(op %u, len %zu) = %d, the generated decoder says %d", svc, op,
			len, rc, expect);
	if (rc == IPC_OK ? delta != 1u : delta != 0u)
		fz_fail("service %u op %u: dispatch %d but the handler ran %u times", svc, op, rc,
			delta);
	if (rc == IPC_OK) {
		if (*rep_len != m->rep_len)
			fz_fail("service %u op %u: reply length %zu, schema says %u", svc, op, *rep_len,
				m->rep_len);
		if (!status_ok(svc, *st))
			fz_fail("service %u op %u: status 0x%x outside the service's domain", svc, op,
				(unsigned int)*st);
		if (svc == IPC_SVC_GRANULE)
			model_post(&g, *st, rep);
	} else {
		*rep_len = 0;
		*st = 0;
	}
	return rc;
}

static enum ipc_status run_granule(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				   size_t cap, size_t *rep_len, int32_t *st)
{
	return run_svc(IPC_SVC_GRANULE, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_realm(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				 size_t cap, size_t *rep_len, int32_t *st)
{
	return run_svc(IPC_SVC_REALM, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_attest(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				  size_t cap, size_t *rep_len, int32_t *st)
{
	return run_svc(IPC_SVC_ATTEST, op, msg, len, rep, cap, rep_len, st);
}

/* ---- every ipc_call() (linked with -Wl,--wrap=ipc_call) ---- */

enum ipc_status __real_ipc_call(enum ipc_service svc, uint16_t op, const void *req,
				size_t req_len, void *rep, size_t rep_cap, size_t *rep_len,
				int32_t *svc_status);
enum ipc_status __wrap_ipc_call(enum ipc_service svc, uint16_t op, const void *req,
				size_t req_len, void *rep, size_t rep_cap, size_t *rep_len,
				int32_t *svc_status);

enum ipc_status __wrap_ipc_call(enum ipc_service svc, uint16_t op, const void *req,
				size_t req_len, void *rep, size_t rep_cap, size_t *rep_len,
				int32_t *svc_status)
{
	bool fuzzer = cur.origin_fuzzer, inj0 = inj_fired();
	unsigned int depth = fk_depth();
	size_t rl = SENT_REPLEN;
	int32_t s = SENT_STATUS;
	enum ipc_status t;

	cur.origin_fuzzer = false;	/* nested calls are the services' own */
	t = __real_ipc_call(svc, op, req, req_len, rep, rep_cap, &rl, &s);
	if (fk_depth() != depth)
		fz_fail("message-context stack unbalanced after a call to %u op %u", svc, op);
	if (t != IPC_OK) {
		if (rl != SENT_REPLEN || s != SENT_STATUS)
			fz_fail("transport status %d for %u op %u came with a service status (%d) or reply",
				t, svc, op, s);
	} else {
		const struct ipc_op_meta *m = op_meta(svc, op);

		if (m == NULL)
			fz_fail("transport accepted unknown op %u of service %u", op, svc);
		if (rl != m->rep_len)
			fz_fail("service %u op %u: reply length %zu, schema says %u", svc, op, rl,
				m->rep_len);
		if (!status_ok(svc, s))
			fz_fail("service %u op %u: status 0x%x outside the service's domain", svc, op,
				(unsigned int)s);
		*rep_len = rl;
		*svc_status = s;
	}
	if (!fuzzer && t != IPC_OK && !(t == IPC_E_QUEUE_FULL && inj_fired() && !inj0) &&
	    !(opt_lax && t == IPC_E_BAD_FIELD))
		fz_fail("a request built by a service (context depth %u) to service %u op %u was "
			"refused by the transport: %d", depth, svc, op, t);
	return t;
}

/* ---- invariant checker ---- */

static uint32_t svc_state(uint64_t pa)
{
	struct granule_state_req q = { .pa = pa };
	struct granule_state_rep r;
	uint8_t rb[IPC_MAX_MSG];
	size_t rl = 0;
	int32_t s = -1;
	unsigned int hc = hc_granule;
	enum ipc_status t;

	t = granule_dispatch(&g_st, GRANULE_OP_STATE, (const uint8_t *)&q, sizeof(q), rb, sizeof(rb),
			     &rl, &s);
	hc_granule = hc;
	if (t != IPC_OK || s != GRANULE_GSTATUS_OK || rl != sizeof(r))
		fz_fail("granule state of tracked 0x%llx: transport %d status %d",
			(unsigned long long)pa, t, s);
	memcpy(&r, rb, sizeof(r));
	return r.state;
}

static struct {
	uint32_t st[NG];
	uint8_t refs[NG];
	uint32_t rec_owned[NG];
} chk;

static const char *sname(uint32_t s)
{
	static const char *const n[] = { "UNDELEGATED", "DELEGATED", "RD", "REC", "REC_AUX",
					 "DATA", "RTT" };

	return s < 7u ? n[s] : "?";
}

static void ref_granule(uint64_t pa, uint32_t want, const char *what, uint64_t rd)
{
	long i = gidx(pa);

	if (i < 0)
		fz_fail("realm RD 0x%llx: %s 0x%llx is not a DRAM granule", (unsigned long long)rd,
			what, (unsigned long long)pa);
	if (chk.st[i] != want)
		fz_fail("realm RD 0x%llx: %s 0x%llx is %s, not %s", (unsigned long long)rd, what,
			(unsigned long long)pa, sname(chk.st[i]), sname(want));
	if (chk.refs[i] != 0u)
		fz_fail("realm RD 0x%llx: %s 0x%llx is referenced twice", (unsigned long long)rd,
			what, (unsigned long long)pa);
	chk.refs[i]++;
}

static void walk_rtt(uint64_t rd, uint64_t table, int32_t level, uint64_t ipa0)
{
	const uint8_t *t = fk_mem(table);

	for (unsigned int i = 0; i < 512u; i++) {
		uint64_t e, ipa = ipa0 + i * map_size(level);

		memcpy(&e, &t[i * 8u], 8);
		if (level < 3 && (e & 3u) == 3u) {
			ref_granule(e & OA_MASK, GRANULE_GSTATE_RTT, "table entry", rd);
			walk_rtt(rd, e & OA_MASK, level + 1, ipa);
			continue;
		}
		if ((e & RTTE_NS_BIT) != 0u)
			continue;	/* UNASSIGNED_NS / ASSIGNED_NS: host memory */
		if ((e & 3u) != 0u || ((e >> 2) & 7u) == 1u) {	/* protected ASSIGNED */
			uint64_t oa = e & OA_MASK & ~(map_size(level) - 1u);

			if (level < 1)
				fz_fail("realm RD 0x%llx: ASSIGNED entry at level %d (ipa 0x%llx)",
					(unsigned long long)rd, level, (unsigned long long)ipa);
			for (uint64_t p = 0; p < map_size(level); p += G)
				ref_granule(oa + p, GRANULE_GSTATE_DATA, "data mapping", rd);
		}
	}
}

static void check_realms(void)
{
	uint64_t vmids[NG];
	unsigned int nrd = 0, pop = 0;

	memset(chk.refs, 0, sizeof(chk.refs));
	memset(chk.rec_owned, 0, sizeof(chk.rec_owned));
	/* RECs first: their owners' rec_live is checked with the RDs */
	for (unsigned int i = 0; i < NG; i++) {
		struct rec_core c;
		long o;

		if (chk.st[i] != GRANULE_GSTATE_REC)
			continue;
		memcpy(&c, fk_mem(gpa(i)), sizeof(c));
		o = gidx(c.owner_rd);
		if (o < 0 || chk.st[o] != GRANULE_GSTATE_RD)
			fz_fail("REC 0x%llx: owner 0x%llx is not an RD", (unsigned long long)gpa(i),
				(unsigned long long)c.owner_rd);
		chk.rec_owned[o]++;
		if (c.num_aux > REC_MAX_AUX)
			fz_fail("REC 0x%llx: num_aux %llu", (unsigned long long)gpa(i),
				(unsigned long long)c.num_aux);
		for (uint64_t a = 0; a < c.num_aux; a++)
			ref_granule(c.aux[a], GRANULE_GSTATE_REC_AUX, "REC aux", c.owner_rd);
	}
	for (unsigned int i = 0; i < NG; i++) {
		uint64_t pa = gpa(i);
		struct rd r;

		if (chk.st[i] != GRANULE_GSTATE_RD)
			continue;
		memcpy(&r, fk_mem(pa), sizeof(r));
		if (r.s2.state < REALM_NEW || r.s2.state > REALM_SYSTEM_OFF)
			fz_fail("RD 0x%llx: lifecycle state %u", (unsigned long long)pa, r.s2.state);
		if (r.s2.start_level < -1 || r.s2.start_level > 3 || r.s2.s2sz < 32u ||
		    r.s2.s2sz > 52u || r.s2.num_roots < 1u || r.s2.num_roots > 16u ||
		    (r.s2.rtt_base & (r.s2.num_roots * G - 1u)) != 0u)
			fz_fail("RD 0x%llx: bad S2 config (base 0x%llx level %d s2sz %u roots %u)",
				(unsigned long long)pa, (unsigned long long)r.s2.rtt_base,
				r.s2.start_level, r.s2.s2sz, r.s2.num_roots);
		if (r.s2.vmid >= REALM_VMID_MAX ||
		    ((r_st.vmid_used[r.s2.vmid / 64u] >> (r.s2.vmid % 64u)) & 1u) == 0u)
			fz_fail("RD 0x%llx: VMID %u not marked used", (unsigned long long)pa, r.s2.vmid);
		for (unsigned int k = 0; k < nrd; k++) {
			if (vmids[k] == r.s2.vmid)
				fz_fail("RD 0x%llx: VMID %u used twice", (unsigned long long)pa,
					r.s2.vmid);
		}
		vmids[nrd++] = r.s2.vmid;
		if (r.rec_live != chk.rec_owned[i])
			fz_fail("RD 0x%llx: rec_live %llu, %u RECs own it", (unsigned long long)pa,
				(unsigned long long)r.rec_live, chk.rec_owned[i]);
		for (unsigned int k = 0; k < r.s2.num_roots; k++) {
			uint64_t root = r.s2.rtt_base + k * G;

			ref_granule(root, GRANULE_GSTATE_RTT, "root RTT", pa);
			walk_rtt(pa, root, r.s2.start_level, k * 512u * map_size(r.s2.start_level));
		}
	}
	for (unsigned int w = 0; w < REALM_VMID_MAX / 64u; w++)
		pop += (unsigned int)__builtin_popcountll(r_st.vmid_used[w]);
	if (pop != nrd)
		fz_fail("%u VMIDs marked used for %u realms", pop, nrd);
	for (unsigned int i = 0; i < NG; i++) {
		uint32_t s = chk.st[i];

		if ((s == GRANULE_GSTATE_RTT || s == GRANULE_GSTATE_DATA ||
		     s == GRANULE_GSTATE_REC_AUX) && chk.refs[i] != 1u)
			fz_fail("%s granule 0x%llx is referenced by no realm object (leaked)", sname(s),
				(unsigned long long)gpa(i));
	}
}

/*
 * Granule states come from the model, which every granule-service dispatch
 * is checked against (model_post); the whole store is compared with it
 * every few messages and at the end of each input (sweep), a rotating few
 * granules also through the service's "state" op.
 */
static void sweep(void)
{
	static unsigned int rot;

	for (unsigned int k = 0; k < 4u; k++, rot++) {
		uint64_t pa = gpa(rot % NG);

		if (svc_state(pa) != gm.state[rot % NG])
			fz_fail("granule 0x%llx: state op says %s, model %s", (unsigned long long)pa,
				sname(svc_state(pa)), sname(gm.state[rot % NG]));
	}
	for (unsigned int i = 0; i < NG; i++) {
		uint64_t pa = gpa(i);
		uint32_t s = 0;

		if (!gstore_get(&g_st, pa, &s))
			fz_fail("granule 0x%llx is not tracked", (unsigned long long)pa);
		if (s != gm.state[i])
			fz_fail("granule 0x%llx: service says %s, model %s", (unsigned long long)pa,
				sname(s), sname(gm.state[i]));
	}
}

static void check_all(void)
{
	for (unsigned int i = 0; i < NG; i++) {
		uint64_t pa = gpa(i);
		uint32_t s = gm.state[i];
		enum fk_pas pas = fk_pas(pa);

		chk.st[i] = s;
		if (i == SECURE_IDX) {
			if (s != GRANULE_GSTATE_UNDELEGATED || pas != FK_PAS_SECURE)
				fz_fail("SECURE granule 0x%llx: state %s PAS %u", (unsigned long long)pa,
					sname(s), pas);
		} else if ((s == GRANULE_GSTATE_UNDELEGATED) != (pas == FK_PAS_NS) ||
			   pas == FK_PAS_SECURE) {
			fz_fail("granule 0x%llx: state %s but GPT PAS %s", (unsigned long long)pa,
				sname(s), pas == FK_PAS_NS ? "NS" : pas == FK_PAS_REALM ? "Realm" : "Secure");
		}
		if (s == GRANULE_GSTATE_DELEGATED && !granule_zero(pa))
			fz_fail("DELEGATED granule 0x%llx is not all zero", (unsigned long long)pa);
	}
	check_realms();
}

/* ---- failure atomicity: snapshot before a kernel-sent command ---- */

static struct {
	uint32_t st[NG];
	uint8_t pas[NG];
	uint64_t vmid[REALM_VMID_MAX / 64u];
	uint8_t mem[NG][G];
} at;

static void atomic_take(void)
{
	for (unsigned int i = 0; i < NG; i++) {
		uint64_t pa = gpa(i);

		at.st[i] = gm.state[i];
		at.pas[i] = (uint8_t)fk_pas(pa);
		if (at.st[i] > GRANULE_GSTATE_DELEGATED)
			memcpy(at.mem[i], fk_mem(pa), G);
	}
	memcpy(at.vmid, r_st.vmid_used, sizeof(at.vmid));
}

/*
 * A failed RSI_ATTESTATION_TOKEN_INIT still abandons the REC's token in
 * progress (attestation.md 5, step 1): its REC_AUX token granule may change.
 */
static bool may_change_on_failure(uint32_t state)
{
	return state == GRANULE_GSTATE_REC_AUX && cur.svc == IPC_SVC_REALM &&
	       cur.op == REALM_OP_TOKEN_INIT;
}

static void atomic_check(void)
{
	for (unsigned int i = 0; i < NG; i++) {
		uint64_t pa = gpa(i);
		uint32_t s = gm.state[i];

		if (s != at.st[i] || (uint8_t)fk_pas(pa) != at.pas[i])
			fz_fail("failed command changed granule 0x%llx: %s -> %s",
				(unsigned long long)pa, sname(at.st[i]), sname(s));
		if (s > GRANULE_GSTATE_DELEGATED && !may_change_on_failure(s) &&
		    memcmp(at.mem[i], fk_mem(pa), G) != 0) {
			size_t o = 0;

			while (at.mem[i][o] == fk_mem(pa)[o])
				o++;
			fz_fail("failed command changed the content of %s granule 0x%llx at +0x%zx",
				sname(s), (unsigned long long)pa, o);
		}
	}
	if (memcmp(at.vmid, r_st.vmid_used, sizeof(at.vmid)) != 0)
		fz_fail("failed command changed the VMID bitmap");
}

/* ---- sandbox for messages the kernel never sends ---- */

#define SB_MAX 8u

static struct {
	unsigned int n;
	uint64_t pa[SB_MAX];
	uint8_t pas[SB_MAX];
	uint8_t mem[SB_MAX][G];
	struct granule_state g;
	uint64_t table[sizeof g_table / sizeof g_table[0]];
	struct gmodel gm;
} sb;

static void sb_add(uint64_t pa)
{
	if (gidx(pa) < 0 || sb.n >= SB_MAX)
		return;
	for (unsigned int i = 0; i < sb.n; i++) {
		if (sb.pa[i] == pa)
			return;
	}
	sb.pa[sb.n] = pa;
	sb.pas[sb.n] = (uint8_t)fk_pas(pa);
	memcpy(sb.mem[sb.n], fk_mem(pa), G);
	sb.n++;
}

static void sb_take(void)
{
	sb.g = g_st;
	memcpy(sb.table, g_table, sizeof(g_table));
	sb.gm = gm;
}

static void sb_restore(void)
{
	g_st = sb.g;
	memcpy(g_table, sb.table, sizeof(g_table));
	gm = sb.gm;
	for (unsigned int i = 0; i < sb.n; i++) {
		memcpy(fk_mem(sb.pa[i]), sb.mem[i], G);
		fk_set_pas(sb.pa[i], (enum fk_pas)sb.pas[i]);
	}
	sb.n = 0;
}

/* ---- input reader and value generators ---- */

struct in {
	const uint8_t *p;
	size_t n, i;
};

static uint8_t u8(struct in *r)
{
	return r->i < r->n ? r->p[r->i++] : 0u;
}

static uint64_t uraw(struct in *r, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int k = 0; k < bytes; k++)
		v |= (uint64_t)u8(r) << (8u * k);
	return v;
}

static void put(uint8_t *b, size_t off, unsigned int size, uint64_t v)
{
	for (unsigned int k = 0; k < size && k < 8u; k++)
		b[off + k] = (uint8_t)(v >> (8u * k));
}

static const uint32_t s2sz_tab[8] = { 39, 40, 36, 44, 48, 52, 32, 33 };

/* A physical address: mostly a fake DRAM granule, sometimes a bad one. */
static uint64_t pa_sel(struct in *r, uint8_t b)
{
	if (b < 0xb0u || b >= 0xc0u)
		return gpa(b % NG);
	switch (b & 0xfu) {
	case 0:
		return uraw(r, 8);
	case 1:
		return gpa(u8(r) % NG) + 8u;		/* unaligned */
	case 2:
		return BANK_A + NA * G;			/* hole between the banks */
	case 3:
		return 0;
	case 4:
		return BANK_B + NB * G;			/* past the end */
	case 5:
		return BANK_A - G;			/* below */
	default:
		return gpa(b % NG);
	}
}

static uint64_t val_int(struct in *r, const struct fz_field *f, unsigned int size)
{
	static const uint64_t unit[4] = { 1ull << 12, 1ull << 21, 1ull << 30, 1ull << 39 };
	uint8_t s = u8(r);
	uint64_t v;

	if (s >= 0xc0u)
		return uraw(r, size);
	switch (f->role) {
	case FZ_R_PA:
		return pa_sel(r, s);
	case FZ_R_IPA:
		v = (uint64_t)u8(r) * unit[s & 3u];
		if ((s & 4u) != 0u)
			v |= 1ull << (s2sz_tab[(s >> 3) & 7u] - 1u);	/* unprotected half */
		return v;
	case FZ_R_LEVEL:
		return (uint64_t)(int64_t)((int)(s % 6u) - 1);
	case FZ_R_DESC:
		return gpa(u8(r) % NG) | (((uint64_t)s << 2) & 0xdcu);
	case FZ_R_MPIDR:
		return (s & 0xfu) | ((uint64_t)(s >> 4) << 8);
	case FZ_R_FLAGS:
		return s & 7u;
	case FZ_R_S2SZ:
		return s2sz_tab[s & 7u];
	default:
		if (f->kind == FZ_K_ENUM)
			return s % (f->emax + 2u);
		if (f->kind == FZ_K_BOOL)
			return s & 1u;
		return s;
	}
}

/* granule_ref: lease IPC_LEASE_NEW (or a raw index), zero rsvd (or raw), a pa. */
static void put_gref(struct in *r, uint8_t *b, size_t off)
{
	uint8_t s = u8(r);

	b[off] = (s & 0x80u) != 0u ? u8(r) : IPC_LEASE_NEW;
	if ((s & 0x40u) != 0u) {
		for (unsigned int k = 1; k < 8u; k++)
			b[off + k] = u8(r);
	}
	put(b, off + 8u, 8, pa_sel(r, u8(r)));
}

/* lease_fwd: lease s & 3 (or raw), rights, a range (whole, measurement area, raw). */
static void put_fwd(struct in *r, uint8_t *b, size_t off)
{
	uint8_t s = u8(r);
	uint32_t o = 0, l = (uint32_t)G;

	b[off] = (s & 0x80u) != 0u ? u8(r) : (uint8_t)(s & 3u);
	b[off + 1u] = (uint8_t)((s >> 2) & 3u);
	if ((s & 0x40u) != 0u) {
		put(b, off + 2u, 2, uraw(r, 2));
		put(b, off + 12u, 4, uraw(r, 4));
	}
	switch ((s >> 4) & 3u) {
	case 1:
		o = RD_MEAS_OFF;
		l = RD_MEAS_LEN;
		break;
	case 2:
		o = (uint32_t)uraw(r, 4);
		l = (uint32_t)uraw(r, 4);
		break;
	case 3:
		o = RD_MEAS_OFF + 8u * u8(r);
		l = 8u * u8(r);
		break;
	default:
		break;
	}
	put(b, off + 4u, 4, o);
	put(b, off + 8u, 4, l);
}

static void build_structured(struct in *r, const struct fz_op *o, uint8_t *b)
{
	for (unsigned int i = 0; i < o->nfields; i++) {
		const struct fz_field *f = &o->fields[i];

		switch (f->kind) {
		case FZ_K_GREF:
			put_gref(r, b, f->off);
			break;
		case FZ_K_FWD:
			put_fwd(r, b, f->off);
			break;
		case FZ_K_BYTES: {
			uint8_t s = u8(r);

			for (unsigned int k = 0; k < f->size; k++)
				b[f->off + k] = (s & 1u) != 0u ? u8(r) : s;
			break;
		}
		case FZ_K_U64ARR:
			for (unsigned int k = 0; k < f->size / 8u; k++)
				put(b, f->off + 8u * k, 8, val_int(r, f, 8));
			break;
		default:
			put(b, f->off, f->size, val_int(r, f, f->size));
			break;
		}
	}
}

/* ---- injection ---- */

static const enum fk_fn inj_real[] = { FK_GTSI_DELEGATE, FK_GTSI_UNDELEGATE, FK_COPY_FROM_NS };
static const enum fk_fn inj_all[] = {
	FK_GTSI_DELEGATE, FK_GTSI_UNDELEGATE, FK_COPY_FROM_NS, FK_LEASE_READ, FK_LEASE_WRITE,
	FK_LEASE_ZERO, FK_RTT_INIT, FK_RTT_LIVE_COUNT, FK_S2_READ, FK_S2_SET, FK_S2_UNFOLD,
	FK_S2_SCAN, FK_S2_NEXT_LIVE, FK_IPC_CALL,
};

static void inj_arm(uint8_t f)
{
	unsigned int n = opt_inject_all ? sizeof inj_all / sizeof inj_all[0]
					: sizeof inj_real / sizeof inj_real[0];
	unsigned int k = (f & 0x0fu) % n;

	cur.inj_fn = opt_inject_all ? inj_all[k] : inj_real[k];
	cur.inj_impossible = k >= sizeof inj_real / sizeof inj_real[0];
	cur.inj_at = fk_calls(cur.inj_fn) + (f >> 4) + 1u;
	cur.inj_armed = true;
	fk_inject(cur.inj_fn, f >> 4, 1);
}

static void inj_disarm(void)
{
	if (cur.inj_armed)
		fk_inject(cur.inj_fn, 0, 0);
}

/* ---- seeding ---- */

static void seed_delegate(unsigned int idx)
{
	struct granule_delegate_req q = { .gran = { .lease = IPC_LEASE_NEW, .pa = gpa(idx) } };
	int32_t s = -1;

	if (granule_delegate(&q, &s) != IPC_OK || s != GRANULE_GSTATUS_OK)
		fz_fail("seed: delegate g(%u): status %d", idx, s);
}

static void seed(void)
{
	struct realm_create_req c;
	uint8_t *src;
	int32_t s = -1;
	enum ipc_status t;

	fk_reset();
	fk_set_banks(fk_banks, 2);
	fk_set_pas(gpa(SECURE_IDX), FK_PAS_SECURE);
	src = fk_mem(gpa(NS_SRC_IDX));
	for (unsigned int i = 0; i < G; i++)
		src[i] = (uint8_t)(i * 7u + 3u);
	if (granule_table_words(NG) > sizeof g_table / sizeof g_table[0] ||
	    !granule_init(&g_st, g_table, granule_table_words(NG), g_banks, 2))
		fz_fail("seed: granule_init");
	realm_init(&r_st);
	attest_init(&a_st);
	fk_register(IPC_SVC_GRANULE, granule_ops, granule_ops_count, run_granule);
	fk_register(IPC_SVC_REALM, realm_ops, realm_ops_count, run_realm);
	fk_register(IPC_SVC_ATTEST, attest_ops, attest_ops_count, run_attest);
#ifdef GRANULE_VARIANT_SPARSE
	gm_init(&gm, fk_banks, 2, g_st.capacity * 3u / 4u);
#else
	gm_init(&gm, fk_banks, 2, UINT64_MAX);
#endif
	gm.secure[SECURE_IDX] = true;

	for (unsigned int i = 1; i <= 15u; i++)
		seed_delegate(i);
	for (unsigned int i = 100; i <= 103u; i++)
		seed_delegate(i);
	memset(&c, 0, sizeof(c));
	c.rd = (struct ipc_granule_ref){ .lease = IPC_LEASE_NEW, .pa = gpa(RD_IDX) };
	c.rtt_base = gpa(ROOT_IDX);
	c.s2sz = 39;
	c.num_bps = 1;
	c.num_wps = 1;
	c.hash_algo = ATTEST_HASH_SHA256;
	c.vmid = 1;
	c.rtt_level_start = 1;
	c.rtt_num_start = 1;
	for (unsigned int i = 0; i < sizeof(c.rpv); i++)
		c.rpv[i] = (uint8_t)(0xa0u + i);
	t = realm_create(&c, &s);
	if (t != IPC_OK || s != 0)
		fz_fail("seed: realm_create: transport %d status %d", t, s);
	sweep();
	check_all();
}

/* ---- one message ---- */

static const char *cname(int caller)
{
	return caller == 0 ? "kernel" : "realm-ctx";
}

static void one_message(struct in *r)
{
	uint8_t h0 = u8(r), h1 = u8(r), h2 = u8(r);
	uint8_t buf[2 * IPC_MAX_MSG], rep[IPC_MAX_MSG];
	enum ipc_service svc;
	uint16_t op;
	const struct fz_op *o;
	const struct ipc_op_meta *m;
	const struct fz_svc *ls;
	size_t len, rep_len = SENT_REPLEN;
	int32_t st = SENT_STATUS;
	unsigned int callmode = (h2 >> 4) & 3u, nctx = 0;
	int caller;	/* 0 kernel, 1 fake realm context */
	bool direct = false, sandbox, atomic, wrong_len = (h2 & 3u) == 3u;
	uint64_t ctx_pa[FZ_MAX_CTX] = { 0 };
	uint8_t ctx_rights[FZ_MAX_CTX] = { 0 };
	enum ipc_status t, texp;

	memset(buf, 0, sizeof(buf));
	if ((h0 & 3u) == 3u)
		svc = (h0 & 4u) != 0u ? (enum ipc_service)0 : (enum ipc_service)(4u + (h0 >> 3));
	else
		svc = (enum ipc_service)(1u + (h0 & 3u));
	ls = layout_svc(svc);
	if (h1 < 0xf8u && ls != NULL)
		op = ls->ops[h1 % ls->nops].op;
	else
		op = (uint16_t)uraw(r, 2);
	o = layout_op(svc, op);
	m = op_meta(svc, op);
	len = o != NULL ? o->req_len : 0u;
	if (wrong_len || o == NULL) {
		size_t l = u8(r) + ((h2 & 0x80u) != 0u ? IPC_MAX_MSG : 0u);

		if (o != NULL && l == o->req_len)
			l++;
		len = l;
		direct = o != NULL && (h2 & 8u) != 0u;
	}
	caller = callmode == 2u || (callmode < 2u && svc == IPC_SVC_ATTEST) ? 1 : 0;
	if (caller == 1) {
		uint8_t c = u8(r);

		nctx = 1u + (c & 3u);
		for (unsigned int i = 0; i < nctx; i++) {
			uint8_t b = u8(r), a = u8(r);

			ctx_pa[i] = gpa(b % NG);
			ctx_rights[i] = (a & 1u) != 0u ? 0u : (a & 2u) != 0u ? IPC_RIGHT_READ : IPC_RIGHTS_RW;
		}
	}
	cur.inj_armed = false;
	if ((h2 & 0x40u) != 0u)
		inj_arm(u8(r));

	/* payload */
	if ((h2 & 4u) != 0u || o == NULL) {
		for (size_t i = 0; i < len && i < sizeof(buf); i++)
			buf[i] = u8(r);
		if (o != NULL && (h2 & 0x80u) != 0u && !wrong_len) {
			for (unsigned int i = 0; i < o->nfields; i++) {
				if (o->fields[i].kind != FZ_K_GREF)
					continue;
				buf[o->fields[i].off] = IPC_LEASE_NEW;
				memset(&buf[o->fields[i].off + 1u], 0, 7);
				put(buf, o->fields[i].off + 8u, 8, gpa(buf[o->fields[i].off + 8u] % NG));
			}
		}
	} else {
		build_structured(r, o, buf);
	}
	cur.svc = svc;
	cur.op = op;
	snprintf(cur.desc, sizeof(cur.desc), "%s -> %s.%s (op %u) len %zu%s%s%s",
		 cname(caller), ls != NULL ? ls->name : "bogus-service",
		 o != NULL ? o->name : "unknown", op, len, direct ? " direct" : "",
		 (h2 & 4u) != 0u ? " raw" : "", cur.inj_armed ? " +inject" : "");

	/* sandbox: messages only a trusted service sends */
	sandbox = caller == 1 ||
		  (svc == IPC_SVC_GRANULE && (op == GRANULE_OP_CLAIM || op == GRANULE_OP_RELEASE ||
					      op == GRANULE_OP_LOOKUP));
	atomic = !sandbox && !direct && o != NULL && len == o->req_len &&
		 (svc == IPC_SVC_REALM || svc == IPC_SVC_GRANULE);
	if (sandbox) {
		sb.n = 0;
		sb_take();
		for (unsigned int i = 0; i < nctx; i++)
			sb_add(ctx_pa[i]);
		for (unsigned int i = 0; o != NULL && i < o->nfields; i++) {
			uint64_t pa;
			uint8_t l;

			if (o->fields[i].kind != FZ_K_GREF || o->fields[i].off + 16u > len)
				continue;
			l = buf[o->fields[i].off];
			memcpy(&pa, &buf[o->fields[i].off + 8u], 8);
			if (l == IPC_LEASE_NEW)
				sb_add(pa);
			else if (l < nctx)
				sb_add(ctx_pa[l]);
		}
	}
	if (atomic)
		atomic_take();

	if (caller == 1) {
		fk_begin(IPC_SVC_REALM);
		for (unsigned int i = 0; i < nctx; i++)
			(void)fk_lease_add(ctx_pa[i], 0, (uint32_t)G, ctx_rights[i], ctx_rights[i] != 0u);
	}
	if (direct) {
		fk_begin(svc);
		t = run_svc(svc, op, buf, len, rep, sizeof(rep), &rep_len, &st);
		fk_end();
		texp = t;
		if (t != IPC_E_BAD_LEN)
			fz_fail("direct dispatch of a wrong-length message: %d", t);
	} else {
		cur.origin_fuzzer = true;
		t = ipc_call(svc, op, buf, len, rep, sizeof(rep), &rep_len, &st);
		cur.origin_fuzzer = false;
		/* the transport's own refusals come first (kernel/ipc.c call()) */
		texp = svc == 0 || svc >= IPC_SVC_COUNT || (caller == 1 && svc == IPC_SVC_REALM)
			       ? IPC_E_NO_SERVICE
		       : m == NULL		? IPC_E_BAD_OP
		       : len != m->req_len	? IPC_E_BAD_LEN
					: t;
		if (t != texp && !(t == IPC_E_QUEUE_FULL && inj_fired()))
			fz_fail("transport returned %d, expected %d", t, texp);
	}
	if (caller == 1)
		fk_end();
	if (fk_depth() != 0u)
		fz_fail("message-context stack depth %u after the message", fk_depth());
	inj_disarm();
	if (opt_trace)
		fprintf(stderr, "[%u] %s: transport %d status 0x%x%s\n", cur.msg, cur.desc, t,
			t == IPC_OK ? (unsigned int)st : 0u, inj_fired() ? " (injected failure)" : "");

	if (sandbox) {
		/* attest: nothing outside the writable lent ranges changed */
		if (svc == IPC_SVC_ATTEST && caller == 1 && o != NULL && len == o->req_len) {
			for (unsigned int k = 0; k < sb.n; k++) {
				const uint8_t *now = fk_mem(sb.pa[k]);

				if (memcmp(now, sb.mem[k], G) == 0)
					continue;
				for (size_t b = 0; b < G; b++) {
					bool lent = false;

					if (now[b] == sb.mem[k][b])
						continue;
					for (unsigned int i = 0; i < o->nfields; i++) {
						const uint8_t *fw = &buf[o->fields[i].off];
						uint32_t off, l;

						if (o->fields[i].kind != FZ_K_FWD || fw[0] >= nctx ||
						    ctx_pa[fw[0]] != sb.pa[k] ||
						    (fw[1] & IPC_RIGHT_WRITE) == 0u)
							continue;
						memcpy(&off, &fw[4], 4);
						memcpy(&l, &fw[8], 4);
						lent = lent || (b >= off && b - off < l);
					}
					if (!lent)
						fz_fail("attest wrote granule 0x%llx at +0x%zx outside "
							"the ranges lent to it",
							(unsigned long long)sb.pa[k], b);
				}
			}
		}
		sb_restore();
	}
	if (atomic && !(cur.inj_impossible && inj_fired()) && (t != IPC_OK || st != 0))
		atomic_check();
	cur.inj_armed = false;
	check_all();
	if (cur.msg % 8u == 7u)
		sweep();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *e = getenv("ATOLL_FUZZ_INJECT");

	(void)argc;
	(void)argv;
	opt_inject_all = e != NULL && strcmp(e, "all") == 0;
	e = getenv("ATOLL_FUZZ_TRACE");
	opt_trace = e != NULL && *e != '\0' && *e != '0';
	e = getenv("ATOLL_FUZZ_LAX");
	opt_lax = e != NULL && *e != '\0' && *e != '0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in r = { data, size, 0 };

	memset(&cur, 0, sizeof(cur));
	cur.msg = (unsigned int)-1;
	snprintf(cur.desc, sizeof(cur.desc), "seeding");
	seed();
	for (cur.msg = 0; r.i < r.n && cur.msg < FZ_MAX_MSGS; cur.msg++)
		one_message(&r);
	sweep();
	return 0;
}
