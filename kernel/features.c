/* Computes RmiFeatureRegister0 from the CPU's ID registers (never hard-coded). */
#include <kernel/boot.h>
#include <kernel/features.h>

static uint64_t field(uint64_t reg, unsigned int shift, unsigned int width)
{
	return (reg >> shift) & ((1ull << width) - 1u);
}

/* Breakpoints/watchpoints "minus one": DFR0 field, or DFR1's wider one when DFR0 saturates. */
static uint64_t debug_count_m1(uint64_t dfr0_field, uint64_t dfr1_field)
{
	uint64_t v = dfr0_field == 0xfu && dfr1_field != 0u ? dfr1_field : dfr0_field;

	return v > 63u ? 63u : v;
}

uint64_t features_reg0(const struct cpu_id_regs *id)
{
	uint64_t parange = field(id->mmfr0, 0, 4);
	uint64_t tgran4 = field(id->mmfr0, 28, 4);
	uint64_t tgran4_2 = field(id->mmfr0, 40, 4);
	uint64_t s2sz = boot_parange_bits(parange);
	uint64_t v = 0;

	/* Without LPA2 the realm IPA space tops out at 48 bits. */
	if (s2sz > 48u && !(tgran4 == 1u && tgran4_2 == 3u))
		s2sz = 48u;
	v |= s2sz << FEAT0_S2SZ_SHIFT;
	/* LPA2 needs 52-bit 4 KB granules at stage 1 (TGran4 = 1) and stage 2 (TGran4_2 = 3). */
	if (tgran4 == 1u && tgran4_2 == 3u && parange >= 6u)
		v |= FEAT0_LPA2;
	if (field(id->pfr0, 32, 4) != 0u && id->sve_vl_bytes >= 16u) {
		v |= FEAT0_SVE_EN;
		v |= ((id->sve_vl_bytes / 16u) - 1u) << FEAT0_SVE_VL_SHIFT;
	}
	v |= debug_count_m1(field(id->dfr0, 12, 4), field(id->dfr1, 8, 8)) << FEAT0_NUM_BPS_SHIFT;
	v |= debug_count_m1(field(id->dfr0, 20, 4), field(id->dfr1, 16, 8)) << FEAT0_NUM_WPS_SHIFT;
	/* PMUv3 present (DFR0.PMUVer 1..0xe): the realm may be given a PMU. */
	if (field(id->dfr0, 8, 4) != 0u && field(id->dfr0, 8, 4) != 0xfu) {
		v |= FEAT0_PMU_EN;
		v |= field(id->pmcr, 11, 5) << FEAT0_PMU_NUM_CTRS_SHIFT;
	}
	v |= FEAT0_HASH_SHA_256 | FEAT0_HASH_SHA_512;
	v |= field(id->ich_vtr, 0, 4) << FEAT0_GICV3_NUM_LRS_SHIFT;
	v |= (uint64_t)FEAT0_MAX_RECS_ORDER << FEAT0_MAX_RECS_ORDER_SHIFT;
	return v;
}
