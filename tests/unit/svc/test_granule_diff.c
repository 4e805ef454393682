/*
 * Differential test of the granule service variants (states.md 1): "array"
 * and "sparse" linked side by side (gvariant.h) receive the same random
 * operations, each from the same starting memory and GPT, and must agree
 * with each other and with the reference model (granule_model.h) on every
 * status, every granule state, the GPT and the granule contents.
 *
 * Fake DRAM as in test_granule.c: B0 and B1 tracked, BX in DRAM but not
 * tracked. The op mix keeps at most the sparse load limit of granules out
 * of UNDELEGATED except for deliberate attempts beyond it, where the
 * variants legitimately differ (array has no limit): those are checked
 * against the model per variant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <ipc/granule.h>

#include "fake_kernel.h"
#include "granule_model.h"
#include "gvariant.h"

#define G	4096ull
#define B0	0x80000000ull
#define B1	0x90000000ull
#define BX	0xA0000000ull
#define NB	96u
#define TRACKED	(2u * NB)
#define U	GRANULE_GSTATE_UNDELEGATED
#define D	GRANULE_GSTATE_DELEGATED
#define TERR(t)	(-(int32_t)(t))

static const struct fk_bank fake_banks[] = { { B0, NB }, { B1, NB }, { BX, 16 } };
static const struct granule_bank svc_banks[] = { { B0, NB * G, 0 }, { B1, NB * G, 0 } };
static const struct gvariant *const var[2] = { &gvariant_array, &gvariant_sparse };

static int setup(void **state)
{
	(void)state;
	fk_reset();
	fk_set_banks(fake_banks, 3);
	for (int v = 0; v < 2; v++)
		assert_true(var[v]->init(svc_banks, 2));
	return 0;
}

static uint64_t tracked_pa(unsigned int i)
{
	return i < NB ? B0 + i * G : B1 + (i - NB) * G;
}

/* One request to variant v, as the kernel sends it (lease NEW + pa). */
static int32_t call(int v, unsigned int op, uint64_t pa, uint32_t a, uint32_t b, uint32_t *out)
{
	union {
		struct granule_delegate_req dl;
		struct granule_claim_req cl;
		struct granule_lookup_req lk;
		struct granule_release_req rl;
		struct granule_state_req sq;
	} m;
	struct ipc_granule_ref ref = { .lease = IPC_LEASE_NEW, .pa = pa };
	struct granule_state_rep rep = { 0 };
	size_t len, rep_len = 0;
	int32_t s = -99;
	enum ipc_status t;

	memset(&m, 0, sizeof(m));
	switch (op) {
	case GRANULE_OP_DELEGATE:
	case GRANULE_OP_UNDELEGATE:
		m.dl.gran = ref;
		len = sizeof(m.dl);
		break;
	case GRANULE_OP_CLAIM:
		m.cl = (struct granule_claim_req){ .gran = ref, .from = a, .to = b };
		len = sizeof(m.cl);
		break;
	case GRANULE_OP_LOOKUP:
		m.lk.gran = ref;
		m.lk.expect = a;
		len = sizeof(m.lk);
		break;
	case GRANULE_OP_RELEASE:
		m.rl.gran = ref;
		m.rl.from = a;
		len = sizeof(m.rl);
		break;
	default:
		m.sq.pa = pa;
		len = sizeof(m.sq);
		break;
	}
	fk_register(IPC_SVC_GRANULE, var[v]->ops, *var[v]->ops_count, var[v]->dispatch);
	t = ipc_call(IPC_SVC_GRANULE, (uint16_t)op, &m, len, &rep, sizeof(rep), &rep_len, &s);
	*out = rep.state;
	return t == IPC_OK ? s : TERR(t);
}

static int32_t model_call(struct gmodel *m, unsigned int op, uint64_t pa, uint32_t a, uint32_t b)
{
	uint32_t st;

	if (fk_mem(pa) == NULL || (pa & 0xfffu) != 0u ||
	    (op == GRANULE_OP_CLAIM && (a > 6u || b > 6u)) ||
	    ((op == GRANULE_OP_LOOKUP || op == GRANULE_OP_RELEASE) && a > 6u))
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

static uint64_t pick_pa(uint64_t *seed)
{
	uint64_t r = gm_rand(seed) % 100u, k = gm_rand(seed);

	if (r < 90u)
		return tracked_pa((unsigned int)(k % 64u) * 3u % TRACKED);	/* both banks */
	if (r < 96u)
		return BX + (k % 16u) * G;
	if (r < 98u)
		return B0 + NB * G + (k % 4u) * G;				/* gap */
	return B1 + (k % 8u) * G + 16u;					/* unaligned */
}

static void check_all(const struct gmodel *m)
{
	for (unsigned int i = 0; i < TRACKED; i++) {
		uint32_t sa, ss;

		assert_true(var[0]->get(tracked_pa(i), &sa));
		assert_true(var[1]->get(tracked_pa(i), &ss));
		assert_int_equal(sa, ss);
		assert_int_equal(sa, m->state[i]);
		if (sa == D)
			assert_true(fk_is_zero(tracked_pa(i), 4096));
	}
	assert_false(var[0]->get(BX, &(uint32_t){ 0 }));
	assert_false(var[1]->get(BX, &(uint32_t){ 0 }));
}

static uint8_t before[4096], after_a[4096];

/* Lock step: 50000 random ops, fixed seed (states.md 1 transitions, handlers.c rules). */
static void variants_agree_with_model(void **state)
{
	uint64_t seed = 0xd1ff0001u, limit = var[1]->limit();
	struct gmodel m;

	(void)state;
	assert_true(limit < TRACKED);
	assert_int_equal(var[0]->limit(), UINT64_MAX);
	gm_init(&m, fake_banks, 2, limit);
	fk_set_pas(tracked_pa(9), FK_PAS_SECURE);	/* EL3 refuses this one */
	m.secure[9] = true;

	for (unsigned int n = 0; n < 50000u; n++) {
		unsigned int op = 1u + (unsigned int)(gm_rand(&seed) % 6u);
		uint64_t pa = pick_pa(&seed);
		long idx = gm_index(&m, pa);
		uint32_t a = idx >= 0 && gm_rand(&seed) % 4u != 0u ? m.state[idx]
								 : (uint32_t)(gm_rand(&seed) % 8u);
		uint32_t b = (uint32_t)(gm_rand(&seed) % 8u), out_a = 0, out_s = 0;
		bool mem = fk_mem(pa) != NULL && (pa & 0xfffu) == 0u;
		enum fk_pas pas_before = mem ? fk_pas(pa) : FK_PAS_NS, pas_a = pas_before;
		int32_t want, got_a, got_s;

		/* at the sparse limit the variants differ by design: stay below it */
		if (op == GRANULE_OP_DELEGATE && m.used >= limit)
			op = GRANULE_OP_UNDELEGATE;
		want = model_call(&m, op, pa, a, b);
		if (op == GRANULE_OP_CLAIM && want == GRANULE_GSTATUS_OK && b == D)
			fk_fill(pa, 0, 4096);	/* well-behaved client (see test_granule.c) */
		if (mem)
			memcpy(before, fk_mem(pa), 4096);

		got_a = call(0, op, pa, a, b, &out_a);
		if (mem) {
			memcpy(after_a, fk_mem(pa), 4096);
			pas_a = fk_pas(pa);
			memcpy(fk_mem(pa), before, 4096);	/* same start for sparse */
			fk_set_pas(pa, pas_before);
		}
		got_s = call(1, op, pa, a, b, &out_s);
		if (got_a != want || got_s != want)
			fail_msg("#%u op %u pa 0x%llx (%u, %u): array %d, sparse %d, model %d", n, op,
				 (unsigned long long)pa, a, b, got_a, got_s, want);
		if (op == GRANULE_OP_STATE && want == GRANULE_GSTATUS_OK) {
			assert_int_equal(out_a, out_s);
			assert_int_equal(out_a, m.state[idx]);
		}
		if (mem) {
			assert_int_equal(fk_pas(pa), pas_a);
			assert_memory_equal(fk_mem(pa), after_a, 4096);
		}
		if (op == GRANULE_OP_CLAIM && want == GRANULE_GSTATUS_OK && b != D)
			fk_fill(pa, (uint8_t)(1u + n % 251u), 4096);	/* object content */
		if (n % 2500u == 0u)
			check_all(&m);
	}
	check_all(&m);
}

/* Beyond the sparse limit: array accepts, sparse refuses cleanly (BAD_ADDR). */
static void variants_differ_only_at_the_limit(void **state)
{
	uint64_t limit = var[1]->limit();
	struct gmodel ma, ms;
	uint32_t out;

	(void)state;
	gm_init(&ma, fake_banks, 2, UINT64_MAX);
	gm_init(&ms, fake_banks, 2, limit);
	for (unsigned int i = 0; i < TRACKED; i++) {
		uint64_t pa = tracked_pa(i);
		bool fresh = fk_pas(pa) == FK_PAS_NS;

		assert_int_equal(call(0, GRANULE_OP_DELEGATE, pa, 0, 0, &out), gm_delegate(&ma, pa));
		if (fresh)
			fk_set_pas(pa, FK_PAS_NS);	/* sparse starts from the same GPT */
		assert_int_equal(call(1, GRANULE_OP_DELEGATE, pa, 0, 0, &out), gm_delegate(&ms, pa));
		if (i >= limit)
			fk_set_pas(pa, FK_PAS_REALM);	/* array's view of the GPT */
	}
	assert_int_equal(ma.used, TRACKED);
	assert_int_equal(ms.used, limit);
	for (unsigned int i = 0; i < TRACKED; i++) {
		uint32_t sa, ss;

		assert_true(var[0]->get(tracked_pa(i), &sa));
		assert_true(var[1]->get(tracked_pa(i), &ss));
		assert_int_equal(sa, D);
		assert_int_equal(ss, i < limit ? D : U);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(variants_agree_with_model, setup),
		cmocka_unit_test_setup(variants_differ_only_at_the_limit, setup),
	};

	return cmocka_run_group_tests_name("granule array vs sparse", tests, NULL, NULL);
}
