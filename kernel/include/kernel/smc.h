/* SMC calls from the RMM to EL3 (RMM-EL3 v0.4, el3.md section 5). */
#ifndef KERNEL_SMC_H
#define KERNEL_SMC_H

#include <stdint.h>

struct smc_regs {
	uint64_t x[8];
};

#define SMC_RMM_REQ_COMPLETE	0xC400018Full
#define SMC_RMM_GTSI_DELEGATE	0xC40001B0ull
#define SMC_RMM_GTSI_UNDELEGATE	0xC40001B1ull
#define SMC_RMM_GET_REALM_KEY	0xC40001B2ull
#define SMC_RMM_GET_PLAT_TOKEN	0xC40001B3ull
#define SMC_RMM_EL3_FEATURES	0xC40001B4ull
#define SMC_RMM_BOOT_COMPLETE	0xC40001CFull

/* Provided by arch: x0..x7 in, x0..x7 out. */
void arch_smc(const struct smc_regs *in, struct smc_regs *out);

#endif
