/* CMocka tests: RmiFeatureRegister0 derivation from ID registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/features.h>

static uint64_t fld(uint64_t v, unsigned int shift, unsigned int width)
{
	return (v >> shift) & ((1ull << width) - 1u);
}

static void plain_cpu(void **state)
{
	/* 40-bit PA, no SVE, no PMU, 6 BPs, 4 WPs, 4 LRs */
	struct cpu_id_regs id = { .mmfr0 = 2, .dfr0 = (5u << 12) | (3u << 20), .ich_vtr = 3 };
	uint64_t f = features_reg0(&id);

	(void)state;
	assert_int_equal(fld(f, 0, 8), 40);
	assert_int_equal(fld(f, 8, 1), 0);
	assert_int_equal(fld(f, 9, 1), 0);
	assert_int_equal(fld(f, 14, 6), 5);
	assert_int_equal(fld(f, 20, 6), 3);
	assert_int_equal(fld(f, 26, 1), 0);
	assert_int_equal(fld(f, 32, 2), 3);
	assert_int_equal(fld(f, 34, 4), 3);
	assert_int_equal(fld(f, 38, 4), 10);
	assert_int_equal(f >> 42, 0);
}

static void sve_pmu_lpa2(void **state)
{
	struct cpu_id_regs id = {
		.mmfr0 = 6u | (1ull << 28) | (3ull << 40),	/* 52-bit, LPA2 at S1 and S2 */
		.pfr0 = 1ull << 32,
		.dfr0 = (0xfu << 12) | (0xfu << 20) | (7u << 8),	/* saturated BPs/WPs, PMUv3p5 */
		.dfr1 = (31u << 8) | (15u << 16),
		.pmcr = 6u << 11,
		.ich_vtr = 15,
		.sve_vl_bytes = 256,	/* 2048-bit */
	};
	uint64_t f = features_reg0(&id);

	(void)state;
	assert_int_equal(fld(f, 0, 8), 52);
	assert_int_equal(fld(f, 8, 1), 1);
	assert_int_equal(fld(f, 9, 1), 1);
	assert_int_equal(fld(f, 10, 4), 15);
	assert_int_equal(fld(f, 14, 6), 31);
	assert_int_equal(fld(f, 20, 6), 15);
	assert_int_equal(fld(f, 26, 1), 1);
	assert_int_equal(fld(f, 27, 5), 6);
	assert_int_equal(fld(f, 34, 4), 15);
}

static void pa52_without_lpa2_caps_at_48(void **state)
{
	struct cpu_id_regs id = { .mmfr0 = 6 };

	(void)state;
	assert_int_equal(fld(features_reg0(&id), 0, 8), 48);
	assert_int_equal(fld(features_reg0(&id), 8, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_cpu),
		cmocka_unit_test(sve_pmu_lpa2),
		cmocka_unit_test(pa52_without_lpa2_caps_at_48),
	};

	return cmocka_run_group_tests_name("features", tests, NULL, NULL);
}
