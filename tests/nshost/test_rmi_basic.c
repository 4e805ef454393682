/* RMI_VERSION, RMI_FEATURES, unknown FIDs and RMI from every CPU (issue 2). */
#include "host.h"

static void expect_version(struct tctx *t, uint64_t req, uint64_t status)
{
	struct smc_res r = smc6(RMI_VERSION, req, 0, 0, 0x4444, 0);

	EXPECT_EQ(r.x[0], status);
	/* lower/higher revisions are reported whatever the request */
	EXPECT_EQ(r.x[1], RMI_ABI_1_0);
	EXPECT_EQ(r.x[2], RMI_ABI_1_0);
	EXPECT_EQ(r.x[3], 0);
	EXPECT_EQ(r.x[4], 0x4444);	/* caller's x4 handed back */
}

TEST(rmi_version_equal)
{
	expect_version(t, RMI_ABI_1_0, RMI_SUCCESS);
}

TEST(rmi_version_older)
{
	expect_version(t, 0x00000000, RMI_ERROR_INPUT);	/* 0.0 */
	expect_version(t, 0x00000001, RMI_ERROR_INPUT);	/* 0.1 */
}

TEST(rmi_version_newer)
{
	expect_version(t, 0x00010001, RMI_ERROR_INPUT);	/* 1.1 */
	expect_version(t, 0x00020000, RMI_ERROR_INPUT);	/* 2.0 */
	expect_version(t, 0x7fff0000, RMI_ERROR_INPUT);	/* 32767.0 */
}

TEST(rmi_version_malformed)
{
	expect_version(t, 0x80010000, RMI_ERROR_INPUT);		/* bit 31 set */
	expect_version(t, 0x100010000ull, RMI_ERROR_INPUT);	/* bits above 31 */
	expect_version(t, ~0ull, RMI_ERROR_INPUT);
}

TEST(rmi_version_sve_hint)
{
	/* SMCCC v1.3 SVE hint (bit 16 of the FID) must not change the answer. */
	struct smc_res r = smc6(RMI_VERSION | (1ull << 16), RMI_ABI_1_0, 0, 0, 0, 0);

	EXPECT_EQ(r.x[0], RMI_SUCCESS);
	EXPECT_EQ(r.x[1], RMI_ABI_1_0);
}

static uint64_t fld(uint64_t v, unsigned int shift, unsigned int width)
{
	return (v >> shift) & ((1ull << width) - 1u);
}

TEST(rmi_features_reg0)
{
	static const unsigned int pa_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	struct smc_res r = smc6(RMI_FEATURES, 0, 0, 0, 0x55, 0);
	uint64_t f = r.x[1];
	uint64_t mmfr0 = host_read_id(ID_MMFR0), pfr0 = host_read_id(ID_PFR0);
	uint64_t dfr0 = host_read_id(ID_DFR0), dfr1 = host_read_id(ID_DFR1);
	uint64_t parange = fld(mmfr0, 0, 4);
	uint64_t want_s2sz = parange < 7u ? pa_bits[parange] : 0u;
	uint64_t want_bps = fld(dfr0, 12, 4), want_wps = fld(dfr0, 20, 4);
	bool lpa2 = fld(mmfr0, 28, 4) == 1u && fld(mmfr0, 40, 4) == 3u;

	if (want_bps == 15u && fld(dfr1, 8, 8) != 0u)
		want_bps = fld(dfr1, 8, 8);
	if (want_wps == 15u && fld(dfr1, 16, 8) != 0u)
		want_wps = fld(dfr1, 16, 8);
	if (want_s2sz > 48u && !lpa2)
		want_s2sz = 48u;

	EXPECT_EQ(r.x[0], RMI_SUCCESS);
	EXPECT_EQ(r.x[4], 0x55);
	EXPECT_EQ(fld(f, 0, 8), want_s2sz);
	EXPECT_EQ(fld(f, 8, 1), lpa2 && parange >= 6u);
	/* QEMU max has SVE and PMUv3; both are offered (their realm state is switched) */
	EXPECT_TRUE(fld(pfr0, 32, 4) != 0u && fld(dfr0, 8, 4) != 0u);
	EXPECT_EQ(fld(f, 9, 1), 1);			/* SVE_EN */
	EXPECT_EQ(fld(f, 10, 4), host_sve_init() / 16u - 1u);	/* SVE_VL: the maximum */
	EXPECT_EQ(fld(f, 14, 6), want_bps);
	EXPECT_EQ(fld(f, 20, 6), want_wps);
	EXPECT_EQ(fld(f, 26, 1), 1);			/* PMU_EN */
	EXPECT_EQ(fld(f, 27, 5), fld(host_read_id(ID_PMCR), 11, 5));	/* PMU_NUM_CTRS */
	EXPECT_EQ(fld(f, 32, 1), 1);			/* SHA-256 */
	EXPECT_EQ(fld(f, 33, 1), 1);			/* SHA-512 */
	EXPECT_TRUE(fld(f, 34, 4) >= 3u);		/* GICv3 has at least 4 LRs */
	EXPECT_EQ(fld(f, 38, 4), 10);			/* MAX_RECS_ORDER */
	EXPECT_EQ(fld(f, 42, 22), 0);			/* RES0 */
}

TEST(rmi_features_other_index)
{
	static const uint64_t idx[] = { 1, 2, 0xff, 0x100000000ull, ~0ull };

	for (unsigned int i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		struct smc_res r = smc6(RMI_FEATURES, idx[i], 0, 0, 0, 0);

		EXPECT_EQ(r.x[0], RMI_SUCCESS);
		EXPECT_EQ(r.x[1], 0);
	}
}

/* Not v1.0 commands, and v1.0 commands not implemented yet by this build. */
TEST(rmi_unknown_fids)
{
	static const uint64_t fnum[] = { 0x156, 0x160, 0x163, 0x16a, 0x170, 0x17f, 0x18e };

	for (unsigned int i = 0; i < sizeof(fnum) / sizeof(fnum[0]); i++) {
		struct smc_res r = smc6(0xC4000000ull | fnum[i], 1, 2, 3, 4, 5);

		EXPECT_EQ(r.x[0], SMC_UNKNOWN);
	}
}

/* The RMM keeps answering after unknown calls (no state change). */
TEST(rmi_after_unknown)
{
	(void)smc6(0xC400016Aull, 0, 0, 0, 0, 0);
	expect_version(t, RMI_ABI_1_0, RMI_SUCCESS);
}

struct cpu_result {
	uint64_t version_status, features;
	bool ran;
};
static struct cpu_result results[HOST_MAX_CPUS];

static void rmi_on_cpu(unsigned int idx, void *arg)
{
	struct smc_res r = smc1(RMI_VERSION, RMI_ABI_1_0);

	(void)arg;
	results[idx].version_status = r.x[0];
	results[idx].features = smc1(RMI_FEATURES, 0).x[1];
	results[idx].ran = true;
}

TEST(rmi_from_every_cpu)
{
	unsigned int n = host_cpu_count();
	uint64_t f0 = smc1(RMI_FEATURES, 0).x[1];

	for (unsigned int i = 0; i < n; i++) {
		EXPECT_TRUE(host_run_on(i, rmi_on_cpu, NULL));
		EXPECT_TRUE(results[i].ran);
		EXPECT_EQ(results[i].version_status, RMI_SUCCESS);
		EXPECT_EQ(results[i].features, f0);
	}
	EXPECT_EQ(host_online_cpus(), n);
}

/* A CPU that was powered off and on again is warm-booted again by the RMM. */
TEST(rmi_after_cpu_off_and_on)
{
	unsigned int n = host_cpu_count();

	for (unsigned int i = 1; i < n; i++) {
		results[i].ran = false;
		EXPECT_TRUE(host_cpu_off(i));
		EXPECT_TRUE(host_run_on(i, rmi_on_cpu, NULL));
		EXPECT_TRUE(results[i].ran);
		EXPECT_EQ(results[i].version_status, RMI_SUCCESS);
	}
	EXPECT_EQ(host_online_cpus(), n);
}
