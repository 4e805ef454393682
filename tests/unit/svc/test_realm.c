/*
 * Realm service unit tests: RMI_REALM_CREATE / ACTIVATE / DESTROY and
 * REC_AUX_COUNT (rmi.md 6-9; structures.md 4, 11; states.md 2, 4, 6).
 *
 * The realm service runs against the fake kernel (fake_kernel.c) with the
 * REAL granule ("array" variant) and attestation services behind the fake
 * transport, so claims, lease grants and measurements are the real ones;
 * failures of collaborators are injected with scripted answers
 * (fk_script) or fake-kernel failure injection (fk_inject). Requests come in
 * as the kernel sends them (kernel/rmi_ctrl.c): realm_<op>() client stubs
 * called at depth 0, granule_refs as IPC_LEASE_NEW + pa.
 *
 * Fake DRAM: one bank of 64 granules at 0x80000000; g(i) is granule i.
 * Status values are RMI statuses (structures.md 1.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>

#include "attest_state.h"
#include "fake_kernel.h"
#include "granule_state.h"
#include "handler_count.h"
#include "rd.h"
#include "realm_state.h"

#define G		4096ull
#define g(i)		(FK_DRAM_BASE + (uint64_t)(i) * G)
#define NGRAN		64u
#define ROOTS		g(16)		/* 64 KB aligned: room for 16 concatenated roots */
#define ROOTS_B		g(48)
#define RD_LO		g(2)		/* below ROOTS */
#define RD_HI		g(40)		/* above ROOTS */
#define RD_B		g(3)

#define RMI_SUCCESS	0
#define RMI_ERROR_INPUT	1
#define RMI_ERROR_REALM	2
#define TERR(t)		(-(int32_t)(t))

#define U	GRANULE_GSTATE_UNDELEGATED
#define D	GRANULE_GSTATE_DELEGATED

#define FLAG_LPA2	1ull
#define FLAG_SVE	2ull
#define FLAG_PMU	4ull

#define FEAT		FK_DEFAULT_FEAT_REG0	/* S2SZ 52, LPA2, SVE VL 15, 5 BPs, 3 WPs, 6 ctrs */
#define FEAT_NO_LPA2	(FEAT & ~(1ull << 8))
#define FEAT_NO_SVE	(FEAT & ~(1ull << 9))
#define FEAT_S2SZ(x)	((FEAT & ~0xffull) | (x))

/* RTTE encodings (structures.md 10.3) */
#define RTTE_EMPTY	FK_RTTE_UNASSIGNED_EMPTY
#define RTTE_NS		FK_RTTE_UNASSIGNED_NS

/* states.md 6.7: RIM after REALM_CREATE (flags 0, s2sz 40, 1/1 BPs/WPs, SHA-256), then
 * after RTT_INIT_RIPAS [0, 4K), then after DATA_CREATE ipa 0 of a zero page, measured. */
static const char RIM_EX[] = "045cb3602843a6845cb710fbbfbb92f0c7d611afe0106ac2953e46950a70c42b";
static const char RIM_EX_RIPAS[] = "5e99b1e6b2ebb03fe15c9e109929780b9becf1a9154e6f8b64cfd9b988cc1b5f";
static const char RIM_EX_DATA[] = "8091232661b855a69dec4cdefc8f3930fc311c6f79ef4beac399e693cfc73b7b";
/* The same realm with SHA-512 (hashlib over the states.md 6.2 layout). */
static const char RIM_EX_512[] =
	"066e19aa2c3418dadc20ef31b5595907c612991952553e1e99731a677b5797c9"
	"898dffb6e3963a20b8e1af6d136cd2fe6fe25f048577dc3d7e5bf3a79a4b1e81";

static struct granule_state g_st;
static uint64_t g_table[64];
static struct realm_state r_st;
static struct attest_state a_st;

static enum ipc_status run_granule(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				   size_t cap, size_t *rep_len, int32_t *st)
{
	return granule_dispatch(&g_st, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_realm(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				 size_t cap, size_t *rep_len, int32_t *st)
{
	return realm_dispatch(&r_st, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_attest(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				  size_t cap, size_t *rep_len, int32_t *st)
{
	return attest_dispatch(&a_st, op, msg, len, rep, cap, rep_len, st);
}

static int setup(void **state)
{
	const struct granule_bank bank = { FK_DRAM_BASE, NGRAN * G, 0 };

	(void)state;
	fk_reset();
	assert_true(granule_init(&g_st, g_table, granule_table_words(NGRAN), &bank, 1));
	realm_init(&r_st);
	attest_init(&a_st);
	fk_register(IPC_SVC_GRANULE, granule_ops, granule_ops_count, run_granule);
	fk_register(IPC_SVC_REALM, realm_ops, realm_ops_count, run_realm);
	fk_register(IPC_SVC_ATTEST, attest_ops, attest_ops_count, run_attest);
	hc_granule = hc_realm = hc_attest = 0;
	return 0;
}

/* ---- the kernel's side (kernel/rmi_ctrl.c) ---- */

static struct ipc_granule_ref gref(uint64_t pa)
{
	struct ipc_granule_ref r = { .lease = IPC_LEASE_NEW, .pa = pa };

	return r;
}

static int32_t result(enum ipc_status t, int32_t s)
{
	return t == IPC_OK ? s : TERR(t);
}

static void delegate(uint64_t pa)
{
	struct granule_delegate_req r = { .gran = gref(pa) };
	int32_t s = -1;

	assert_int_equal(granule_delegate(&r, &s), IPC_OK);
	assert_int_equal(s, GRANULE_GSTATUS_OK);
}

static void delegate_n(uint64_t pa, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		delegate(pa + i * G);
}

static uint32_t gstate(uint64_t pa)
{
	struct granule_state_req r = { .pa = pa };
	struct granule_state_rep rep;
	int32_t s = -1;

	assert_int_equal(granule_state(&r, &rep, &s), IPC_OK);
	assert_int_equal(s, GRANULE_GSTATUS_OK);
	return rep.state;
}

static void assert_states(uint64_t pa, unsigned int n, uint32_t st)
{
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(gstate(pa + i * G), st);
}

static struct realm_create_req params(uint64_t rd, uint64_t rtt_base)
{
	struct realm_create_req p;

	memset(&p, 0, sizeof(p));
	p.rd = gref(rd);
	p.rtt_base = rtt_base;
	p.s2sz = 40;
	p.num_bps = 1;
	p.num_wps = 1;
	p.hash_algo = ATTEST_HASH_SHA256;
	p.vmid = 1;
	p.rtt_level_start = 0;
	p.rtt_num_start = 1;
	for (unsigned int i = 0; i < 64; i++)
		p.rpv[i] = (uint8_t)(0xa0u + i);
	return p;
}

static int32_t create(const struct realm_create_req *p)
{
	int32_t s = -99;
	enum ipc_status t = realm_create(p, &s);

	return result(t, s);
}

static int32_t activate(uint64_t rd)
{
	struct realm_activate_req r = { .rd = gref(rd) };
	int32_t s = -99;
	enum ipc_status t = realm_activate(&r, &s);

	return result(t, s);
}

static int32_t destroy(uint64_t rd)
{
	struct realm_destroy_req r = { .rd = gref(rd) };
	int32_t s = -99;
	enum ipc_status t = realm_destroy(&r, &s);

	return result(t, s);
}

static int32_t aux_count(uint64_t rd, uint64_t *count)
{
	struct realm_aux_count_req r = { .rd = gref(rd) };
	struct realm_aux_count_rep rep = { .count = 0xdead };
	int32_t s = -99;
	enum ipc_status t = realm_aux_count(&r, &rep, &s);

	*count = rep.count;
	return result(t, s);
}

static struct rd rd_of(uint64_t rd)
{
	struct rd r;

	memcpy(&r, fk_mem(rd), sizeof(r));
	return r;
}

static void assert_slot_hex(uint64_t rd, unsigned int slot, const char *hex)
{
	uint8_t want[64] = { 0 };

	for (size_t i = 0; hex[2 * i] != '\0'; i++) {
		unsigned int v;

		assert_int_equal(sscanf(&hex[2 * i], "%2x", &v), 1);
		want[i] = (uint8_t)v;
	}
	assert_memory_equal(fk_mem(rd + RD_MEAS_OFF + 8u + slot * 64u), want, 64);
}

/* Is VMID v free? Try a minimal realm with it on spare granules, then remove it. */
static bool vmid_free(uint32_t v)
{
	struct realm_create_req p = params(g(60), g(61));
	bool ok;

	if (gstate(g(60)) == U)
		delegate_n(g(60), 2);
	p.vmid = v;
	ok = create(&p) == RMI_SUCCESS;
	if (ok)
		assert_int_equal(destroy(g(60)), RMI_SUCCESS);
	return ok;
}

/*
 * Root RTT contents after create (states.md 4, rmi.md 6): the entries
 * covering [0, 2^(s2sz-1)) are UNASSIGNED_EMPTY, those covering
 * [2^(s2sz-1), 2^s2sz) UNASSIGNED_NS; entries beyond 2^s2sz stay zero.
 */
static void assert_roots(uint64_t base, unsigned int n, int level, uint32_t s2sz)
{
	unsigned int shift = 12u + 9u * (unsigned int)(3 - level);

	for (unsigned int t = 0; t < n; t++) {
		for (unsigned int i = 0; i < 512u; i++) {
			uint64_t ipa = ((uint64_t)t * 512u + i) << shift;
			uint64_t want = ipa < (1ull << (s2sz - 1u)) ? RTTE_EMPTY
				      : ipa < (1ull << s2sz)        ? RTTE_NS
								     : 0u;
			uint64_t got = fk_read64(base + t * G + i * 8u);

			if (got != want)
				fail_msg("root %u entry %u (ipa 0x%llx): 0x%llx, want 0x%llx", t, i,
					 (unsigned long long)ipa, (unsigned long long)got,
					 (unsigned long long)want);
		}
	}
}

static const struct fk_call_rec *nth_call(enum ipc_service svc, uint16_t op, unsigned int nth)
{
	for (unsigned int i = 0; i < fk_ncalls(); i++) {
		const struct fk_call_rec *c = fk_call(i);

		if (c->svc == svc && (op == 0u || c->op == op) && nth-- == 0u)
			return c;
	}
	fail_msg("no call %u to service %d op %u", nth, svc, op);
	return NULL;
}

/* The decoded claim request of a recorded call (pa as the transport filled it). */
static struct granule_claim_req claim_req(const struct fk_call_rec *c)
{
	struct granule_claim_req r;

	assert_int_equal(c->svc, IPC_SVC_GRANULE);
	assert_int_equal(c->op, GRANULE_OP_CLAIM);
	assert_int_equal(granule_claim_req_decode(c->req, c->req_len, &r), IPC_OK);
	return r;
}

/* ---- RMI_REALM_CREATE success (rmi.md 6) ---- */

/* One level-0 root: RD content, root content, RIM (states.md 6.7), VMID reserved. */
static void create_single_root(void **state)
{
	struct realm_create_req p = params(RD_LO, ROOTS);
	struct rd r;

	(void)state;
	delegate(RD_LO);
	delegate(ROOTS);
	fk_clear_calls();
	assert_int_equal(create(&p), RMI_SUCCESS);
	assert_int_equal(fk_ncalls(), 4);	/* create, 2 claims, rim_init: checked below */
	assert_int_equal(gstate(RD_LO), GRANULE_GSTATE_RD);
	assert_int_equal(gstate(ROOTS), GRANULE_GSTATE_RTT);
	assert_int_equal(gstate(ROOTS + G), U);
	assert_roots(ROOTS, 1, 0, 40);
	assert_int_equal(fk_read64(ROOTS), RTTE_EMPTY);	/* [0, 512 GB) */
	assert_int_equal(fk_read64(ROOTS + 8), RTTE_NS);	/* [512 GB, 1 TB) */

	r = rd_of(RD_LO);
	assert_int_equal(r.s2.state, REALM_NEW);
	assert_int_equal(r.s2.s2sz, 40);
	assert_int_equal(r.s2.start_level, 0);
	assert_int_equal(r.s2.num_roots, 1);
	assert_int_equal(r.s2.rtt_base, ROOTS);
	assert_int_equal(r.s2.vmid, 1);
	assert_int_equal(r.s2.lpa2, 0);
	assert_int_equal(r.flags, 0);
	assert_int_equal(r.hash_algo, ATTEST_HASH_SHA256);
	assert_int_equal(r.num_bps, 1);
	assert_int_equal(r.num_wps, 1);
	assert_int_equal(r.sve_vl, 0);
	assert_int_equal(r.pmu_num_ctrs, 0);
	assert_int_equal(r.s2.rec_count, 0);
	assert_int_equal(r.rec_live, 0);
	assert_memory_equal(r.rpv, p.rpv, 64);
	/* measurements: algorithm word, RIM, REMs zero (states.md 6.1, 6.2) */
	assert_int_equal(fk_read64(RD_LO + RD_MEAS_OFF), ATTEST_HASH_SHA256);
	assert_slot_hex(RD_LO, 0, RIM_EX);
	assert_true(fk_is_zero(RD_LO + RD_MEAS_OFF + 8u + 64u, 4u * 64u));
	/* nothing else in the RD */
	assert_true(fk_is_zero(RD_LO + sizeof(struct rd), RD_MEAS_OFF - sizeof(struct rd)));
	assert_true(fk_is_zero(RD_LO + RD_MEAS_OFF + RD_MEAS_LEN, 4096 - RD_MEAS_OFF - RD_MEAS_LEN));

	/* the calls it made: rd then root (ascending), then the RIM through a forwarded lease */
	{
		struct granule_claim_req c0 = claim_req(fk_call(1)), c1 = claim_req(fk_call(2));
		struct attest_rim_init_req ri;

		assert_int_equal(fk_call(1)->caller, IPC_SVC_REALM);
		assert_int_equal(c0.gran.lease, 0);
		assert_int_equal(c0.gran.pa, RD_LO);
		assert_int_equal(c0.from, D);
		assert_int_equal(c0.to, GRANULE_GSTATE_RD);
		assert_int_equal(c1.gran.lease, IPC_LEASE_NEW);
		assert_int_equal(c1.gran.pa, ROOTS);
		assert_int_equal(c1.to, GRANULE_GSTATE_RTT);
		assert_int_equal(fk_call(3)->svc, IPC_SVC_ATTEST);
		assert_int_equal(attest_rim_init_req_decode(fk_call(3)->req, fk_call(3)->req_len, &ri),
				 IPC_OK);
		assert_int_equal(ri.meas.lease, 0);
		assert_int_equal(ri.meas.rights, IPC_RIGHTS_RW);
		assert_int_equal(ri.meas.offset, RD_MEAS_OFF);
		assert_int_equal(ri.meas.len, RD_MEAS_LEN);
		assert_int_equal(ri.s2sz, 40);
	}
	/* the VMID is now taken (rmi.md 6 step 2i) */
	assert_false(vmid_free(1));
	assert_true(vmid_free(2));
}

/* SHA-512 realm: algorithm word 1, 64-byte RIM; RD above the roots (claimed last). */
static void create_sha512_rd_above_roots(void **state)
{
	struct realm_create_req p = params(RD_HI, ROOTS);

	(void)state;
	p.hash_algo = ATTEST_HASH_SHA512;
	delegate(RD_HI);
	delegate(ROOTS);
	fk_clear_calls();
	assert_int_equal(create(&p), RMI_SUCCESS);
	assert_int_equal(fk_read64(RD_HI + RD_MEAS_OFF), ATTEST_HASH_SHA512);
	assert_slot_hex(RD_HI, 0, RIM_EX_512);
	/* ascending address order: the root first, then rd (rmi.md 6 step 4) */
	assert_int_equal(claim_req(nth_call(IPC_SVC_GRANULE, GRANULE_OP_CLAIM, 0)).gran.pa, ROOTS);
	assert_int_equal(claim_req(nth_call(IPC_SVC_GRANULE, GRANULE_OP_CLAIM, 1)).gran.pa, RD_HI);
}

/* Concatenated and LPA2 roots: every root RTT initialised (structures.md 11). */
static void create_concatenated_roots(void **state)
{
	static const struct {
		int level;
		uint32_t s2sz, n;
		uint64_t flags;
	} cfg[] = {
		{ 1, 40, 2, 0 },  { 1, 41, 4, 0 },  { 1, 42, 8, 0 },  { 1, 43, 16, 0 },
		{ 2, 32, 4, 0 },  { 2, 33, 8, 0 },  { 2, 34, 16, 0 }, { 1, 32, 1, 0 },
		{ 1, 39, 1, 0 },  { 0, 48, 1, 0 },  { 0, 49, 2, FLAG_LPA2 },
		{ 0, 52, 16, FLAG_LPA2 }, { -1, 49, 1, FLAG_LPA2 }, { -1, 52, 1, FLAG_LPA2 },
		{ 2, 34, 16, FLAG_LPA2 },
	};

	(void)state;
	delegate(RD_LO);
	delegate_n(ROOTS, 16);
	for (size_t i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
		struct realm_create_req p = params(RD_LO, ROOTS);
		struct rd r;

		p.rtt_level_start = (uint64_t)(int64_t)cfg[i].level;
		p.s2sz = cfg[i].s2sz;
		p.rtt_num_start = cfg[i].n;
		p.flags = cfg[i].flags;
		assert_int_equal(create(&p), RMI_SUCCESS);
		assert_states(ROOTS, cfg[i].n, GRANULE_GSTATE_RTT);
		assert_states(ROOTS + cfg[i].n * G, 16u - cfg[i].n, D);
		assert_roots(ROOTS, cfg[i].n, cfg[i].level, cfg[i].s2sz);
		r = rd_of(RD_LO);
		assert_int_equal(r.s2.start_level, cfg[i].level);
		assert_int_equal(r.s2.num_roots, cfg[i].n);
		assert_int_equal(r.s2.lpa2, cfg[i].flags & FLAG_LPA2 ? 1 : 0);
		assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
		assert_states(ROOTS, 16, D);
		assert_true(fk_is_zero(ROOTS, 4096));
	}
}

/* ---- RMI_REALM_CREATE parameter checks (rmi.md 6 step 2a-2i) ---- */

struct prow {
	const char *what;
	uint64_t flags;
	uint32_t s2sz;
	int64_t level;
	uint32_t num, sve, bps, wps, pmu, hash, vmid;
	uint64_t feat;
	unsigned int vmid_bits;
	int32_t expect;
};

#define OK RMI_SUCCESS
#define IN RMI_ERROR_INPUT
/* what, flags, s2sz, level, roots, sve_vl, bps, wps, pmu, hash, vmid, FEAT, vmid bits, status */
static const struct prow prows[] = {
	{ "baseline", 0, 40, 0, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2a LPA2 without FEAT.LPA2", FLAG_LPA2, 40, 0, 1, 0, 1, 1, 0, 0, 1, FEAT_NO_LPA2, 16, IN },
	{ "2a LPA2 with FEAT.LPA2", FLAG_LPA2, 40, 0, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2b s2sz 31", 0, 31, 1, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2b s2sz 32", 0, 32, 1, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2b s2sz > FEAT.S2SZ", 0, 41, 1, 4, 0, 1, 1, 0, 0, 1, FEAT_S2SZ(40), 16, IN },
	{ "2b s2sz = FEAT.S2SZ", 0, 40, 1, 2, 0, 1, 1, 0, 0, 1, FEAT_S2SZ(40), 16, OK },
	{ "2b s2sz 49 without LPA2", 0, 49, 0, 2, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2b s2sz 49 with LPA2", FLAG_LPA2, 49, 0, 2, 0, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2b s2sz 53 with LPA2", FLAG_LPA2, 53, 0, 16, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2c num_bps 0", 0, 40, 0, 1, 0, 0, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2c num_bps FEAT+1", 0, 40, 0, 1, 0, 6, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2c num_bps FEAT", 0, 40, 0, 1, 0, 5, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2c num_wps 0", 0, 40, 0, 1, 0, 1, 0, 0, 0, 1, FEAT, 16, IN },
	{ "2c num_wps FEAT+1", 0, 40, 0, 1, 0, 1, 4, 0, 0, 1, FEAT, 16, IN },
	{ "2c num_wps FEAT", 0, 40, 0, 1, 0, 1, 3, 0, 0, 1, FEAT, 16, OK },
	{ "2c num_bps 2^32-1", 0, 40, 0, 1, 0, 0xffffffffu, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2d SVE without FEAT.SVE_EN", FLAG_SVE, 40, 0, 1, 0, 1, 1, 0, 0, 1, FEAT_NO_SVE, 16, IN },
	{ "2d SVE VL > FEAT.SVE_VL", FLAG_SVE, 40, 0, 1, 16, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2d SVE VL = FEAT.SVE_VL", FLAG_SVE, 40, 0, 1, 15, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2d sve_vl unchecked without SVE", 0, 40, 0, 1, 16, 1, 1, 0, 0, 1, FEAT_NO_SVE, 16, OK },
	{ "2e PMU ctrs > FEAT", FLAG_PMU, 40, 0, 1, 0, 1, 1, 7, 0, 1, FEAT, 16, IN },
	{ "2e PMU ctrs = FEAT", FLAG_PMU, 40, 0, 1, 0, 1, 1, 6, 0, 1, FEAT, 16, OK },
	{ "2e PMU 0 ctrs (no FEAT_HPMN0 known)", FLAG_PMU, 40, 0, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2e ctrs unchecked without PMU", 0, 40, 0, 1, 0, 1, 1, 31, 0, 1, FEAT, 16, OK },
	{ "2f L0 s2sz 39", 0, 39, 0, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L0 with PARange < 44", 0, 40, 0, 1, 0, 1, 1, 0, 0, 1, FEAT_S2SZ(42), 16, IN },
	{ "2f L1 with PARange 42", 0, 40, 1, 2, 0, 1, 1, 0, 0, 1, FEAT_S2SZ(42), 16, OK },
	{ "2f L1 s2sz 44", 0, 44, 1, 16, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L2 s2sz 35", 0, 35, 2, 16, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L3", 0, 32, 3, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L-1 without LPA2", 0, 48, -1, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L-1 s2sz 48", FLAG_LPA2, 48, -1, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L-1 s2sz 52", FLAG_LPA2, 52, -1, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2f L4", 0, 40, 4, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L-2", FLAG_LPA2, 52, -2, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L 2^32-1 (not -1)", FLAG_LPA2, 52, 0xffffffffll, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L 2^32 (not 0)", 0, 40, 0x100000000ll, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2f L INT64_MIN", 0, 40, INT64_MIN, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2g L1 s2sz 40 with 1 root", 0, 40, 1, 1, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2g L1 s2sz 40 with 4 roots", 0, 40, 1, 4, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2g L1 s2sz 40 with 2 roots", 0, 40, 1, 2, 0, 1, 1, 0, 0, 1, FEAT, 16, OK },
	{ "2g 0 roots", 0, 40, 0, 0, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2g L0 s2sz 40 with 2 roots", 0, 40, 0, 2, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2g 2^32-1 roots", 0, 40, 0, 0xffffffffu, 0, 1, 1, 0, 0, 1, FEAT, 16, IN },
	{ "2h hash 2", 0, 40, 0, 1, 0, 1, 1, 0, 2, 1, FEAT, 16, IN },
	{ "2h hash 0xff", 0, 40, 0, 1, 0, 1, 1, 0, 0xff, 1, FEAT, 16, IN },
	{ "2h hash SHA-512", 0, 40, 0, 1, 0, 1, 1, 0, 1, 1, FEAT, 16, OK },
	{ "2i VMID 0", 0, 40, 0, 1, 0, 1, 1, 0, 0, 0, FEAT, 16, OK },
	{ "2i VMID 65535", 0, 40, 0, 1, 0, 1, 1, 0, 0, 65535, FEAT, 16, OK },
	{ "2i VMID 65536", 0, 40, 0, 1, 0, 1, 1, 0, 0, 65536, FEAT, 16, IN },
	{ "2i VMID 2^32-1", 0, 40, 0, 1, 0, 1, 1, 0, 0, 0xffffffffu, FEAT, 16, IN },
	{ "2i 8-bit VMIDs: 256", 0, 40, 0, 1, 0, 1, 1, 0, 0, 256, FEAT, 8, IN },
	{ "2i 8-bit VMIDs: 255", 0, 40, 0, 1, 0, 1, 1, 0, 0, 255, FEAT, 8, OK },
};
#undef OK
#undef IN

/*
 * Each row: the expected status; a refused request makes no call to any
 * other service and changes nothing (granule states, memory, VMIDs).
 */
static void create_parameter_checks(void **state)
{
	(void)state;
	delegate(RD_LO);
	delegate_n(ROOTS, 16);
	for (size_t i = 0; i < sizeof(prows) / sizeof(prows[0]); i++) {
		const struct prow *w = &prows[i];
		struct realm_create_req p = params(RD_LO, ROOTS);
		int32_t got;

		p.flags = w->flags;
		p.s2sz = w->s2sz;
		p.rtt_level_start = (uint64_t)w->level;
		p.rtt_num_start = w->num;
		p.sve_vl = w->sve;
		p.num_bps = w->bps;
		p.num_wps = w->wps;
		p.pmu_num_ctrs = w->pmu;
		p.hash_algo = w->hash;
		p.vmid = w->vmid;
		fk_set_feat_reg0(w->feat);
		fk_set_vmid_bits(w->vmid_bits);
		fk_clear_calls();
		got = create(&p);
		if (got != w->expect)
			fail_msg("%s: status %d, want %d", w->what, got, w->expect);
		if (got == RMI_SUCCESS) {
			assert_int_equal(gstate(RD_LO), GRANULE_GSTATE_RD);
			assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
		} else {
			if (fk_ncalls() != 1u)
				fail_msg("%s: %u calls after a parameter failure", w->what, fk_ncalls() - 1u);
			assert_true(fk_is_zero(RD_LO, 4096));
		}
		assert_int_equal(gstate(RD_LO), D);
		assert_states(ROOTS, 16, D);
	}
	fk_set_feat_reg0(FEAT);
	fk_set_vmid_bits(16);
	/* no VMID of a refused request was reserved */
	assert_true(vmid_free(65535));
	assert_true(vmid_free(1));
}

/* Number of root RTTs for (level, LPA2, s2sz): the table of structures.md 11; 0 = invalid. */
static uint32_t spec_roots(int level, bool lpa2, uint32_t s2sz)
{
	switch (level) {
	case -1:
		return lpa2 && s2sz >= 49 && s2sz <= 52 ? 1 : 0;
	case 0:
		if (s2sz >= 40 && s2sz <= 48)
			return 1;
		return lpa2 && s2sz >= 49 && s2sz <= 52 ? 1u << (s2sz - 48) : 0;
	case 1:
		if (s2sz >= 32 && s2sz <= 39)
			return 1;
		return s2sz >= 40 && s2sz <= 43 ? 1u << (s2sz - 39) : 0;
	case 2:
		return s2sz >= 32 && s2sz <= 34 ? 4u << (s2sz - 32) : 0;
	default:
		return 0;
	}
}

/* Every (level, LPA2, s2sz, rtt_num_start) combination against structures.md 11. */
static void create_level_s2sz_table(void **state)
{
	static const uint32_t nums[] = { 0, 1, 2, 4, 8, 16, 32 };
	unsigned int ok = 0;

	(void)state;
	delegate(RD_LO);
	delegate_n(ROOTS, 16);
	for (int level = -2; level <= 4; level++) {
		for (int lpa2 = 0; lpa2 < 2; lpa2++) {
			for (uint32_t s2sz = 28; s2sz <= 54; s2sz++) {
				for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
					struct realm_create_req p = params(RD_LO, ROOTS);
					bool valid = spec_roots(level, lpa2, s2sz) == nums[k] && nums[k] != 0;
					int32_t got;

					p.rtt_level_start = (uint64_t)(int64_t)level;
					p.flags = lpa2 ? FLAG_LPA2 : 0;
					p.s2sz = s2sz;
					p.rtt_num_start = nums[k];
					got = create(&p);
					if (got != (valid ? RMI_SUCCESS : RMI_ERROR_INPUT))
						fail_msg("L%d lpa2 %d s2sz %u roots %u: %d", level, lpa2, s2sz,
							 nums[k], got);
					if (valid) {
						assert_roots(ROOTS, nums[k], level, s2sz);
						assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
						ok++;
					}
				}
			}
		}
	}
	assert_int_equal(ok, 56);	/* the valid combinations of the table */
	assert_states(ROOTS, 16, D);
}

/* VMIDs are unique among live realms and reusable after destroy (2i, rmi.md 8). */
static void create_vmid_reuse(void **state)
{
	struct realm_create_req a = params(RD_LO, ROOTS), b = params(RD_B, ROOTS_B);

	(void)state;
	delegate(RD_LO);
	delegate(ROOTS);
	delegate(RD_B);
	delegate(ROOTS_B);
	a.vmid = b.vmid = 7;
	assert_int_equal(create(&a), RMI_SUCCESS);
	fk_clear_calls();
	assert_int_equal(create(&b), RMI_ERROR_INPUT);
	assert_int_equal(fk_ncalls(), 1);			/* refused before any claim */
	assert_int_equal(gstate(RD_B), D);
	assert_int_equal(gstate(ROOTS_B), D);
	b.vmid = 8;
	assert_int_equal(create(&b), RMI_SUCCESS);		/* another VMID is fine */
	assert_int_equal(destroy(RD_B), RMI_SUCCESS);
	assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
	b.vmid = 7;
	assert_int_equal(create(&b), RMI_SUCCESS);		/* freed by destroy */
}

/* rmi.md 6 step 3 [alias]: rd inside the root RTT range; and VTTBR alignment. */
static void create_alias_and_alignment(void **state)
{
	struct realm_create_req p = params(ROOTS, ROOTS);

	(void)state;
	delegate_n(ROOTS, 16);
	fk_clear_calls();
	assert_int_equal(create(&p), RMI_ERROR_INPUT);		/* rd == rtt_base */
	p = params(ROOTS + 3 * G, ROOTS);
	p.rtt_level_start = 1;
	p.s2sz = 41;
	p.rtt_num_start = 4;
	assert_int_equal(create(&p), RMI_ERROR_INPUT);		/* rd == last root */
	/* concatenated roots must be aligned to their total size (rmi.md 6, "recommended") */
	p = params(RD_LO, ROOTS + G);
	p.rtt_level_start = 1;
	p.s2sz = 40;
	p.rtt_num_start = 2;
	assert_int_equal(create(&p), RMI_ERROR_INPUT);
	assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, 0), 0);
	assert_states(ROOTS, 16, D);
	/* just past the range is not an alias */
	p = params(ROOTS + 4 * G, ROOTS);
	p.rtt_level_start = 1;
	p.s2sz = 41;
	p.rtt_num_start = 4;
	assert_int_equal(create(&p), RMI_SUCCESS);
	assert_int_equal(gstate(ROOTS + 4 * G), GRANULE_GSTATE_RD);
}

/* ---- RMI_REALM_CREATE claim failures and rollback (rmi.md 6 step 4) ---- */

/* After a refused create: everything DELEGATED and zero, the VMID still free. */
static void assert_rolled_back(uint64_t rd, uint64_t roots, unsigned int n, uint32_t vmid)
{
	if (gstate(rd) != U) {
		assert_int_equal(gstate(rd), D);
		assert_true(fk_is_zero(rd, 4096));
	}
	for (unsigned int i = 0; i < n; i++) {
		if (gstate(roots + i * G) == D)
			assert_true(fk_is_zero(roots + i * G, 4096));
	}
	assert_true(vmid_free(vmid));
}

/* rd not DELEGATED, claimed first (rd < rtt_base): nothing else is touched. */
static void create_rd_not_delegated_first(void **state)
{
	struct realm_create_req p = params(RD_LO, ROOTS);

	(void)state;
	p.rtt_level_start = 1;
	p.s2sz = 41;
	p.rtt_num_start = 4;
	delegate_n(ROOTS, 4);
	fk_clear_calls();
	assert_int_equal(create(&p), RMI_ERROR_INPUT);
	assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, GRANULE_OP_CLAIM), 1);
	assert_states(ROOTS, 4, D);
	assert_rolled_back(RD_LO, ROOTS, 4, 1);
}

/* rd claimed last (rd > rtt_base) and not DELEGATED: the 4 roots are given back. */
static void create_rd_not_delegated_last(void **state)
{
	struct realm_create_req p = params(RD_HI, ROOTS);

	(void)state;
	p.rtt_level_start = 1;
	p.s2sz = 41;
	p.rtt_num_start = 4;
	delegate_n(ROOTS, 4);
	fk_clear_calls();
	assert_int_equal(create(&p), RMI_ERROR_INPUT);
	/* 4 claims D -> RTT, the failed rd claim, then 4 claims RTT -> D on the same granules */
	assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, GRANULE_OP_CLAIM), 9);
	for (unsigned int i = 0; i < 4; i++) {
		struct granule_claim_req take = claim_req(nth_call(IPC_SVC_GRANULE, GRANULE_OP_CLAIM, i));
		struct granule_claim_req undo = claim_req(nth_call(IPC_SVC_GRANULE, GRANULE_OP_CLAIM, 5 + i));

		assert_int_equal(take.gran.pa, ROOTS + i * G);
		assert_int_equal(take.to, GRANULE_GSTATE_RTT);
		assert_int_equal(undo.gran.pa, ROOTS + i * G);
		assert_int_equal(undo.from, GRANULE_GSTATE_RTT);
		assert_int_equal(undo.to, D);
	}
	assert_states(ROOTS, 4, D);
	assert_int_equal(gstate(RD_HI), U);
	assert_rolled_back(RD_HI, ROOTS, 4, 1);
}

/* A root in the middle not DELEGATED (UNDELEGATED, or another object): rd and earlier roots back. */
static void create_root_not_delegated(void **state)
{
	static const uint32_t bad_state[] = { U, GRANULE_GSTATE_DATA, GRANULE_GSTATE_RTT };

	(void)state;
	delegate(RD_LO);
	delegate_n(ROOTS, 4);
	for (size_t k = 0; k < 3; k++) {
		struct realm_create_req p = params(RD_LO, ROOTS);
		struct granule_claim_req c = { .gran = gref(ROOTS + 2 * G), .from = D,
					       .to = bad_state[k] };
		struct granule_undelegate_req u = { .gran = gref(ROOTS + 2 * G) };
		int32_t s;

		p.rtt_level_start = 1;
		p.s2sz = 41;
		p.rtt_num_start = 4;
		if (bad_state[k] == U)
			assert_int_equal(granule_undelegate(&u, &s), IPC_OK);
		else
			assert_int_equal(granule_claim(&c, &s), IPC_OK);
		assert_int_equal(s, GRANULE_GSTATUS_OK);
		fk_clear_calls();
		assert_int_equal(create(&p), RMI_ERROR_INPUT);
		assert_int_equal(gstate(RD_LO), D);
		assert_int_equal(gstate(ROOTS), D);
		assert_int_equal(gstate(ROOTS + G), D);
		assert_int_equal(gstate(ROOTS + 2 * G), bad_state[k]);
		assert_int_equal(gstate(ROOTS + 3 * G), D);	/* never claimed */
		assert_int_equal(fk_count_calls(IPC_SVC_ATTEST, 0), 0);
		assert_rolled_back(RD_LO, ROOTS, 4, 1);
		/* put root 2 back to DELEGATED for the next case */
		if (bad_state[k] == U) {
			delegate(ROOTS + 2 * G);
		} else {
			struct granule_release_req r = { .gran = gref(ROOTS + 2 * G),
							 .from = bad_state[k] };

			assert_int_equal(granule_release(&r, &s), IPC_OK);
		}
	}
}

/* Roots past the end of DRAM: the claim is refused by the transport, rd is given back. */
static void create_roots_outside_dram(void **state)
{
	struct realm_create_req p = params(RD_LO, g(NGRAN));

	(void)state;
	delegate(RD_LO);
	assert_int_equal(create(&p), RMI_ERROR_INPUT);
	assert_int_equal(gstate(RD_LO), D);
	assert_rolled_back(RD_LO, RD_LO, 0, 1);
	/* two roots, the second one past the end */
	p = params(RD_LO, g(NGRAN - 2));
	p.rtt_level_start = 1;
	p.rtt_num_start = 2;
	delegate(g(NGRAN - 2));
	delegate(g(NGRAN - 1));
	assert_int_equal(create(&p), RMI_SUCCESS);	/* the last two granules do fit */
	assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
	p = params(RD_LO, g(NGRAN - 1));
	p.rtt_level_start = 1;
	p.rtt_num_start = 2;
	assert_int_equal(create(&p), RMI_ERROR_INPUT);	/* misaligned for 2 roots anyway */
	assert_states(g(NGRAN - 2), 2, D);
}

/* Scripted collaborator failures: a claim refused or a transport error mid-way. */
static void create_scripted_claim_failures(void **state)
{
	static const struct {
		unsigned int nth;	/* which granule claim fails */
		enum ipc_status t;
		int32_t s;
	} f[] = {
		{ 1, IPC_OK, GRANULE_GSTATUS_BAD_STATE },
		{ 3, IPC_E_BAD_REPLY, 0 },
		{ 0, IPC_E_QUEUE_FULL, 0 },
		{ 4, IPC_OK, GRANULE_GSTATUS_BAD_ADDR },
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		struct realm_create_req p = params(RD_LO, ROOTS);

		p.rtt_level_start = 1;
		p.s2sz = 41;
		p.rtt_num_start = 4;
		setup(state);	/* fresh services, script and memory */
		delegate(RD_LO);
		delegate_n(ROOTS, 4);
		fk_clear_calls();
		fk_script_status(IPC_SVC_GRANULE, GRANULE_OP_CLAIM, f[k].nth, f[k].t, f[k].s);
		assert_int_equal(create(&p), RMI_ERROR_INPUT);
		/* the real granule service agrees: everything back to DELEGATED */
		assert_int_equal(gstate(RD_LO), D);
		assert_states(ROOTS, 4, D);
		assert_int_equal(fk_count_calls(IPC_SVC_ATTEST, 0), 0);
		/* f[k].nth claims went through before; each of them undone */
		assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, GRANULE_OP_CLAIM), 2 * f[k].nth + 1);
		assert_rolled_back(RD_LO, ROOTS, 4, 1);
	}
}

/* After the claims: RIM, root initialisation or RD write failing -> all zeroed and given back. */
static void create_late_failures_roll_back(void **state)
{
	for (int k = 0; k < 5; k++) {
		struct realm_create_req p = params(RD_LO, ROOTS);

		setup(state);
		p.rtt_level_start = 1;
		p.s2sz = 41;
		p.rtt_num_start = 4;
		delegate(RD_LO);
		delegate_n(ROOTS, 4);
		switch (k) {
		case 0:	/* attestation service refuses the RIM */
			fk_script_status(IPC_SVC_ATTEST, ATTEST_OP_RIM_INIT, 0, IPC_OK,
					 ATTEST_ASTATUS_CRYPTO);
			break;
		case 1:	/* transport error on the RIM */
			fk_script_status(IPC_SVC_ATTEST, ATTEST_OP_RIM_INIT, 0, IPC_E_NO_SERVICE, 0);
			break;
		case 2:	/* kernel refuses to initialise a root (the third one) */
			fk_inject(FK_RTT_INIT, 4, 1);
			break;
		case 3:	/* the RD write (after attest's one write) */
			fk_inject(FK_LEASE_WRITE, 1, 1);
			break;
		default: /* attest's own write of the algorithm word and RIM */
			fk_inject(FK_LEASE_WRITE, 0, 1);
			break;
		}
		assert_int_equal(create(&p), RMI_ERROR_INPUT);
		assert_int_equal(gstate(RD_LO), D);
		assert_states(ROOTS, 4, D);
		assert_true(fk_is_zero(RD_LO, 4096));
		for (unsigned int i = 0; i < 4; i++)
			assert_true(fk_is_zero(ROOTS + i * G, 4096));
		assert_rolled_back(RD_LO, ROOTS, 4, 1);
	}
}

/*
 * Scripted collaborators only (no real granule/attest service): create
 * works from the transport's lease grants alone (svc_api.h: a successful
 * claim activates the lease; IPC_LEASE_NEW appends one).
 */
static void create_against_scripted_collaborators(void **state)
{
	struct realm_create_req p = params(RD_HI, ROOTS);

	(void)state;
	fk_register(IPC_SVC_GRANULE, granule_ops, granule_ops_count, NULL);
	fk_register(IPC_SVC_ATTEST, attest_ops, attest_ops_count, NULL);
	p.rtt_level_start = 1;
	p.rtt_num_start = 2;
	fk_clear_calls();
	assert_int_equal(create(&p), RMI_SUCCESS);
	assert_roots(ROOTS, 2, 1, 40);
	assert_int_equal(rd_of(RD_HI).s2.state, REALM_NEW);
	assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, GRANULE_OP_CLAIM), 3);
	assert_int_equal(fk_count_calls(IPC_SVC_ATTEST, ATTEST_OP_RIM_INIT), 1);
	for (unsigned int i = 1; i < fk_ncalls(); i++)
		assert_true(fk_call(i)->scripted);
	/* a refused claim activates nothing: the root write is never attempted */
	setup(state);
	fk_register(IPC_SVC_GRANULE, granule_ops, granule_ops_count, NULL);
	fk_register(IPC_SVC_ATTEST, attest_ops, attest_ops_count, NULL);
	fk_script_status(IPC_SVC_GRANULE, GRANULE_OP_CLAIM, 1, IPC_OK, GRANULE_GSTATUS_BAD_STATE);
	assert_int_equal(create(&p), RMI_ERROR_INPUT);
	assert_int_equal(fk_calls(FK_RTT_INIT), 0);
	assert_true(fk_is_zero(ROOTS, 4096));
	assert_true(fk_is_zero(ROOTS + G, 4096));
	assert_true(fk_is_zero(RD_HI, 4096));
}

/* ---- RMI_REALM_ACTIVATE (rmi.md 7), RMI_REC_AUX_COUNT (rmi.md 9) ---- */

static void make_realm(uint64_t rd, uint64_t roots, uint32_t vmid)
{
	struct realm_create_req p = params(rd, roots);

	p.vmid = vmid;
	delegate(rd);
	delegate(roots);
	assert_int_equal(create(&p), RMI_SUCCESS);
}

static void activate_state_machine(void **state)
{
	uint64_t before[512];
	struct rd r;

	(void)state;
	make_realm(RD_LO, ROOTS, 1);
	memcpy(before, fk_mem(RD_LO), 4096);
	assert_int_equal(activate(RD_LO), RMI_SUCCESS);
	r = rd_of(RD_LO);
	assert_int_equal(r.s2.state, REALM_ACTIVE);
	/* only the state changed */
	((struct rd *)(void *)before)->s2.state = REALM_ACTIVE;
	assert_memory_equal(fk_mem(RD_LO), before, 4096);
	/* ACTIVE -> activate again: RMI_ERROR_REALM, unchanged */
	assert_int_equal(activate(RD_LO), RMI_ERROR_REALM);
	assert_memory_equal(fk_mem(RD_LO), before, 4096);
	/* SYSTEM_OFF as well */
	((struct rd *)(void *)fk_mem(RD_LO))->s2.state = REALM_SYSTEM_OFF;
	assert_int_equal(activate(RD_LO), RMI_ERROR_REALM);
	assert_int_equal(rd_of(RD_LO).s2.state, REALM_SYSTEM_OFF);
}

/* rd_state: not an RD granule -> RMI_ERROR_INPUT for activate, aux_count and destroy. */
static void rd_ops_need_an_rd(void **state)
{
	static const uint64_t not_rd[] = { RD_B, g(5), ROOTS };
	uint64_t count = 0;

	(void)state;
	make_realm(RD_LO, ROOTS, 1);
	delegate(g(5));
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(activate(not_rd[i]), RMI_ERROR_INPUT);
		assert_int_equal(aux_count(not_rd[i], &count), RMI_ERROR_INPUT);
		assert_int_equal(destroy(not_rd[i]), RMI_ERROR_INPUT);
	}
	assert_int_equal(gstate(RD_B), U);
	assert_int_equal(gstate(g(5)), D);
	assert_int_equal(gstate(ROOTS), GRANULE_GSTATE_RTT);
	assert_int_equal(rd_of(RD_LO).s2.state, REALM_NEW);
	/* outside DRAM: refused by the realm decoder (the kernel checks it earlier) */
	assert_int_equal(activate(g(NGRAN)), TERR(IPC_E_BAD_FIELD));
	assert_int_equal(aux_count(RD_LO + 8, &count), TERR(IPC_E_BAD_FIELD));
}

static void aux_count_is_16(void **state)
{
	uint64_t count = 0;

	(void)state;
	make_realm(RD_LO, ROOTS, 1);
	assert_int_equal(aux_count(RD_LO, &count), RMI_SUCCESS);
	assert_int_equal(count, REC_AUX_COUNT);
	assert_int_equal(count, 16);
	assert_int_equal(activate(RD_LO), RMI_SUCCESS);
	count = 0;
	assert_int_equal(aux_count(RD_LO, &count), RMI_SUCCESS);
	assert_int_equal(count, 16);
}

/* ---- RMI_REALM_DESTROY (rmi.md 8) ---- */

/* A realm with RECs (RD refcount != 0) is live: RMI_ERROR_REALM, nothing changes. */
static void destroy_with_recs_is_refused(void **state)
{
	uint8_t rd_before[4096], root_before[4096];

	(void)state;
	make_realm(RD_LO, ROOTS, 3);
	((struct rd *)(void *)fk_mem(RD_LO))->rec_live = 1;
	memcpy(rd_before, fk_mem(RD_LO), 4096);
	memcpy(root_before, fk_mem(ROOTS), 4096);
	assert_int_equal(destroy(RD_LO), RMI_ERROR_REALM);
	assert_memory_equal(fk_mem(RD_LO), rd_before, 4096);
	assert_memory_equal(fk_mem(ROOTS), root_before, 4096);
	assert_int_equal(gstate(RD_LO), GRANULE_GSTATE_RD);
	assert_int_equal(gstate(ROOTS), GRANULE_GSTATE_RTT);
	assert_false(vmid_free(3));
	((struct rd *)(void *)fk_mem(RD_LO))->rec_live = 0;
	assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
	assert_true(vmid_free(3));
}

/* A root RTT with a TABLE or protected ASSIGNED entry is live: RMI_ERROR_REALM. */
static void destroy_with_live_root_is_refused(void **state)
{
	static const uint64_t live[] = {
		0x80030000ull | 3u,		/* TABLE */
		0x80030000ull | 4u,		/* ASSIGNED_EMPTY (HIPAS = 1) */
		0x80030000ull | 4u | 0x40u,	/* ASSIGNED_DESTROYED */
	};
	struct realm_create_req p = params(RD_LO, ROOTS);

	(void)state;
	p.rtt_level_start = 1;
	p.s2sz = 41;
	p.rtt_num_start = 4;
	delegate(RD_LO);
	delegate_n(ROOTS, 4);
	assert_int_equal(create(&p), RMI_SUCCESS);
	for (size_t k = 0; k < 3; k++) {
		uint64_t at = ROOTS + 3 * G + 511 * 8;	/* last entry of the last root */
		uint64_t old = fk_read64(at);

		fk_write64(at, live[k]);
		assert_int_equal(destroy(RD_LO), RMI_ERROR_REALM);
		assert_int_equal(gstate(RD_LO), GRANULE_GSTATE_RD);
		assert_states(ROOTS, 4, GRANULE_GSTATE_RTT);
		assert_int_equal(fk_read64(at), live[k]);
		fk_write64(at, old);
	}
	/* an unprotected mapping (ASSIGNED_NS) does not count */
	fk_write64(ROOTS + 3 * G, RTTE_NS | 0x80030000ull | (1ull << 10) | 1u);
	assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
}

/* Success: RD and roots zeroed and DELEGATED, VMID free again; works from ACTIVE too. */
static void destroy_releases_everything(void **state)
{
	struct realm_create_req p = params(RD_HI, ROOTS);

	(void)state;
	p.rtt_level_start = 2;
	p.s2sz = 34;
	p.rtt_num_start = 16;
	p.vmid = 99;
	delegate(RD_HI);
	delegate_n(ROOTS, 16);
	assert_int_equal(create(&p), RMI_SUCCESS);
	assert_int_equal(activate(RD_HI), RMI_SUCCESS);
	assert_false(vmid_free(99));
	fk_clear_calls();
	assert_int_equal(destroy(RD_HI), RMI_SUCCESS);
	assert_int_equal(gstate(RD_HI), D);
	assert_true(fk_is_zero(RD_HI, 4096));
	assert_states(ROOTS, 16, D);
	for (unsigned int i = 0; i < 16; i++)
		assert_true(fk_is_zero(ROOTS + i * G, 4096));
	assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, GRANULE_OP_RELEASE), 17);
	assert_true(vmid_free(99));
	/* and it is gone */
	assert_int_equal(destroy(RD_HI), RMI_ERROR_INPUT);
	assert_int_equal(activate(RD_HI), RMI_ERROR_INPUT);
}

/* An RD naming roots that are not RTTs (corrupted): refused, nothing released. */
static void destroy_with_broken_rd_changes_nothing(void **state)
{
	(void)state;
	make_realm(RD_LO, ROOTS, 4);
	delegate(g(30));
	((struct rd *)(void *)fk_mem(RD_LO))->s2.rtt_base = g(30);
	assert_int_equal(destroy(RD_LO), RMI_ERROR_INPUT);
	assert_int_equal(gstate(RD_LO), GRANULE_GSTATE_RD);
	assert_int_equal(gstate(ROOTS), GRANULE_GSTATE_RTT);
	assert_int_equal(gstate(g(30)), D);
	assert_false(vmid_free(4));
}

/* ---- the stage-2 ops on top: a live root from RTT_CREATE, and the states.md 6.7 RIMs ---- */

static int32_t rtt_create(uint64_t rd, uint64_t rtt, uint64_t ipa, int64_t level)
{
	struct realm_rtt_create_req r = { .rd = gref(rd), .rtt = gref(rtt), .ipa = ipa,
					  .level = (uint64_t)level };
	int32_t s = -99;
	enum ipc_status t = realm_rtt_create(&r, &s);

	return result(t, s);
}

static int32_t rtt_destroy(uint64_t rd, uint64_t ipa, int64_t level, uint64_t *rtt)
{
	struct realm_rtt_destroy_req r = { .rd = gref(rd), .ipa = ipa, .level = (uint64_t)level };
	struct realm_rtt_destroy_rep rep = { 0 };
	int32_t s = -99;
	enum ipc_status t = realm_rtt_destroy(&r, &rep, &s);

	*rtt = rep.rtt;
	return result(t, s);
}

static void realm_life_with_tables_and_data(void **state)
{
	const uint64_t t1 = g(4), t2 = g(5), t3 = g(6), data = g(9), src = g(10);
	struct realm_rtt_init_ripas_req ir = { .rd = gref(RD_LO), .base = 0, .top = 0x1000 };
	struct realm_rtt_init_ripas_rep irep = { 0 };
	struct realm_data_create_req dc = { .rd = gref(RD_LO), .data = gref(data), .ipa = 0,
					    .src = src, .flags = 1 };
	struct realm_data_destroy_req dd = { .rd = gref(RD_LO), .ipa = 0 };
	struct realm_data_destroy_rep drep = { 0 };
	uint64_t rtt = 0;
	int32_t s = -99;

	(void)state;
	make_realm(RD_LO, ROOTS, 1);		/* the states.md 6.7 realm */
	assert_slot_hex(RD_LO, 0, RIM_EX);
	delegate_n(t1, 3);
	delegate(data);
	/* tables down to level 3 at IPA 0 */
	assert_int_equal(rtt_create(RD_LO, t1, 0, 1), RMI_SUCCESS);
	assert_int_equal(rtt_create(RD_LO, t2, 0, 2), RMI_SUCCESS);
	assert_int_equal(rtt_create(RD_LO, t3, 0, 3), RMI_SUCCESS);
	assert_int_equal(fk_read64(ROOTS), t1 | 3u);
	assert_int_equal(fk_read64(t1), t2 | 3u);
	assert_int_equal(fk_read64(t2), t3 | 3u);
	assert_int_equal(gstate(t3), GRANULE_GSTATE_RTT);
	/* the root is live now: REALM_DESTROY refused */
	assert_int_equal(destroy(RD_LO), RMI_ERROR_REALM);
	/* states.md 6.7 step 2: RTT_INIT_RIPAS [0, 4K) */
	assert_int_equal(realm_rtt_init_ripas(&ir, &irep, &s), IPC_OK);
	assert_int_equal(s, RMI_SUCCESS);
	assert_int_equal(irep.top, 0x1000);
	assert_int_equal(fk_read64(t3), FK_RTTE_UNASSIGNED_RAM);
	assert_slot_hex(RD_LO, 0, RIM_EX_RIPAS);
	/* step 3: DATA_CREATE ipa 0 from a zero NS page, content measured */
	assert_int_equal(realm_data_create(&dc, &s), IPC_OK);
	assert_int_equal(s, RMI_SUCCESS);
	assert_slot_hex(RD_LO, 0, RIM_EX_DATA);
	assert_int_equal(gstate(data), GRANULE_GSTATE_DATA);
	assert_int_equal(fk_read64(t3) & 0x0000fffffffff000ull, data);
	/* teardown in the order of states.md 1 */
	assert_int_equal(realm_data_destroy(&dd, &drep, &s), IPC_OK);
	assert_int_equal(s, RMI_SUCCESS);
	assert_int_equal(drep.data, data);
	assert_int_equal(rtt_destroy(RD_LO, 0, 3, &rtt), RMI_SUCCESS);
	assert_int_equal(rtt, t3);
	assert_int_equal(rtt_destroy(RD_LO, 0, 2, &rtt), RMI_SUCCESS);
	assert_int_equal(rtt_destroy(RD_LO, 0, 1, &rtt), RMI_SUCCESS);
	assert_int_equal(rtt, t1);
	assert_int_equal(destroy(RD_LO), RMI_SUCCESS);
	assert_states(t1, 3, D);
	assert_int_equal(gstate(data), D);
	assert_true(fk_is_zero(data, 4096));
	assert_int_equal(gstate(RD_LO), D);
}

/*
 * RSI_REALM_CONFIG's destination is written only if it is still the page the
 * realm's tables map at the IPA the kernel found it at (the service runs
 * holding the realm's lock; a page destroyed or remapped in between is
 * refused and left alone).
 */
static void realm_config_checks_the_page_at_its_ipa(void **state)
{
	const uint64_t t1 = g(4), t2 = g(5), t3 = g(6), data = g(9), other = g(11), src = g(10);
	struct realm_rtt_init_ripas_req ir = { .rd = gref(RD_LO), .base = 0, .top = 0x2000 };
	struct realm_rtt_init_ripas_rep irep = { 0 };
	struct realm_data_create_req dc = { .rd = gref(RD_LO), .data = gref(data), .ipa = 0,
					    .src = src, .flags = 0 };
	struct realm_realm_config_req rc = { .rd = gref(RD_LO), .dst = gref(data), .ipa = 0 };
	int32_t s = -99;

	(void)state;
	make_realm(RD_LO, ROOTS, 1);
	delegate_n(t1, 3);
	delegate(data);
	delegate(other);
	assert_int_equal(rtt_create(RD_LO, t1, 0, 1), RMI_SUCCESS);
	assert_int_equal(rtt_create(RD_LO, t2, 0, 2), RMI_SUCCESS);
	assert_int_equal(rtt_create(RD_LO, t3, 0, 3), RMI_SUCCESS);
	assert_int_equal(realm_rtt_init_ripas(&ir, &irep, &s), IPC_OK);
	assert_int_equal(realm_data_create(&dc, &s), IPC_OK);
	assert_int_equal(s, RMI_SUCCESS);
	dc.data = gref(other);
	dc.ipa = 0x1000;
	assert_int_equal(realm_data_create(&dc, &s), IPC_OK);
	assert_int_equal(s, RMI_SUCCESS);

	/* the page at IPA 0 is `data`: written */
	assert_int_equal(realm_realm_config(&rc, &s), IPC_OK);
	assert_int_equal(s, 0);
	assert_int_equal(fk_read64(data), 40);		/* ipa_width = s2sz */
	/* a DATA granule of the realm, but not the one mapped at that IPA: refused */
	rc.ipa = 0x1000;
	fk_fill(data, 0, 4096);
	assert_int_equal(realm_realm_config(&rc, &s), IPC_OK);
	assert_int_equal(s, RMI_ERROR_INPUT);
	assert_true(fk_is_zero(data, 4096));
	/* an IPA with no data (or outside the tables): refused */
	rc.ipa = 0x2000;
	assert_int_equal(realm_realm_config(&rc, &s), IPC_OK);
	assert_int_equal(s, RMI_ERROR_INPUT);
	rc.ipa = 1ull << 39;
	assert_int_equal(realm_realm_config(&rc, &s), IPC_OK);
	assert_int_equal(s, RMI_ERROR_INPUT);
	assert_true(fk_is_zero(data, 4096));
}

/* ---- malformed messages never reach a handler (ipc/SCHEMA.md) ---- */

static enum ipc_status raw(uint16_t op, const uint8_t *msg, size_t len, size_t rep_cap)
{
	uint8_t rep[IPC_MAX_MSG];
	size_t rep_len = 0;
	int32_t s = -99;
	enum ipc_status t;

	fk_begin(IPC_SVC_REALM);
	fk_lease_add(RD_LO, 0, 4096, 0, false);		/* rd candidate */
	fk_lease_add(g(5), 0, 4096, 0, false);		/* second granule_ref, if any */
	t = realm_dispatch(&r_st, op, msg, len, rep, rep_cap, &rep_len, &s);
	fk_end();
	return t;
}

/* A valid request of op m: granule_refs to RD_LO / g(5), other fields zero. */
static void valid_msg(const struct ipc_op_meta *m, uint8_t *b)
{
	memset(b, 0, IPC_MAX_MSG);
	for (unsigned int i = 0; i < m->ref_count; i++) {
		struct ipc_granule_ref r = gref(i == 0 ? RD_LO : g(5));

		memcpy(&b[m->ref_off[i]], &r, sizeof(r));
	}
	if (m->op == REALM_OP_DATA_CREATE) {
		uint64_t src = g(10);

		memcpy(&b[offsetof(struct realm_data_create_req, src)], &src, 8);
	}
}

static void expect_bad(uint16_t op, const uint8_t *b, size_t len, enum ipc_status want)
{
	enum ipc_status t = raw(op, b, len, IPC_MAX_MSG);

	if (t != want)
		fail_msg("op %u: transport status %d, want %d", op, t, want);
}

static void malformed_messages_never_reach_handlers(void **state)
{
	static const uint64_t bad_pa[] = { RD_LO + 8, RD_LO + 0x800, 0, g(NGRAN), FK_DRAM_BASE - G };
	uint8_t valid[IPC_MAX_MSG], b[IPC_MAX_MSG + 8];
	unsigned int checked = 0;

	(void)state;
	make_realm(RD_LO, ROOTS, 1);
	hc_realm = hc_granule = hc_attest = 0;
	fk_clear_calls();
	fk_clear_counters();

	for (size_t i = 0; i < realm_ops_count; i++) {
		const struct ipc_op_meta *m = &realm_ops[i];
		uint16_t op = m->op;

		valid_msg(m, valid);
		/* lengths */
		memcpy(b, valid, IPC_MAX_MSG);
		expect_bad(op, b, m->req_len - 1u, IPC_E_BAD_LEN);
		expect_bad(op, b, m->req_len + 1u, IPC_E_BAD_LEN);
		expect_bad(op, b, m->req_len + 8u, IPC_E_BAD_LEN);
		expect_bad(op, b, 0, IPC_E_BAD_LEN);
		/* every granule_ref: lease index, reserved bytes, pa predicates */
		for (unsigned int r = 0; r < m->ref_count; r++) {
			size_t o = m->ref_off[r];

			memcpy(b, valid, IPC_MAX_MSG);
			b[o] = IPC_MAX_LEASES;
			expect_bad(op, b, m->req_len, IPC_E_BAD_FIELD);
			for (size_t k = 1; k < 8; k++) {
				memcpy(b, valid, IPC_MAX_MSG);
				b[o + k] = 0x40;
				expect_bad(op, b, m->req_len, IPC_E_BAD_FIELD);
			}
			for (size_t k = 0; k < sizeof(bad_pa) / sizeof(bad_pa[0]); k++) {
				memcpy(b, valid, IPC_MAX_MSG);
				memcpy(&b[o + 8], &bad_pa[k], 8);
				expect_bad(op, b, m->req_len, IPC_E_BAD_FIELD);
			}
		}
		/* a reply buffer too small for the op's reply */
		if (m->rep_len != 0u) {
			enum ipc_status t = raw(op, valid, m->req_len, m->rep_len - 1u);

			if (t != IPC_E_BAD_REPLY)
				fail_msg("op %u: small reply buffer gave %d", op, t);
		}
		checked++;
	}
	/* create's padding; data_create's src predicates and flags max:1 */
	valid_msg(&realm_ops[0], valid);
	for (size_t k = 0; k < 4; k++) {
		memcpy(b, valid, IPC_MAX_MSG);
		b[offsetof(struct realm_create_req, _pad0) + k] = 1;
		expect_bad(REALM_OP_CREATE, b, sizeof(struct realm_create_req), IPC_E_BAD_FIELD);
		memcpy(b, valid, IPC_MAX_MSG);
		b[offsetof(struct realm_create_req, _pad1) + k] = 0x80;
		expect_bad(REALM_OP_CREATE, b, sizeof(struct realm_create_req), IPC_E_BAD_FIELD);
	}
	for (size_t i = 0; i < realm_ops_count; i++) {
		if (realm_ops[i].op != REALM_OP_DATA_CREATE)
			continue;
		valid_msg(&realm_ops[i], valid);
		for (size_t k = 0; k < sizeof(bad_pa) / sizeof(bad_pa[0]); k++) {
			memcpy(b, valid, IPC_MAX_MSG);
			memcpy(&b[offsetof(struct realm_data_create_req, src)], &bad_pa[k], 8);
			expect_bad(REALM_OP_DATA_CREATE, b, sizeof(struct realm_data_create_req),
				   IPC_E_BAD_FIELD);
		}
		memcpy(b, valid, IPC_MAX_MSG);
		b[offsetof(struct realm_data_create_req, flags)] = 2;
		expect_bad(REALM_OP_DATA_CREATE, b, sizeof(struct realm_data_create_req), IPC_E_BAD_FIELD);
		memcpy(b, valid, IPC_MAX_MSG);
		b[offsetof(struct realm_data_create_req, flags) + 7] = 0x80;
		expect_bad(REALM_OP_DATA_CREATE, b, sizeof(struct realm_data_create_req), IPC_E_BAD_FIELD);
	}
	/* unknown ops */
	expect_bad(0, valid, 16, IPC_E_BAD_OP);
	expect_bad((uint16_t)(realm_ops[realm_ops_count - 1u].op + 1u), valid, 16, IPC_E_BAD_OP);
	expect_bad(0xffff, valid, 16, IPC_E_BAD_OP);

	assert_true(checked >= 4);
	assert_int_equal(hc_realm, 0);
	assert_int_equal(fk_ncalls(), 0);		/* never asked another service */
	assert_int_equal(fk_calls(FK_LEASE_READ) + fk_calls(FK_LEASE_WRITE) +
			 fk_calls(FK_FEAT_REG0) + fk_calls(FK_S2_READ), 0);
	assert_int_equal(rd_of(RD_LO).s2.state, REALM_NEW);
	/* the valid aux_count message does get through */
	valid_msg(&realm_ops[3], valid);
	assert_int_equal(realm_ops[3].op, REALM_OP_AUX_COUNT);
	assert_int_equal(raw(REALM_OP_AUX_COUNT, valid, realm_ops[3].req_len, IPC_MAX_MSG), IPC_OK);
	assert_int_equal(hc_realm, 1);
}

/* ---- REC_CREATE: the new REC is held while it is built (kernel/rec.h) ---- */

#define REC_G		g(20)
#define REC_AUX0	21u		/* g(21) .. g(36) */
#define RMI_ERROR_REC	3

static struct realm_rec_create_req rec_req(uint64_t rd, uint64_t rec)
{
	struct realm_rec_create_req q;

	memset(&q, 0, sizeof(q));
	q.rd = gref(rd);
	q.rec = gref(rec);
	q.flags = 1;		/* runnable */
	q.mpidr = 0;
	q.pc = 0x1000;
	q.num_aux = 16;
	for (unsigned int i = 0; i < 16u; i++)
		q.aux[i] = g(REC_AUX0 + i);
	return q;
}

static int32_t rec_create(const struct realm_rec_create_req *q)
{
	int32_t s = -99;
	enum ipc_status t = realm_rec_create(q, &s);

	return result(t, s);
}

static int32_t rec_destroy(uint64_t rec)
{
	struct realm_rec_destroy_req r = { .rec = gref(rec) };
	int32_t s = -99;
	enum ipc_status t = realm_rec_destroy(&r, &s);

	return result(t, s);
}

static void rec_setup(void)
{
	struct realm_create_req p = params(RD_LO, ROOTS);

	delegate(RD_LO);
	delegate(ROOTS);
	assert_int_equal(create(&p), RMI_SUCCESS);
	delegate(REC_G);
	delegate_n(g(REC_AUX0), 16);
}

static void rec_create_waits_for_a_prober(void **state)
{
	struct realm_rec_create_req q;

	(void)state;
	rec_setup();
	q = rec_req(RD_LO, REC_G);
	/* three holds refused (another CPU probing the granule), then granted */
	fk_inject(FK_REC_HOLD, 0, 3);
	assert_int_equal(rec_create(&q), RMI_SUCCESS);
	assert_int_equal(fk_calls(FK_REC_HOLD), 4);
	assert_int_equal(gstate(REC_G), GRANULE_GSTATE_REC);
	/* and let go once built: REC_DESTROY can hold it */
	assert_int_equal(rec_destroy(REC_G), RMI_SUCCESS);
	assert_int_equal(gstate(REC_G), D);
}

static void rec_create_refused_when_the_granule_moved_on(void **state)
{
	struct realm_rec_create_req q;
	unsigned int n;

	(void)state;
	rec_setup();
	q = rec_req(RD_LO, REC_G);
	/* hold refused, and meanwhile the granule is no longer DELEGATED (scripted) */
	n = fk_count_calls(IPC_SVC_GRANULE, GRANULE_OP_LOOKUP);
	fk_script_status(IPC_SVC_GRANULE, GRANULE_OP_LOOKUP, n + 2u, IPC_OK,
			 GRANULE_GSTATUS_BAD_STATE);
	fk_inject(FK_REC_HOLD, 0, 1);
	assert_int_equal(rec_create(&q), RMI_ERROR_INPUT);
	assert_int_equal(fk_calls(FK_REC_HOLD), 1);
	/* nothing changed: the REC and its aux granules are DELEGATED, the RD has no REC */
	assert_int_equal(gstate(REC_G), D);
	assert_states(g(REC_AUX0), 16, D);
	assert_int_equal(rd_of(RD_LO).s2.rec_count, 0);
	assert_int_equal(rd_of(RD_LO).rec_live, 0);
}

static void rec_create_gives_up_on_a_kernel_that_never_lets_go(void **state)
{
	struct realm_rec_create_req q;

	(void)state;
	rec_setup();
	q = rec_req(RD_LO, REC_G);
	fk_inject(FK_REC_HOLD, 0, -1);	/* impossible in the real kernel: bounded, not hung */
	assert_int_equal(rec_create(&q), RMI_ERROR_INPUT);
	fk_inject(FK_REC_HOLD, 0, 0);
	assert_int_equal(gstate(REC_G), D);
	assert_states(g(REC_AUX0), 16, D);
	assert_int_equal(rd_of(RD_LO).rec_live, 0);
	/* then it works */
	assert_int_equal(rec_create(&q), RMI_SUCCESS);
	assert_int_equal(gstate(REC_G), GRANULE_GSTATE_REC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(create_single_root, setup),
		cmocka_unit_test_setup(create_sha512_rd_above_roots, setup),
		cmocka_unit_test_setup(create_concatenated_roots, setup),
		cmocka_unit_test_setup(create_parameter_checks, setup),
		cmocka_unit_test_setup(create_level_s2sz_table, setup),
		cmocka_unit_test_setup(create_vmid_reuse, setup),
		cmocka_unit_test_setup(create_alias_and_alignment, setup),
		cmocka_unit_test_setup(create_rd_not_delegated_first, setup),
		cmocka_unit_test_setup(create_rd_not_delegated_last, setup),
		cmocka_unit_test_setup(create_root_not_delegated, setup),
		cmocka_unit_test_setup(create_roots_outside_dram, setup),
		cmocka_unit_test_setup(create_scripted_claim_failures, setup),
		cmocka_unit_test_setup(create_late_failures_roll_back, setup),
		cmocka_unit_test_setup(create_against_scripted_collaborators, setup),
		cmocka_unit_test_setup(activate_state_machine, setup),
		cmocka_unit_test_setup(rd_ops_need_an_rd, setup),
		cmocka_unit_test_setup(aux_count_is_16, setup),
		cmocka_unit_test_setup(destroy_with_recs_is_refused, setup),
		cmocka_unit_test_setup(destroy_with_live_root_is_refused, setup),
		cmocka_unit_test_setup(destroy_releases_everything, setup),
		cmocka_unit_test_setup(destroy_with_broken_rd_changes_nothing, setup),
		cmocka_unit_test_setup(realm_life_with_tables_and_data, setup),
		cmocka_unit_test_setup(malformed_messages_never_reach_handlers, setup),
		cmocka_unit_test_setup(realm_config_checks_the_page_at_its_ipa, setup),
		cmocka_unit_test_setup(rec_create_waits_for_a_prober, setup),
		cmocka_unit_test_setup(rec_create_refused_when_the_granule_moved_on, setup),
		cmocka_unit_test_setup(rec_create_gives_up_on_a_kernel_that_never_lets_go, setup),
	};

	return cmocka_run_group_tests_name("realm", tests, NULL, NULL);
}
