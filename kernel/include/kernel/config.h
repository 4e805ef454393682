/*
 * The RMM's global configuration: one owner, one initialisation. Written
 * only during cold boot (config_boot_writable), sealed before the first RMI
 * call, read through config() afterwards.
 */
#ifndef KERNEL_CONFIG_H
#define KERNEL_CONFIG_H

#include <kernel/boot.h>

struct rmm_config {
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
};

const struct rmm_config *config(void);
struct rmm_config *config_boot_writable(void);
void config_seal(void);

#endif
