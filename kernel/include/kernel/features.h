/* RmiFeatureRegister0 (structures.md section 2), derived from ID registers. */
#ifndef KERNEL_FEATURES_H
#define KERNEL_FEATURES_H

#include <stdint.h>

/* The CPU facts the feature register is computed from. */
struct cpu_id_regs {
	uint64_t mmfr0;		/* ID_AA64MMFR0_EL1 */
	uint64_t pfr0;		/* ID_AA64PFR0_EL1 */
	uint64_t dfr0;		/* ID_AA64DFR0_EL1 */
	uint64_t dfr1;		/* ID_AA64DFR1_EL1 */
	uint64_t pmcr;		/* PMCR_EL0 */
	uint64_t ich_vtr;	/* ICH_VTR_EL2 */
	uint64_t sve_vl_bytes;	/* max SVE vector length in bytes (0 without SVE) */
};

#define FEAT0_S2SZ_SHIFT	0
#define FEAT0_LPA2		(1ull << 8)
#define FEAT0_SVE_EN		(1ull << 9)
#define FEAT0_SVE_VL_SHIFT	10
#define FEAT0_NUM_BPS_SHIFT	14
#define FEAT0_NUM_WPS_SHIFT	20
#define FEAT0_PMU_EN		(1ull << 26)
#define FEAT0_PMU_NUM_CTRS_SHIFT 27
#define FEAT0_HASH_SHA_256	(1ull << 32)
#define FEAT0_HASH_SHA_512	(1ull << 33)
#define FEAT0_GICV3_NUM_LRS_SHIFT 34
#define FEAT0_MAX_RECS_ORDER_SHIFT 38
#define FEAT0_MAX_RECS_ORDER	10u

/*
 * What the CPU can give a realm, all of it offered: the world switch carries
 * SVE vectors and PMU counters too (kernel/vcpu.c, kernel/rec.c).
 */
uint64_t features_reg0(const struct cpu_id_regs *id);

#endif
