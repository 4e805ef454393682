/* RMI_REALM_CREATE / ACTIVATE / DESTROY, REC_AUX_COUNT (rmi.md 6-9). */
#include "realm_util.h"

struct realm_params {
	uint64_t flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo;
	uint64_t vmid, rtt_base;
	int64_t rtt_level_start;
	uint64_t rtt_num_start;
};

static void write_params(uint64_t page, const struct realm_params *p)
{
	uint64_t *w = host_page(page);

	host_zero(page);
	w[0x000 / 8] = p->flags;
	w[0x008 / 8] = p->s2sz;
	w[0x010 / 8] = p->sve_vl;
	w[0x018 / 8] = p->num_bps;
	w[0x020 / 8] = p->num_wps;
	w[0x028 / 8] = p->pmu_num_ctrs;
	w[0x030 / 8] = p->hash_algo;
	for (unsigned int i = 0; i < 8u; i++)
		w[0x400 / 8 + i] = 0x5250560000000000ull + i;	/* rpv */
	w[0x800 / 8] = p->vmid;
	w[0x808 / 8] = p->rtt_base;
	w[0x810 / 8] = (uint64_t)p->rtt_level_start;
	w[0x818 / 8] = p->rtt_num_start;
}

/* A realm with a 39-bit IPA space: one level-1 root RTT. */
static struct realm_params good_params(uint64_t rtt, uint64_t vmid)
{
	struct realm_params p = {
		.s2sz = 39, .num_bps = 1, .num_wps = 1, .hash_algo = 0,
		.vmid = vmid, .rtt_base = rtt, .rtt_level_start = 1, .rtt_num_start = 1,
	};

	return p;
}

static uint64_t create(uint64_t rd, uint64_t params_page, const struct realm_params *p)
{
	write_params(params_page, p);
	return smc6(RMI_REALM_CREATE, rd, params_page, 0, 0, 0).x[0];
}

static uint64_t delegated(void)
{
	return delegated_granule();
}

uint64_t delegated_granule(void)
{
	uint64_t pa = host_granule();

	if (rmi_delegate(pa) != RMI_SUCCESS)
		hputs("host: delegate failed\n");
	return pa;
}

bool realm_new_with(struct test_realm *r, uint64_t vmid, uint64_t flags, uint64_t sve_vl,
		    uint64_t pmu_ctrs)
{
	uint64_t params = host_granule();
	struct realm_params p;

	r->rd = delegated_granule();
	r->root = delegated_granule();
	p = good_params(r->root, vmid);
	p.flags = flags;
	p.sve_vl = sve_vl;
	p.pmu_num_ctrs = pmu_ctrs;
	return create(r->rd, params, &p) == RMI_SUCCESS;
}

uint64_t realm_create_bpwp(uint64_t rd, uint64_t rtt, uint64_t vmid, uint64_t bps, uint64_t wps)
{
	struct realm_params p = good_params(rtt, vmid);

	p.num_bps = bps;
	p.num_wps = wps;
	return create(rd, host_granule(), &p);
}

bool realm_new(struct test_realm *r, uint64_t vmid)
{
	return realm_new_with(r, vmid, 0, 0, 0);
}

struct smc_res rtt_read(const struct test_realm *r, uint64_t ipa, int64_t level)
{
	return smc6(RMI_RTT_READ_ENTRY, r->rd, ipa, (uint64_t)level, 0, 0);
}

TEST(realm_lifecycle)
{
	uint64_t rd = delegated(), rtt = delegated(), params = host_granule(), v;
	struct realm_params p = good_params(rtt, 1);
	struct smc_res r;

	EXPECT_EQ(create(rd, params, &p), RMI_SUCCESS);
	EXPECT_EQ(host_probe_read(rd, &v), -1);			/* still Realm PAS */
	EXPECT_EQ(rmi_undelegate(rd), RMI_ERROR_INPUT);		/* it is an RD now */
	EXPECT_EQ(rmi_undelegate(rtt), RMI_ERROR_INPUT);	/* and an RTT */
	r = smc1(RMI_REC_AUX_COUNT, rd);
	EXPECT_EQ(r.x[0], RMI_SUCCESS);
	EXPECT_EQ(r.x[1], 16);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, rd).x[0], RMI_ERROR_REALM);	/* realm_state */
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_ERROR_INPUT);	/* no longer an RD */
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
	EXPECT_EQ(host_page(rd)[0], 0);				/* scrubbed */
}

TEST(realm_concatenated_roots)
{
	uint64_t rd = delegated(), params = host_granule();
	uint64_t rtt[4];
	struct realm_params p;

	/* 4 contiguous granules aligned to 16 KB for s2sz 41 at level 1 (4 roots). */
	do {
		rtt[0] = host_granule();
	} while ((rtt[0] & 0x3fffu) != 0u);
	for (unsigned int i = 1; i < 4u; i++)
		rtt[i] = host_granule();
	for (unsigned int i = 0; i < 4u; i++)
		EXPECT_EQ(rmi_delegate(rtt[i]), RMI_SUCCESS);
	p = good_params(rtt[0], 2);
	p.s2sz = 41;
	p.rtt_num_start = 2;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* needs 4 roots */
	p.rtt_num_start = 4;
	p.rtt_base = rtt[1];
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* misaligned roots */
	p.rtt_base = rtt[0];
	EXPECT_EQ(create(rd, params, &p), RMI_SUCCESS);
	for (unsigned int i = 0; i < 4u; i++)
		EXPECT_EQ(rmi_undelegate(rtt[i]), RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 4u; i++)
		EXPECT_EQ(rmi_undelegate(rtt[i]), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
}

/* Each invalid parameter set fails with RMI_ERROR_INPUT and changes nothing. */
TEST(realm_create_bad_params)
{
	uint64_t rd = delegated(), rtt = delegated(), params = host_granule();
	uint64_t feat = smc1(RMI_FEATURES, 0).x[1];
	uint64_t s2sz_max = feat & 0xff, bps = (feat >> 14) & 0x3f, wps = (feat >> 20) & 0x3f;
	uint64_t ctrs = (feat >> 27) & 0x1f;
	struct realm_params p;

	p = good_params(rtt, 3); p.s2sz = 31;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* b: s2sz < 32 */
	p = good_params(rtt, 3); p.s2sz = s2sz_max + 1;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* b: s2sz > FEAT */
	p = good_params(rtt, 3); p.s2sz = 49;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* b: > 48 without LPA2 */
	p = good_params(rtt, 3); p.num_bps = 0;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* c */
	p = good_params(rtt, 3); p.num_bps = bps + 1;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* c */
	p = good_params(rtt, 3); p.num_wps = 0;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* c */
	p = good_params(rtt, 3); p.num_wps = wps + 1;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* c */
	p = good_params(rtt, 3); p.flags = 2; p.sve_vl = 16;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* d: VL beyond any SVE */
	p = good_params(rtt, 3); p.flags = 4; p.pmu_num_ctrs = ctrs + 1;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* e */
	p = good_params(rtt, 3); p.flags = 4; p.pmu_num_ctrs = 0;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* e: no FEAT_HPMN0 path */
	p = good_params(rtt, 3); p.rtt_level_start = 2;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* f: 39 bits at level 2 */
	p = good_params(rtt, 3); p.rtt_level_start = 3;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* f: level 3 */
	p = good_params(rtt, 3); p.rtt_level_start = -1;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* f: -1 without LPA2 */
	p = good_params(rtt, 3); p.rtt_level_start = 0x100000001ll;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* f: not truncated to 1 */
	p = good_params(rtt, 3); p.rtt_num_start = 2;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* g */
	p = good_params(rtt, 3); p.rtt_num_start = 0;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* g */
	p = good_params(rtt, 3); p.hash_algo = 2;
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);	/* h */
	p = good_params(rtt, 3); p.vmid = 0x10000;
	EXPECT_EQ(create(rd, params, &p), RMI_SUCCESS);		/* vmid is a 16-bit field */
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	/* after all of that, the granules are still DELEGATED and usable */
	p = good_params(rtt, 3);
	EXPECT_EQ(create(rd, params, &p), RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
}

TEST(realm_create_vmid_unique)
{
	uint64_t rd1 = delegated(), rtt1 = delegated(), rd2 = delegated(), rtt2 = delegated();
	uint64_t params = host_granule();
	struct realm_params p1 = good_params(rtt1, 7), p2 = good_params(rtt2, 7);

	EXPECT_EQ(create(rd1, params, &p1), RMI_SUCCESS);
	EXPECT_EQ(create(rd2, params, &p2), RMI_ERROR_INPUT);	/* i: VMID in use */
	EXPECT_EQ(rmi_undelegate(rd2), RMI_SUCCESS);		/* untouched */
	EXPECT_EQ(rmi_delegate(rd2), RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd1).x[0], RMI_SUCCESS);
	EXPECT_EQ(create(rd2, params, &p2), RMI_SUCCESS);	/* released by destroy */
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd2).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd1), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt1), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd2), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt2), RMI_SUCCESS);
}

TEST(realm_create_bad_granules)
{
	uint64_t rd = delegated(), rtt = delegated(), params = host_granule();
	uint64_t undelegated = host_granule();
	struct realm_params p = good_params(rtt, 9);

	EXPECT_EQ(create(rd, params, &p), RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	/* alias: rd inside the root RTT range */
	p = good_params(rd, 9);
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);
	/* rd_state / rtt_state */
	p = good_params(rtt, 9);
	EXPECT_EQ(create(undelegated, params, &p), RMI_ERROR_INPUT);
	p = good_params(undelegated, 9);
	EXPECT_EQ(create(rd, params, &p), RMI_ERROR_INPUT);
	/* rd_align / rd_bound */
	p = good_params(rtt, 9);
	EXPECT_EQ(create(rd + 0x10, params, &p), RMI_ERROR_INPUT);
	EXPECT_EQ(create(0x1000, params, &p), RMI_ERROR_INPUT);
	/* params_align / params_bound / params_pas */
	write_params(params, &p);
	EXPECT_EQ(smc6(RMI_REALM_CREATE, rd, params + 8, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REALM_CREATE, rd, 0x1000, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REALM_CREATE, rd, rtt, 0, 0, 0).x[0], RMI_ERROR_INPUT);	/* delegated */
	EXPECT_EQ(smc6(RMI_REALM_CREATE, rd, RMM_IMAGE_BASE, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REALM_CREATE, rd, RMM_SHARED_PAGE, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	/* a root RTT that is already an RD of another realm */
	EXPECT_EQ(create(rd, params, &p), RMI_SUCCESS);
	{
		uint64_t rd2 = delegated();
		struct realm_params q = good_params(rd, 10);

		EXPECT_EQ(create(rd2, params, &q), RMI_ERROR_INPUT);
		EXPECT_EQ(rmi_undelegate(rd2), RMI_SUCCESS);
	}
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
}

TEST(realm_commands_need_an_rd)
{
	uint64_t g = delegated(), ns = host_granule();

	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, g).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, g).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REC_AUX_COUNT, g).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, ns).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, g + 8).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REC_AUX_COUNT, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_undelegate(g), RMI_SUCCESS);
}
