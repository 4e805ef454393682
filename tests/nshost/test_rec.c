/* RMI_REC_CREATE / REC_DESTROY (rmi.md 10-11). */
#include "realm_util.h"

#define RMI_REC_CREATE		0xC400015Aull
#define RMI_REC_DESTROY		0xC400015Bull

struct rec_set {
	uint64_t rec, params, aux[16];
};

static void rec_params(struct rec_set *s, uint64_t flags, uint64_t mpidr, uint64_t num_aux)
{
	uint64_t *w = host_page(s->params);

	host_zero(s->params);
	w[0x000 / 8] = flags;
	w[0x100 / 8] = mpidr;
	w[0x200 / 8] = 0x1000;			/* pc */
	for (unsigned int i = 0; i < 8u; i++)
		w[0x300 / 8 + i] = i;
	w[0x800 / 8] = num_aux;
	for (unsigned int i = 0; i < 16u; i++)
		w[0x808 / 8 + i] = s->aux[i];
}

static void rec_granules(struct rec_set *s)
{
	s->rec = delegated_granule();
	s->params = host_granule();
	for (unsigned int i = 0; i < 16u; i++)
		s->aux[i] = delegated_granule();
}

static uint64_t rec_create(const struct test_realm *r, const struct rec_set *s)
{
	return smc6(RMI_REC_CREATE, r->rd, s->rec, s->params, 0, 0).x[0];
}

static void expect_all_delegated(struct tctx *t, const struct rec_set *s)
{
	/* each granule is DELEGATED: undelegate works, then delegate it back */
	EXPECT_EQ(rmi_undelegate(s->rec), RMI_SUCCESS);
	EXPECT_EQ(rmi_delegate(s->rec), RMI_SUCCESS);
	for (unsigned int i = 0; i < 16u; i++) {
		EXPECT_EQ(rmi_undelegate(s->aux[i]), RMI_SUCCESS);
		EXPECT_EQ(rmi_delegate(s->aux[i]), RMI_SUCCESS);
	}
}

TEST(rec_create_destroy)
{
	struct test_realm r;
	struct rec_set a, b;

	EXPECT_TRUE(realm_new(&r, 40));
	rec_granules(&a);
	rec_granules(&b);
	rec_params(&a, 1, 0, 16);					/* runnable REC 0 */
	EXPECT_EQ(rec_create(&r, &a), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(a.rec), RMI_ERROR_INPUT);		/* it is a REC */
	EXPECT_EQ(rmi_undelegate(a.aux[7]), RMI_ERROR_INPUT);		/* REC_AUX */
	rec_params(&b, 0, 1, 16);					/* REC 1, not runnable */
	EXPECT_EQ(rec_create(&r, &b), RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_ERROR_REALM);	/* realm_live: RECs */
	EXPECT_EQ(smc1(RMI_REC_DESTROY, a.rec).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REC_DESTROY, a.rec).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_ERROR_REALM);	/* one left */
	EXPECT_EQ(smc1(RMI_REC_DESTROY, b.rec).x[0], RMI_SUCCESS);
	expect_all_delegated(t, &a);
	expect_all_delegated(t, &b);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_SUCCESS);
}

TEST(rec_create_failures_in_order)
{
	struct test_realm r;
	struct rec_set s;
	uint64_t ns = host_granule();

	EXPECT_TRUE(realm_new(&r, 41));
	rec_granules(&s);
	/* 1: params page */
	rec_params(&s, 1, 0, 16);
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, s.rec, s.rec, 0, 0).x[0], RMI_ERROR_INPUT);	/* delegated */
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, s.rec, s.params + 8, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, s.rec, 0x1000, 0, 0).x[0], RMI_ERROR_INPUT);
	/* 2: num_aux > 16 */
	rec_params(&s, 1, 0, 17);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	/* 3: an aux granule that is not DELEGATED (the earlier ones are given back) */
	s.aux[5] = ns;
	rec_params(&s, 1, 0, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	s.aux[5] = s.aux[4];						/* duplicate aux */
	rec_params(&s, 1, 0, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	s.aux[5] = delegated_granule();
	/* 4: rec == rd, rec == an aux, rec not DELEGATED, rd not an RD */
	rec_params(&s, 1, 0, 16);
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, r.rd, s.params, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, s.aux[0], s.params, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, ns, s.params, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_CREATE, s.rec, delegated_granule(), s.params, 0, 0).x[0], RMI_ERROR_INPUT);
	/* 7: mpidr: bits outside the fields, or not the next index */
	rec_params(&s, 1, 0x10, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	rec_params(&s, 1, 1ull << 32, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	rec_params(&s, 1, 1, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	/* 8: num_aux must be REC_AUX_COUNT */
	rec_params(&s, 1, 0, 15);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_INPUT);
	/* nothing was kept by any failure */
	expect_all_delegated(t, &s);
	/* 6 before 7: an active realm reports REALM even with a bad mpidr */
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, r.rd).x[0], RMI_SUCCESS);
	rec_params(&s, 1, 0x10, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_REALM);
	rec_params(&s, 1, 0, 16);
	EXPECT_EQ(rec_create(&r, &s), RMI_ERROR_REALM);
	expect_all_delegated(t, &s);
	/* REC_DESTROY of something that is not a REC */
	EXPECT_EQ(smc1(RMI_REC_DESTROY, s.rec).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REC_DESTROY, r.rd).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REC_DESTROY, ns).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REC_DESTROY, s.rec + 8).x[0], RMI_ERROR_INPUT);
}

/*
 * A REC granule created, destroyed, undelegated and delegated again on CPU 0
 * while every other CPU enters it, completes a PSCI request with it and asks
 * RTT_SET_RIPAS about it, as fast as they can: none of them may see a REC
 * half built or half gone (the RMM would read a granule that is no longer
 * what it checked, and fault). Every answer is one a sequential history
 * allows: REC_ENTER INPUT (not a REC), REALM (a REC of a NEW realm) or REC
 * (held by another CPU).
 */
#define RMI_REC_ENTER		0xC400015Cull
#define RMI_PSCI_COMPLETE	0xC4000164ull
#define RMI_RTT_SET_RIPAS	0xC4000169ull
#define CHURN_ROUNDS		40u

static struct {
	struct test_realm r;
	struct rec_set s, other;
	uint64_t run[HOST_MAX_CPUS];
	uint32_t stop, entries, bad, destroy_busy;
	uint64_t bad_status;
} churn;

static void churn_cpu(unsigned int cpu, void *arg)
{
	(void)arg;
	if (cpu == 0u) {
		for (unsigned int i = 0; i < CHURN_ROUNDS; i++) {
			uint64_t idx = i + 1u, c, d;	/* REC indices only grow (structures.md 9) */

			/*
			 * each round starts once another CPU has come round again
			 * (at once on the firmware; a simulated CPU may have been
			 * descheduled), bounded so that a stuck CPU fails the test
			 */
			for (uint64_t spin = 0; spin < 100000000ull &&
			     __atomic_load_n(&churn.entries, __ATOMIC_ACQUIRE) <= i + 1u; spin++)
				host_relax();

			rec_params(&churn.s, 0, (idx & 0xfu) | (idx >> 4) << 8, 16);
			c = rec_create(&churn.r, &churn.s);

			/* another CPU may hold the REC for a moment: RMI_ERROR_REC, try again */
			while ((d = smc1(RMI_REC_DESTROY, churn.s.rec).x[0]) == RMI_ERROR_REC)
				__atomic_add_fetch(&churn.destroy_busy, 1u, __ATOMIC_RELAXED);
			if (c != RMI_SUCCESS || d != RMI_SUCCESS ||
			    rmi_undelegate(churn.s.rec) != RMI_SUCCESS ||
			    rmi_delegate(churn.s.rec) != RMI_SUCCESS) {
				__atomic_store_n(&churn.bad_status, 0xcull << 60 | c << 16 | d,
						 __ATOMIC_RELAXED);
				__atomic_add_fetch(&churn.bad, 1u, __ATOMIC_RELAXED);
			}
		}
		__atomic_store_n(&churn.stop, 1u, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&churn.stop, __ATOMIC_ACQUIRE) == 0u) {
		uint64_t e = smc6(RMI_REC_ENTER, churn.s.rec, churn.run[cpu], 0, 0, 0).x[0];
		uint64_t p = smc6(RMI_PSCI_COMPLETE, churn.other.rec, churn.s.rec, 0, 0, 0).x[0];
		uint64_t q = smc6(RMI_PSCI_COMPLETE, churn.s.rec, churn.other.rec, 0, 0, 0).x[0];
		uint64_t s = smc6(RMI_RTT_SET_RIPAS, churn.r.rd, churn.s.rec, 0, 0x1000, 0).x[0];

		__atomic_add_fetch(&churn.entries, 1u, __ATOMIC_RELAXED);
		if ((e != RMI_ERROR_INPUT && e != RMI_ERROR_REALM && e != RMI_ERROR_REC) ||
		    p != RMI_ERROR_INPUT || q != RMI_ERROR_INPUT ||
		    (s != RMI_ERROR_INPUT && s != RMI_ERROR_REC)) {
			__atomic_store_n(&churn.bad_status, e << 48 | p << 32 | q << 16 | s,
					 __ATOMIC_RELAXED);
			__atomic_add_fetch(&churn.bad, 1u, __ATOMIC_RELAXED);
		}
	}
}

TEST(rec_churn_while_other_cpus_enter_it)
{
	if (host_cpu_count() < 2u) {
		hputs("  (one CPU: skipped)\n");
		return;
	}
	EXPECT_TRUE(realm_new(&churn.r, 64));
	rec_granules(&churn.s);
	rec_granules(&churn.other);
	rec_params(&churn.other, 1, 0, 16);
	EXPECT_EQ(rec_create(&churn.r, &churn.other), RMI_SUCCESS);	/* REC 0 */
	for (unsigned int i = 0; i < host_cpu_count(); i++)
		churn.run[i] = host_granule();
	EXPECT_TRUE(host_run_all(churn_cpu, NULL));
	EXPECT_EQ(churn.bad, 0);
	EXPECT_EQ(churn.bad_status, 0);
	EXPECT_TRUE(churn.entries > CHURN_ROUNDS);
	hputs("  REC_ENTER/PSCI_COMPLETE/SET_RIPAS rounds on other CPUs: ");
	hput_dec(churn.entries);
	hputs(", REC_DESTROY refused while held: ");
	hput_dec(churn.destroy_busy);
	hputs("\n");
	/* the RMM is whole: the REC granule is DELEGATED again, the realm goes away */
	EXPECT_EQ(smc1(RMI_REC_DESTROY, churn.other.rec).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, churn.r.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(churn.s.rec), RMI_SUCCESS);
}
