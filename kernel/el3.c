/* RMM -> EL3 runtime calls. */
#include <kernel/el3.h>
#include <kernel/smc.h>

static int64_t el3_call1(uint64_t fid, uint64_t a1)
{
	struct smc_regs r = { { fid, a1 } };

	arch_smc(&r, &r);
	return (int64_t)r.x[0];
}

int64_t el3_gtsi_delegate(uint64_t pa)
{
	return el3_call1(SMC_RMM_GTSI_DELEGATE, pa);
}

int64_t el3_gtsi_undelegate(uint64_t pa)
{
	return el3_call1(SMC_RMM_GTSI_UNDELEGATE, pa);
}
