/*
 * Granule service unit tests (states.md 1; rmi.md 4-5; ipc/granule.toml).
 * The same source is built against every variant, with that variant's
 * include path and gstore.c (tests/unit/svc.mk: test_granule_array,
 * test_granule_sparse). The kernel side is tests/unit/svc/fake_kernel.c:
 * calls come in as the kernel makes them (granule_<op>() client stubs from
 * depth 0 through the fake transport: lease 0 = the granule, read-write)
 * unless a test builds the message context itself.
 *
 * Fake DRAM: two banks the service tracks and one it does not (so that a
 * PA passes the transport's in_dram check but is not a tracked granule):
 *   B0 = 0x80000000, 96 granules    B1 = 0x90000000, 96 granules
 *   BX = 0xA0000000, 16 granules (untracked)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ipc/granule.h>

#include "fake_kernel.h"
#include "granule_model.h"
#include "granule_state.h"
#include "granule_svc.h"
#include "gstore.h"
#include "handler_count.h"

#if defined(GRANULE_VARIANT_SPARSE)
#define VARIANT "sparse"
#elif defined(GRANULE_VARIANT_ARRAY)
#define VARIANT "array"
#else
#error "build with -DGRANULE_VARIANT_ARRAY or -DGRANULE_VARIANT_SPARSE"
#endif

#define G		4096ull
#define B0		0x80000000ull
#define B1		0x90000000ull
#define BX		0xA0000000ull
#define B0_N		96u
#define B1_N		96u
#define BX_N		16u
#define TRACKED		(B0_N + B1_N)
#define B0_END		(B0 + B0_N * G)		/* first PA after bank 0 */
#define B1_END		(B1 + B1_N * G)

#define U	GRANULE_GSTATE_UNDELEGATED
#define D	GRANULE_GSTATE_DELEGATED
#define NSTATES	7u

/* Transport errors are returned as negative numbers by the helpers below. */
#define TERR(t)	(-(int32_t)(t))

static const struct fk_bank fake_banks[] = {
	{ B0, B0_N }, { B1, B1_N }, { BX, BX_N },
};
static const struct granule_bank svc_banks[] = {
	{ B0, B0_N * G, 0 }, { B1, B1_N * G, 0 },
};

static struct granule_state g_st;
static uint64_t g_table[1024];

static enum ipc_status run_granule(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				   size_t cap, size_t *rep_len, int32_t *st)
{
	return granule_dispatch(&g_st, op, msg, len, rep, cap, rep_len, st);
}

static int setup(void **state)
{
	uint64_t words = granule_table_words(TRACKED);

	(void)state;
	fk_reset();
	fk_set_banks(fake_banks, 3);
	assert_true(words <= sizeof(g_table) / 8u);
	memset(g_table, 0xee, sizeof(g_table));	/* granule_init() must clear what it uses */
	assert_true(granule_init(&g_st, g_table, words, svc_banks, 2));
	fk_register(IPC_SVC_GRANULE, granule_ops, granule_ops_count, run_granule);
	hc_granule = 0;
	return 0;
}

/* How many granules may be out of UNDELEGATED at once. */
static uint64_t variant_limit(void)
{
#ifdef GRANULE_VARIANT_SPARSE
	return g_st.capacity * 3u / 4u;	/* load factor 3/4 (sparse/gstore.c) */
#else
	return UINT64_MAX;
#endif
}

/* ---- calls as the kernel makes them (kernel/rmi_ctrl.c) ---- */

static struct ipc_granule_ref gref(uint64_t pa)
{
	struct ipc_granule_ref r = { .lease = IPC_LEASE_NEW, .pa = pa };

	return r;
}

static int32_t result(enum ipc_status t, int32_t s)
{
	return t == IPC_OK ? s : TERR(t);
}

static int32_t delegate(uint64_t pa)
{
	struct granule_delegate_req r = { .gran = gref(pa) };
	int32_t s = -99;
	enum ipc_status t = granule_delegate(&r, &s);

	return result(t, s);
}

static int32_t undelegate(uint64_t pa)
{
	struct granule_undelegate_req r = { .gran = gref(pa) };
	int32_t s = -99;
	enum ipc_status t = granule_undelegate(&r, &s);

	return result(t, s);
}

static int32_t claim(uint64_t pa, uint32_t from, uint32_t to)
{
	struct granule_claim_req r = { .gran = gref(pa), .from = from, .to = to };
	int32_t s = -99;
	enum ipc_status t = granule_claim(&r, &s);

	return result(t, s);
}

static int32_t lookup(uint64_t pa, uint32_t expect)
{
	struct granule_lookup_req r = { .gran = gref(pa), .expect = expect };
	int32_t s = -99;
	enum ipc_status t = granule_lookup(&r, &s);

	return result(t, s);
}

static int32_t release(uint64_t pa, uint32_t from)
{
	struct granule_release_req r = { .gran = gref(pa), .from = from };
	int32_t s = -99;
	enum ipc_status t = granule_release(&r, &s);

	return result(t, s);
}

static int32_t state_status(uint64_t pa, uint32_t *state)
{
	struct granule_state_req r = { .pa = pa };
	struct granule_state_rep rep = { .state = 0xdead };
	int32_t s = -99;
	enum ipc_status t = granule_state(&r, &rep, &s);

	*state = rep.state;
	return result(t, s);
}

static uint32_t state_of(uint64_t pa)
{
	uint32_t st;

	assert_int_equal(state_status(pa, &st), GRANULE_GSTATUS_OK);
	return st;
}

/* Move an UNDELEGATED granule to state s the way realms do. */
static void to_state(uint64_t pa, uint32_t s)
{
	if (s == U)
		return;
	assert_int_equal(delegate(pa), GRANULE_GSTATUS_OK);
	if (s != D)
		assert_int_equal(claim(pa, D, s), GRANULE_GSTATUS_OK);
	assert_int_equal(state_of(pa), s);
}

/* And back to UNDELEGATED. */
static void to_undelegated(uint64_t pa)
{
	uint32_t s = state_of(pa);

	if (s != U && s != D)
		assert_int_equal(release(pa, s), GRANULE_GSTATUS_OK);
	if (s != U)
		assert_int_equal(undelegate(pa), GRANULE_GSTATUS_OK);
	assert_int_equal(state_of(pa), U);
}

/* ---- whole-system snapshot: every state, PAS and byte of fake DRAM ---- */

struct snap {
	uint32_t state[TRACKED];
	uint8_t pas[TRACKED + BX_N];
	uint8_t mem[TRACKED + BX_N][4096];
};
static struct snap snap_a, snap_b;

static uint64_t nth_pa(unsigned int i)	/* i-th granule of B0, B1, BX */
{
	if (i < B0_N)
		return B0 + i * G;
	if (i < TRACKED)
		return B1 + (i - B0_N) * G;
	return BX + (i - TRACKED) * G;
}

static void snap_take(struct snap *s)
{
	for (unsigned int i = 0; i < TRACKED + BX_N; i++) {
		uint64_t pa = nth_pa(i);

		if (i < TRACKED)
			assert_true(gstore_get(&g_st, pa, &s->state[i]));
		s->pas[i] = (uint8_t)fk_pas(pa);
		memcpy(s->mem[i], fk_mem(pa), 4096);
	}
}

/* Nothing observable changed since snap_a. */
static void assert_unchanged(void)
{
	snap_take(&snap_b);
	assert_memory_equal(snap_a.state, snap_b.state, sizeof(snap_a.state));
	assert_memory_equal(snap_a.pas, snap_b.pas, sizeof(snap_a.pas));
	assert_true(memcmp(snap_a.mem, snap_b.mem, sizeof(snap_a.mem)) == 0);
}

/* ---- start-up ---- */

/* Every tracked granule starts UNDELEGATED; others are not granules. */
static void init_all_undelegated(void **state)
{
	uint32_t st;

	(void)state;
	for (unsigned int i = 0; i < TRACKED; i++)
		assert_int_equal(state_of(nth_pa(i)), U);
	/* in a DRAM bank the service was not given: not a tracked granule */
	assert_int_equal(state_status(BX, &st), GRANULE_GSTATUS_BAD_ADDR);
	/* outside DRAM or unaligned: refused by the decoder (ipc/granule.toml) */
	assert_int_equal(state_status(B0_END, &st), TERR(IPC_E_BAD_FIELD));
	assert_int_equal(state_status(B0 + 8, &st), TERR(IPC_E_BAD_FIELD));
	assert_int_equal(hc_granule, TRACKED + 1u);
}

/* granule_init() refuses bank lists it cannot track (granule_svc.h). */
static void init_refuses_bad_config(void **state)
{
	struct granule_bank many[GRANULE_SVC_MAX_BANKS + 1u];
	struct granule_state st;
	uint64_t table[1024];

	(void)state;
	for (unsigned int i = 0; i <= GRANULE_SVC_MAX_BANKS; i++)
		many[i] = (struct granule_bank){ B0 + i * 0x1000000ull, 4 * G, 0 };
	assert_false(granule_init(&st, table, 1024, svc_banks, 0));
	assert_false(granule_init(&st, table, 1024, many, GRANULE_SVC_MAX_BANKS + 1u));
	assert_true(granule_init(&st, table, 1024, many, GRANULE_SVC_MAX_BANKS));
	/* a table smaller than granule_table_words() does not fit */
	assert_false(granule_init(&st, table, granule_table_words(TRACKED) - 1u, svc_banks, 2));
}

/*
 * states.md 1: every transition into DELEGATED zero-fills the granule, and
 * the granule service is the only component that changes states, so a
 * claim back to DELEGATED must scrub whatever the object held.
 */
static void claim_to_delegated_scrubs(void **state)
{
	uint64_t pa = B0 + 11 * G;

	(void)state;
	to_state(pa, GRANULE_GSTATE_RD);
	fk_fill(pa, 0xab, 4096);			/* realm data */
	assert_int_equal(claim(pa, GRANULE_GSTATE_RD, D), GRANULE_GSTATUS_OK);
	assert_int_equal(state_of(pa), D);
	assert_true(fk_is_zero(pa, 4096));
}

/* ---- RMI_GRANULE_DELEGATE (rmi.md 4) ---- */

/* UNDELEGATED -> DELEGATED through EL3, zero-filled (states.md 1). */
static void delegate_moves_pas_and_zero_fills(void **state)
{
	uint64_t pa = B0 + 5 * G;

	(void)state;
	fk_fill(pa, 0xa5, 4096);		/* host data left in the granule */
	assert_int_equal(delegate(pa), GRANULE_GSTATUS_OK);
	assert_int_equal(state_of(pa), D);
	assert_int_equal(fk_pas(pa), FK_PAS_REALM);
	assert_true(fk_is_zero(pa, 4096));
	assert_int_equal(fk_calls(FK_GTSI_DELEGATE), 1);
	/* neighbours untouched */
	assert_int_equal(state_of(pa - G), U);
	assert_int_equal(state_of(pa + G), U);
	assert_int_equal(fk_pas(pa + G), FK_PAS_NS);
}

/* gran_state: a granule not UNDELEGATED -> BAD_STATE, nothing changes. */
static void delegate_bad_state_changes_nothing(void **state)
{
	(void)state;
	for (uint32_t s = D; s < NSTATES; s++) {
		uint64_t pa = B1 + s * G;

		to_state(pa, s);
		fk_fill(pa, (uint8_t)(0x10 + s), 4096);	/* object content */
		snap_take(&snap_a);
		fk_clear_counters();
		assert_int_equal(delegate(pa), GRANULE_GSTATUS_BAD_STATE);
		assert_unchanged();
		assert_int_equal(fk_calls(FK_GTSI_DELEGATE), 0);
		assert_int_equal(fk_calls(FK_LEASE_ZERO), 0);
	}
}

/* gran_bound: a DRAM PA the service does not track -> BAD_ADDR. */
static void delegate_bad_addr_changes_nothing(void **state)
{
	static const uint64_t outside[] = { B0_END, B1 - G, B1_END, 0, B0 - G, B0 + 0x800 };
	struct granule_delegate_req r;

	(void)state;
	fk_fill(BX, 0x77, 4096);
	snap_take(&snap_a);
	assert_int_equal(delegate(BX), GRANULE_GSTATUS_BAD_ADDR);
	assert_int_equal(delegate(BX + (BX_N - 1u) * G), GRANULE_GSTATUS_BAD_ADDR);
	assert_unchanged();
	assert_int_equal(fk_pas(BX), FK_PAS_NS);
	/* the handler itself, for PAs the decoder would already refuse */
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.gran = gref(outside[i]);
		assert_int_equal(granule_handle_delegate(&g_st, &r), GRANULE_GSTATUS_BAD_ADDR);
	}
	assert_unchanged();
	assert_int_equal(fk_calls(FK_GTSI_DELEGATE), 0);
}

/* gran_gpt: EL3 refuses (granule not NS, or an EL3 failure) -> state unchanged. */
static void delegate_el3_refused_changes_nothing(void **state)
{
	uint64_t pa = B0 + 7 * G;

	(void)state;
	fk_set_pas(pa, FK_PAS_SECURE);
	fk_fill(pa, 0x5e, 4096);
	snap_take(&snap_a);
	assert_int_equal(delegate(pa), GRANULE_GSTATUS_EL3_REFUSED);
	assert_unchanged();	/* not zeroed: the granule is not the RMM's */

	fk_set_pas(pa, FK_PAS_NS);
	snap_take(&snap_a);
	fk_inject(FK_GTSI_DELEGATE, 0, 1);
	assert_int_equal(delegate(pa), GRANULE_GSTATUS_EL3_REFUSED);
	assert_unchanged();
	/* the next attempt goes through */
	assert_int_equal(delegate(pa), GRANULE_GSTATUS_OK);
	assert_int_equal(state_of(pa), D);
	assert_true(fk_is_zero(pa, 4096));
}

/* ---- RMI_GRANULE_UNDELEGATE (rmi.md 5) ---- */

/* DELEGATED -> UNDELEGATED, scrubbed before the host sees it. */
static void undelegate_scrubs_and_returns_to_ns(void **state)
{
	uint64_t pa = B1 + 40 * G;

	(void)state;
	to_state(pa, D);
	fk_fill(pa + 100, 0x42, 8);		/* whatever might be left */
	assert_int_equal(undelegate(pa), GRANULE_GSTATUS_OK);
	assert_int_equal(state_of(pa), U);
	assert_int_equal(fk_pas(pa), FK_PAS_NS);
	assert_true(fk_is_zero(pa, 4096));
	/* and it can be delegated again */
	assert_int_equal(delegate(pa), GRANULE_GSTATUS_OK);
}

/* Not DELEGATED (UNDELEGATED or an object) -> BAD_STATE; an object is not scrubbed. */
static void undelegate_bad_state_changes_nothing(void **state)
{
	(void)state;
	for (uint32_t s = U; s < NSTATES; s++) {
		uint64_t pa = B0 + (20 + s) * G;

		if (s == D)
			continue;
		to_state(pa, s);
		fk_fill(pa, (uint8_t)(0x30 + s), 4096);
		snap_take(&snap_a);
		fk_clear_counters();
		assert_int_equal(undelegate(pa), GRANULE_GSTATUS_BAD_STATE);
		assert_unchanged();
		assert_int_equal(fk_calls(FK_GTSI_UNDELEGATE), 0);
	}
}

static void undelegate_bad_addr_changes_nothing(void **state)
{
	struct granule_undelegate_req r = { .gran = gref(B0_END) };

	(void)state;
	snap_take(&snap_a);
	assert_int_equal(undelegate(BX + G), GRANULE_GSTATUS_BAD_ADDR);
	assert_int_equal(undelegate(B0_END), TERR(IPC_E_BAD_FIELD));	/* not in DRAM */
	assert_int_equal(granule_handle_undelegate(&g_st, &r), GRANULE_GSTATUS_BAD_ADDR);
	assert_unchanged();
}

/* EL3 refuses the undelegate: the granule stays DELEGATED (and in the Realm PAS). */
static void undelegate_el3_refused_keeps_delegated(void **state)
{
	uint64_t pa = B1 + 3 * G;

	(void)state;
	to_state(pa, D);
	fk_inject(FK_GTSI_UNDELEGATE, 0, 1);
	assert_int_equal(undelegate(pa), GRANULE_GSTATUS_EL3_REFUSED);
	assert_int_equal(state_of(pa), D);
	assert_int_equal(fk_pas(pa), FK_PAS_REALM);
	assert_true(fk_is_zero(pa, 4096));
	/* a GPT that disagrees (granule already NS) is refused as well */
	fk_set_pas(pa, FK_PAS_NS);
	assert_int_equal(undelegate(pa), GRANULE_GSTATUS_EL3_REFUSED);
	assert_int_equal(state_of(pa), D);
	fk_set_pas(pa, FK_PAS_REALM);
	assert_int_equal(undelegate(pa), GRANULE_GSTATUS_OK);
}

/* ---- claim / lookup / release / state (ipc/granule.toml, handlers.c) ---- */

/*
 * claim(from, to) on a granule in state `from`: OK iff neither side is
 * UNDELEGATED (only EL3 moves PAS); claim leaves the content alone, except
 * that a claim back to DELEGATED zero-fills it (states.md 1).
 */
static void claim_transition_matrix(void **state)
{
	uint64_t pa = B0 + 50 * G;

	(void)state;
	for (uint32_t from = 0; from < NSTATES; from++) {
		for (uint32_t to = 0; to < NSTATES; to++) {
			bool ok = from != U && to != U;

			to_state(pa, from);
			fk_fill(pa, 0xc3, 64);
			snap_take(&snap_a);
			assert_int_equal(claim(pa, from, to),
					 ok ? GRANULE_GSTATUS_OK : GRANULE_GSTATUS_BAD_STATE);
			if (ok)
				assert_int_equal(state_of(pa), to);
			else
				assert_unchanged();
			assert_int_equal(fk_pas(pa), from == U ? FK_PAS_NS : FK_PAS_REALM);
			assert_int_equal(*fk_mem(pa), ok && to == D ? 0 : 0xc3);
			fk_fill(pa, 0, 64);
			to_undelegated(pa);
		}
	}
}

/* claim with `from` different from the current state -> BAD_STATE, unchanged. */
static void claim_wrong_from_changes_nothing(void **state)
{
	uint64_t pa = B1 + 60 * G;

	(void)state;
	for (uint32_t s = 0; s < NSTATES; s++) {
		to_state(pa, s);
		for (uint32_t from = 0; from < NSTATES; from++) {
			if (from == s)
				continue;
			snap_take(&snap_a);
			assert_int_equal(claim(pa, from, GRANULE_GSTATE_RTT), GRANULE_GSTATUS_BAD_STATE);
			assert_unchanged();
		}
		to_undelegated(pa);
	}
	assert_int_equal(claim(BX, D, GRANULE_GSTATE_RD), GRANULE_GSTATUS_BAD_ADDR);
}

/* lookup(expect): OK iff the state is expect and not UNDELEGATED; never changes anything. */
static void lookup_matrix(void **state)
{
	uint64_t pa = B0 + 60 * G;

	(void)state;
	for (uint32_t s = 0; s < NSTATES; s++) {
		to_state(pa, s);
		snap_take(&snap_a);
		for (uint32_t e = 0; e < NSTATES; e++)
			assert_int_equal(lookup(pa, e), e == s && s != U ? GRANULE_GSTATUS_OK
									 : GRANULE_GSTATUS_BAD_STATE);
		assert_unchanged();
		to_undelegated(pa);
	}
	assert_int_equal(lookup(BX, D), GRANULE_GSTATUS_BAD_ADDR);
}

/*
 * release(from): an object granule in state `from` goes back to DELEGATED,
 * zero-filled; UNDELEGATED and DELEGATED are refused (BAD_STATE) and kept.
 */
static void release_matrix(void **state)
{
	uint64_t pa = B1 + 70 * G;

	(void)state;
	for (uint32_t s = 0; s < NSTATES; s++) {
		for (uint32_t from = 0; from < NSTATES; from++) {
			bool ok = s == from && s != U && s != D;

			to_state(pa, s);
			fk_fill(pa, 0x99, 4096);
			snap_take(&snap_a);
			assert_int_equal(release(pa, from),
					 ok ? GRANULE_GSTATUS_OK : GRANULE_GSTATUS_BAD_STATE);
			if (ok) {
				assert_int_equal(state_of(pa), D);
				assert_true(fk_is_zero(pa, 4096));
			} else {
				assert_unchanged();
			}
			fk_fill(pa, 0, 4096);
			to_undelegated(pa);
		}
	}
	assert_int_equal(release(BX, GRANULE_GSTATE_RD), GRANULE_GSTATUS_BAD_ADDR);
}

/*
 * The kernel's REC registry follows the REC state exactly: marked after a
 * claim into REC, cleared by a claim out of REC and by a release; a refused
 * claim or release leaves it alone.
 */
static void rec_registry_follows_rec_state(void **state)
{
	uint64_t pa = B1 + 71 * G;

	(void)state;
	to_state(pa, D);
	assert_false(fk_rec_marked(pa));
	assert_int_equal(claim(pa, D, GRANULE_GSTATE_REC), GRANULE_GSTATUS_OK);
	assert_true(fk_rec_marked(pa));
	assert_int_equal(claim(pa, D, GRANULE_GSTATE_RD), GRANULE_GSTATUS_BAD_STATE);
	assert_true(fk_rec_marked(pa));
	assert_int_equal(release(pa, GRANULE_GSTATE_RD), GRANULE_GSTATUS_BAD_STATE);
	assert_true(fk_rec_marked(pa));
	assert_int_equal(release(pa, GRANULE_GSTATE_REC), GRANULE_GSTATUS_OK);
	assert_false(fk_rec_marked(pa));
	assert_int_equal(claim(pa, D, GRANULE_GSTATE_REC), GRANULE_GSTATUS_OK);
	assert_int_equal(claim(pa, GRANULE_GSTATE_REC, D), GRANULE_GSTATUS_OK);
	assert_false(fk_rec_marked(pa));
	assert_int_equal(claim(pa, D, GRANULE_GSTATE_RD), GRANULE_GSTATUS_OK);
	assert_false(fk_rec_marked(pa));
	/* the registry refusing the change refuses the claim, state unchanged */
	assert_int_equal(release(pa, GRANULE_GSTATE_RD), GRANULE_GSTATUS_OK);
	fk_inject(FK_REC_MARK, 0, -1);
	assert_int_equal(claim(pa, D, GRANULE_GSTATE_REC), GRANULE_GSTATUS_BAD_STATE);
	assert_int_equal(state_of(pa), D);
	assert_false(fk_rec_marked(pa));
	to_undelegated(pa);
}

/* state reports every state; its reply passes the reply validator. */
static void state_reports_every_state(void **state)
{
	(void)state;
	for (uint32_t s = 0; s < NSTATES; s++) {
		to_state(B0 + (70 + s) * G, s);
		assert_int_equal(state_of(B0 + (70 + s) * G), s);
	}
}

/* ---- banks ---- */

/* First/last granule of each bank are independent granules; the gaps are not granules. */
static void bank_boundaries(void **state)
{
	static const uint64_t edge[] = { B0, B0_END - G, B1, B1_END - G };
	static const uint64_t gap[] = { B0_END, B1 - G, B1_END };
	struct granule_state_req sr;
	struct granule_state_rep rep;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(delegate(edge[i]), GRANULE_GSTATUS_OK);
		assert_int_equal(claim(edge[i], D, (uint32_t)(GRANULE_GSTATE_RD + i)), GRANULE_GSTATUS_OK);
	}
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(state_of(edge[i]), GRANULE_GSTATE_RD + i);
	assert_int_equal(state_of(B0 + G), U);
	assert_int_equal(state_of(B0_END - 2 * G), U);
	assert_int_equal(state_of(B1 + G), U);
	assert_int_equal(state_of(B1_END - 2 * G), U);
	for (size_t i = 0; i < 3; i++) {
		uint32_t st;

		assert_int_equal(delegate(gap[i]), TERR(IPC_E_BAD_FIELD));
		assert_int_equal(state_status(gap[i], &st), TERR(IPC_E_BAD_FIELD));
		sr.pa = gap[i];
		assert_int_equal(granule_handle_state(&g_st, &sr, &rep), GRANULE_GSTATUS_BAD_ADDR);
	}
	/* releasing the last of bank 0 does not touch the first of bank 1 */
	fk_fill(B1, 0x11, 4096);
	assert_int_equal(release(B0_END - G, GRANULE_GSTATE_REC), GRANULE_GSTATUS_OK);
	assert_int_equal(*fk_mem(B1), 0x11);
	assert_int_equal(state_of(B1), GRANULE_GSTATE_RD + 2);
}

/* Many granules over both banks (up to the variant's limit), every object state. */
static void many_granules(void **state)
{
	uint64_t n = variant_limit() < TRACKED ? variant_limit() : TRACKED;

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = (i % 2u) == 0u ? B0 + (i / 2u) * G : B1_END - (i / 2u + 1u) * G;

		assert_int_equal(delegate(pa), GRANULE_GSTATUS_OK);
		assert_int_equal(claim(pa, D, (uint32_t)(GRANULE_GSTATE_RD + i % 5u)), GRANULE_GSTATUS_OK);
		fk_fill(pa, (uint8_t)i, 4096);
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = (i % 2u) == 0u ? B0 + (i / 2u) * G : B1_END - (i / 2u + 1u) * G;

		assert_int_equal(state_of(pa), GRANULE_GSTATE_RD + i % 5u);
		assert_int_equal(fk_pas(pa), FK_PAS_REALM);
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = (i % 2u) == 0u ? B0 + (i / 2u) * G : B1_END - (i / 2u + 1u) * G;

		assert_int_equal(release(pa, (uint32_t)(GRANULE_GSTATE_RD + i % 5u)), GRANULE_GSTATUS_OK);
		assert_int_equal(undelegate(pa), GRANULE_GSTATUS_OK);
	}
	for (unsigned int i = 0; i < TRACKED; i++) {
		assert_int_equal(state_of(nth_pa(i)), U);
		assert_int_equal(fk_pas(nth_pa(i)), FK_PAS_NS);
		assert_true(fk_is_zero(nth_pa(i), 4096));
	}
}

/* ---- lease rules (svc_api.h) as the handlers see them ---- */

/* Deliver a delegate with a hand-made lease 0; returns the handler status. */
static int32_t delegate_with_lease(uint64_t pa, uint32_t off, uint32_t len, uint8_t rights)
{
	struct granule_delegate_req r = { .gran = { .lease = 0, .pa = pa } };
	size_t rep_len = 0;
	int32_t s = -99;

	fk_begin(IPC_SVC_GRANULE);
	fk_lease_add(pa, off, len, rights, true);
	assert_int_equal(granule_dispatch(&g_st, GRANULE_OP_DELEGATE, (const uint8_t *)&r, sizeof(r),
					  NULL, 0, &rep_len, &s), IPC_OK);
	fk_end();
	return s;
}

/* kapi_gtsi_* need a read-write lease of the whole granule; else EL3 is not asked. */
static void gtsi_needs_full_rw_lease(void **state)
{
	uint64_t pa = B0 + 90 * G;

	(void)state;
	fk_fill(pa, 0x3c, 4096);
	snap_take(&snap_a);
	assert_int_equal(delegate_with_lease(pa, 0, 4096, IPC_RIGHT_READ), GRANULE_GSTATUS_EL3_REFUSED);
	assert_int_equal(delegate_with_lease(pa, 0, 4096, IPC_RIGHT_WRITE), GRANULE_GSTATUS_EL3_REFUSED);
	assert_int_equal(delegate_with_lease(pa, 0, 2048, IPC_RIGHTS_RW), GRANULE_GSTATUS_EL3_REFUSED);
	assert_int_equal(delegate_with_lease(pa, 2048, 2048, IPC_RIGHTS_RW), GRANULE_GSTATUS_EL3_REFUSED);
	assert_unchanged();
	assert_int_equal(fk_fails(FK_GTSI_DELEGATE), 4);
	assert_int_equal(delegate_with_lease(pa, 0, 4096, IPC_RIGHTS_RW), GRANULE_GSTATUS_OK);
	assert_true(fk_is_zero(pa, 4096));
}

/* ---- randomized test against the reference model (granule_model.h) ---- */

/* Pool of PAs: bank edges and middles, the untracked bank, outside DRAM. */
static uint64_t pick_pa(uint64_t *seed)
{
	uint64_t r = gm_rand(seed) % 100u;
	uint64_t k = gm_rand(seed);

	if (r < 45u)
		return B0 + (k % 40u) * G;			/* bank 0, first 40 */
	if (r < 85u)
		return B1_END - (1u + k % 40u) * G;		/* bank 1, last 40 */
	if (r < 93u)
		return BX + (k % BX_N) * G;			/* untracked */
	if (r < 97u)
		return B0_END + (k % 4u) * G;			/* outside DRAM */
	return B0 + (k % 8u) * G + 8u * (1u + k % 7u);	/* unaligned */
}

static int32_t model_expect(struct gmodel *m, unsigned int op, uint64_t pa, uint32_t a,
			    uint32_t b)
{
	bool in_dram = fk_mem(pa) != NULL && (pa & 0xfffu) == 0u;
	uint32_t st;

	if (!in_dram || (op == GRANULE_OP_CLAIM && (a >= NSTATES || b >= NSTATES)) ||
	    ((op == GRANULE_OP_LOOKUP || op == GRANULE_OP_RELEASE) && a >= NSTATES))
		return TERR(IPC_E_BAD_FIELD);
	switch (op) {
	case GRANULE_OP_DELEGATE:
		return gm_delegate(m, pa);
	case GRANULE_OP_UNDELEGATE:
		return gm_undelegate(m, pa);
	case GRANULE_OP_CLAIM:
		return gm_claim(m, pa, a, b);
	case GRANULE_OP_LOOKUP:
		return gm_lookup(m, pa, a);
	case GRANULE_OP_RELEASE:
		return gm_release(m, pa, a);
	default:
		return gm_state(m, pa, &st);
	}
}

static void check_against_model(const struct gmodel *m)
{
	for (unsigned int i = 0; i < TRACKED; i++) {
		uint64_t pa = nth_pa(i);
		uint32_t s;

		assert_true(gstore_get(&g_st, pa, &s));
		assert_int_equal(s, m->state[gm_index(m, pa)]);
		/* GPT agrees: every granule the RMM owns is in the Realm PAS */
		if (!m->secure[gm_index(m, pa)])
			assert_int_equal(fk_pas(pa), s == U ? FK_PAS_NS : FK_PAS_REALM);
		/* invariant (states.md 1): DELEGATED granules hold only zeros */
		if (s == D)
			assert_true(fk_is_zero(pa, 4096));
	}
}

static void randomized_against_model(void **state)
{
	struct gmodel m;
	uint64_t seed = 0x5eed0001u;

	(void)state;
	gm_init(&m, fake_banks, 2, variant_limit());
	/* two granules EL3 will never delegate */
	fk_set_pas(B0 + 3 * G, FK_PAS_SECURE);
	m.secure[gm_index(&m, B0 + 3 * G)] = true;
	fk_set_pas(B1_END - 5 * G, FK_PAS_SECURE);
	m.secure[gm_index(&m, B1_END - 5 * G)] = true;

	for (unsigned int n = 0; n < 20000u; n++) {
		unsigned int op = 1u + (unsigned int)(gm_rand(&seed) % 6u);
		uint64_t pa = pick_pa(&seed);
		long idx = gm_index(&m, pa);
		uint32_t cur = idx >= 0 ? m.state[idx] : D;
		/* mostly the current state, so that transitions happen */
		uint32_t a = gm_rand(&seed) % 4u != 0u ? cur : (uint32_t)(gm_rand(&seed) % 8u);
		uint32_t b = (uint32_t)(gm_rand(&seed) % 8u);
		int32_t want = model_expect(&m, op, pa, a, b), got;
		uint32_t st;

		switch (op) {
		case GRANULE_OP_DELEGATE:
			got = delegate(pa);
			break;
		case GRANULE_OP_UNDELEGATE:
			got = undelegate(pa);
			break;
		case GRANULE_OP_CLAIM:
			/*
			 * A well-behaved client scrubs what it gives back with
			 * claim(..., DELEGATED), as realm.c's undo path does:
			 * claim itself does not (see claim_to_delegated_scrubs).
			 */
			if (want == GRANULE_GSTATUS_OK && b == D)
				fk_fill(pa, 0, 4096);
			got = claim(pa, a, b);
			/* an object gets content; release must scrub it */
			if (got == GRANULE_GSTATUS_OK && b != D)
				fk_fill(pa, (uint8_t)(1u + n % 255u), 4096);
			break;
		case GRANULE_OP_LOOKUP:
			got = lookup(pa, a);
			break;
		case GRANULE_OP_RELEASE:
			got = release(pa, a);
			break;
		default:
			got = state_status(pa, &st);
			if (got == GRANULE_GSTATUS_OK)
				assert_int_equal(st, m.state[idx]);
			break;
		}
		if (got != want)
			fail_msg("op %u #%u pa 0x%llx args %u %u: got %d, model %d", op, n,
				 (unsigned long long)pa, a, b, got, want);
		if (n % 1000u == 999u)
			check_against_model(&m);
	}
	check_against_model(&m);
}

#ifdef GRANULE_VARIANT_SPARSE
/*
 * sparse: the hash table holds at most capacity * 3/4 granules that are
 * not UNDELEGATED; a delegate beyond that fails cleanly with BAD_ADDR
 * (handlers.c: "tracking structure full") and undelegating makes room.
 */
static void sparse_load_limit(void **state)
{
	uint64_t limit = variant_limit(), extra = B1_END - G;

	(void)state;
	assert_true(limit < TRACKED);
	for (uint64_t i = 0; i < limit; i++)
		assert_int_equal(delegate(nth_pa((unsigned int)(i * 3u % TRACKED))), GRANULE_GSTATUS_OK);
	assert_int_equal(g_st.used, limit);
	assert_int_equal(state_of(extra), U);

	fk_fill(extra, 0x6d, 4096);
	snap_take(&snap_a);
	fk_clear_counters();
	assert_int_equal(delegate(extra), GRANULE_GSTATUS_BAD_ADDR);
	assert_unchanged();				/* still NS, not zeroed */
	assert_int_equal(fk_calls(FK_GTSI_DELEGATE), 0);	/* EL3 never asked */

	/* updates in place still work on a full table */
	assert_int_equal(claim(nth_pa(0), D, GRANULE_GSTATE_DATA), GRANULE_GSTATUS_OK);
	assert_int_equal(lookup(nth_pa(0), GRANULE_GSTATE_DATA), GRANULE_GSTATUS_OK);
	assert_int_equal(release(nth_pa(0), GRANULE_GSTATE_DATA), GRANULE_GSTATUS_OK);

	/* freeing one entry makes room for exactly one */
	assert_int_equal(undelegate(nth_pa(3)), GRANULE_GSTATUS_OK);
	assert_int_equal(delegate(extra), GRANULE_GSTATUS_OK);
	assert_true(fk_is_zero(extra, 4096));
	assert_int_equal(delegate(nth_pa(3)), GRANULE_GSTATUS_BAD_ADDR);
	assert_int_equal(state_of(nth_pa(3)), U);

	/* everything still reads back right */
	for (uint64_t i = 1; i < limit; i++) {
		unsigned int k = (unsigned int)(i * 3u % TRACKED);

		assert_int_equal(state_of(nth_pa(k)), k == 3u ? U : D);
	}
}

/* Churn at the load limit (long probe chains, backward-shift deletions) against the model. */
static void sparse_churn_at_limit(void **state)
{
	struct gmodel m;
	uint64_t seed = 0xc0ffee11u, limit = variant_limit();

	(void)state;
	gm_init(&m, fake_banks, 2, limit);
	for (unsigned int n = 0; n < 30000u; n++) {
		uint64_t pa = nth_pa((unsigned int)(gm_rand(&seed) % TRACKED));
		bool del = m.used < limit || gm_rand(&seed) % 4u == 0u;
		long i = gm_index(&m, pa);
		int32_t want, got;

		if (m.state[i] == U && del) {
			want = gm_delegate(&m, pa);
			got = delegate(pa);
		} else {
			want = gm_undelegate(&m, pa);
			got = undelegate(pa);
		}
		if (got != want)
			fail_msg("#%u pa 0x%llx: got %d, model %d", n, (unsigned long long)pa, got, want);
		if (n % 997u == 0u) {
			check_against_model(&m);
			assert_int_equal(g_st.used, m.used);
		}
	}
	check_against_model(&m);
}
#endif

/* ---- malformed messages never reach a handler (ipc/SCHEMA.md) ---- */

/* Send raw bytes to granule_dispatch; a valid lease 0 is there in case a handler ran. */
static enum ipc_status raw(uint16_t op, const void *msg, size_t len, size_t rep_cap)
{
	uint8_t rep[IPC_MAX_MSG];
	size_t rep_len = 0;
	int32_t s = -99;
	enum ipc_status t;

	fk_begin(IPC_SVC_GRANULE);
	fk_lease_add(B0 + 30 * G, 0, 4096, IPC_RIGHTS_RW, true);
	t = granule_dispatch(&g_st, op, msg, len, rep, rep_cap, &rep_len, &s);
	fk_end();
	return t;
}

/* Every mutation of a valid request of op that the decoder must refuse. */
static void malformed_op(uint16_t op, const void *valid, size_t len)
{
	uint8_t m[IPC_MAX_MSG + 8];
	static const uint64_t bad_pa[] = { B0 + 30 * G + 8, B0 + 30 * G + 0x800, 0, B0_END,
					   B1 - G, 0xffffffffffff0000ull };

	/* length: one short, one long, empty */
	memcpy(m, valid, len);
	assert_int_equal(raw(op, m, len - 1u, IPC_MAX_MSG), IPC_E_BAD_LEN);
	m[len] = 0;
	assert_int_equal(raw(op, m, len + 1u, IPC_MAX_MSG), IPC_E_BAD_LEN);
	assert_int_equal(raw(op, m, 0, IPC_MAX_MSG), IPC_E_BAD_LEN);

	if (op == GRANULE_OP_STATE) {
		for (size_t i = 0; i < sizeof(bad_pa) / sizeof(bad_pa[0]); i++) {
			memcpy(m, &bad_pa[i], 8);		/* pa: granule_aligned, in_dram */
			assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
		}
		return;
	}
	/* granule_ref at offset 0: lease index, rsvd[0..6], pa predicates */
	memcpy(m, valid, len);
	m[0] = IPC_MAX_LEASES;
	assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
	m[0] = 0xfe;
	assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
	for (size_t k = 1; k < 8; k++) {
		memcpy(m, valid, len);
		m[k] = 1;
		assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
	}
	for (size_t i = 0; i < sizeof(bad_pa) / sizeof(bad_pa[0]); i++) {
		memcpy(m, valid, len);
		memcpy(&m[8], &bad_pa[i], 8);
		assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
	}
	/* enum gstate fields at 16 (claim, lookup, release) and 20 (claim); padding at 20 */
	if (len >= 24u) {
		static const uint32_t bad_enum[] = { NSTATES, 8, 0x100, 0xffffffffu };

		for (size_t i = 0; i < 4; i++) {
			memcpy(m, valid, len);
			memcpy(&m[16], &bad_enum[i], 4);
			assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
			memcpy(m, valid, len);
			memcpy(&m[20], &bad_enum[i], 4);	/* claim.to or _pad0 */
			assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
		}
		for (size_t k = 20; k < 24; k++) {
			memcpy(m, valid, len);
			m[k] = op == GRANULE_OP_CLAIM ? 0x80 : 1;
			assert_int_equal(raw(op, m, len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
		}
	}
}

static void malformed_messages_never_reach_handlers(void **state)
{
	uint64_t pa = B0 + 30 * G;
	struct granule_delegate_req dl = { .gran = { .lease = 0, .pa = pa } };
	struct granule_undelegate_req ud = { .gran = { .lease = 0, .pa = pa } };
	struct granule_claim_req cl = { .gran = { .lease = 0, .pa = pa }, .from = D, .to = 2 };
	struct granule_lookup_req lk = { .gran = { .lease = 0, .pa = pa }, .expect = D };
	struct granule_release_req rl = { .gran = { .lease = IPC_LEASE_NEW, .pa = pa }, .from = 2 };
	struct granule_state_req sq = { .pa = pa };
	uint16_t max_op = 0;

	(void)state;
	to_state(pa, D);
	fk_fill(pa, 0, 4096);
	hc_granule = 0;
	fk_clear_counters();
	snap_take(&snap_a);

	malformed_op(GRANULE_OP_DELEGATE, &dl, sizeof(dl));
	malformed_op(GRANULE_OP_UNDELEGATE, &ud, sizeof(ud));
	malformed_op(GRANULE_OP_CLAIM, &cl, sizeof(cl));
	malformed_op(GRANULE_OP_LOOKUP, &lk, sizeof(lk));
	malformed_op(GRANULE_OP_RELEASE, &rl, sizeof(rl));
	malformed_op(GRANULE_OP_STATE, &sq, sizeof(sq));
	/* every op the schema has (also ones added later): length and granule_refs */
	for (size_t i = 0; i < granule_ops_count; i++) {
		const struct ipc_op_meta *m = &granule_ops[i];
		uint8_t b[IPC_MAX_MSG + 8];

		memset(b, 0, sizeof(b));
		for (unsigned int r = 0; r < m->ref_count; r++) {
			struct ipc_granule_ref ref = gref(pa);

			memcpy(&b[m->ref_off[r]], &ref, sizeof(ref));
		}
		assert_int_equal(raw(m->op, b, m->req_len + 1u, IPC_MAX_MSG), IPC_E_BAD_LEN);
		assert_int_equal(raw(m->op, b, m->req_len - 1u, IPC_MAX_MSG), IPC_E_BAD_LEN);
		for (unsigned int r = 0; r < m->ref_count; r++) {
			uint8_t c[IPC_MAX_MSG + 8];

			memcpy(c, b, sizeof(c));
			c[m->ref_off[r]] = IPC_MAX_LEASES;
			assert_int_equal(raw(m->op, c, m->req_len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
			memcpy(c, b, sizeof(c));
			c[m->ref_off[r] + 8u] |= 0x10;		/* unaligned pa */
			assert_int_equal(raw(m->op, c, m->req_len, IPC_MAX_MSG), IPC_E_BAD_FIELD);
		}
		if (m->op > max_op)
			max_op = m->op;
	}
	/* unknown ops */
	assert_int_equal(raw(0, &dl, sizeof(dl), IPC_MAX_MSG), IPC_E_BAD_OP);
	assert_int_equal(raw((uint16_t)(max_op + 1u), &dl, sizeof(dl), IPC_MAX_MSG), IPC_E_BAD_OP);
	assert_int_equal(raw(0xffff, &dl, sizeof(dl), IPC_MAX_MSG), IPC_E_BAD_OP);
	/* a reply buffer too small for the state reply */
	assert_int_equal(raw(GRANULE_OP_STATE, &sq, sizeof(sq), 4), IPC_E_BAD_REPLY);

	assert_int_equal(hc_granule, 0);
	assert_int_equal(fk_calls(FK_GTSI_DELEGATE) + fk_calls(FK_GTSI_UNDELEGATE) +
			 fk_calls(FK_LEASE_ZERO), 0);
	assert_unchanged();

	/* the valid messages themselves do reach the handlers */
	assert_int_equal(raw(GRANULE_OP_LOOKUP, &lk, sizeof(lk), IPC_MAX_MSG), IPC_OK);
	assert_int_equal(raw(GRANULE_OP_STATE, &sq, sizeof(sq), IPC_MAX_MSG), IPC_OK);
	assert_int_equal(hc_granule, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(init_all_undelegated, setup),
		cmocka_unit_test_setup(rec_registry_follows_rec_state, setup),
		cmocka_unit_test_setup(init_refuses_bad_config, setup),
		cmocka_unit_test_setup(delegate_moves_pas_and_zero_fills, setup),
		cmocka_unit_test_setup(delegate_bad_state_changes_nothing, setup),
		cmocka_unit_test_setup(delegate_bad_addr_changes_nothing, setup),
		cmocka_unit_test_setup(delegate_el3_refused_changes_nothing, setup),
		cmocka_unit_test_setup(undelegate_scrubs_and_returns_to_ns, setup),
		cmocka_unit_test_setup(undelegate_bad_state_changes_nothing, setup),
		cmocka_unit_test_setup(undelegate_bad_addr_changes_nothing, setup),
		cmocka_unit_test_setup(undelegate_el3_refused_keeps_delegated, setup),
		cmocka_unit_test_setup(claim_transition_matrix, setup),
		cmocka_unit_test_setup(claim_wrong_from_changes_nothing, setup),
		cmocka_unit_test_setup(lookup_matrix, setup),
		cmocka_unit_test_setup(release_matrix, setup),
		cmocka_unit_test_setup(state_reports_every_state, setup),
		cmocka_unit_test_setup(bank_boundaries, setup),
		cmocka_unit_test_setup(many_granules, setup),
		cmocka_unit_test_setup(gtsi_needs_full_rw_lease, setup),
		cmocka_unit_test_setup(randomized_against_model, setup),
#ifdef GRANULE_VARIANT_SPARSE
		cmocka_unit_test_setup(sparse_load_limit, setup),
		cmocka_unit_test_setup(sparse_churn_at_limit, setup),
#endif
		cmocka_unit_test_setup(malformed_messages_never_reach_handlers, setup),
		cmocka_unit_test_setup(claim_to_delegated_scrubs, setup),
	};

	return cmocka_run_group_tests_name("granule (" VARIANT ")", tests, NULL, NULL);
}
