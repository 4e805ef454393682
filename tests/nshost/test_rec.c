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
