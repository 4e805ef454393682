/*
 * The RMM's global configuration: one owner, one initialisation. Written
 * only during cold boot (config_boot_writable), sealed before the first RMI
 * call (then mapped read-only), read through config() afterwards.
 */
#ifndef KERNEL_CONFIG_H
#define KERNEL_CONFIG_H

#include <arch/mmu.h>
#include <kernel/boot.h>
#include <kernel/svc_el0.h>
#include <stdbool.h>
#include <stddef.h>

struct rmm_config {
	uint64_t cold_boot_started;	/* set by arch/aarch64/head.S: later entries are warm */
	struct boot_manifest_info manifest;
	uint64_t cpu_count;		/* x2 at cold boot */
	uint64_t shared_pa;		/* x3 at cold boot */
	uint64_t if_version;		/* x1 at cold boot */
	uint64_t parange;		/* ID_AA64MMFR0_EL1.PARange */
	unsigned int pa_bits;
	unsigned int vmid_bits;		/* 8 or 16 (ID_AA64MMFR1_EL1.VMIDBits) */
	uint64_t feat_reg0;		/* RmiFeatureRegister0 */
	uint64_t ich_vtr;		/* ICH_VTR_EL2: list registers, priority and ID bits */
	uint64_t sve_vl_bytes;		/* maximum SVE vector length, 0 without SVE */
	uint64_t pmu_ver;		/* ID_AA64DFR0_EL1.PMUVer */
	uint64_t console_base;		/* PL011 base, 0 without a console */
	struct mmu_tables mmu;		/* the RMM's stage-1 tables */
	uint64_t *rec_bits;		/* the REC registry (kernel/rec.c), after the granule table */
	uint64_t rec_bits_words;
	struct svc_space svc[IPC_SVC_COUNT];	/* services at EL0: [id], kernel/svc_el0.h */
};

/*
 * The object itself (kernel/config.c), read through config(): inline, one
 * adrp/add per use. Writing it directly is a review error before the seal
 * and a fault after it (its page is read-only from then on).
 */
extern struct rmm_config rmm_config_obj;
_Static_assert(offsetof(struct rmm_config, cold_boot_started) == 0, "head.S reads it at offset 0");

static inline const struct rmm_config *config(void)
{
	return &rmm_config_obj;
}
struct rmm_config *config_boot_writable(void);
/*
 * End of cold boot: no more writes. Maps the configuration read-only and
 * checks with the MMU that it is; false if that could not be done.
 */
bool config_seal(void);

#endif
