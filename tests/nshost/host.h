/*
 * NS test host: a bare-metal program at NS-EL2 that drives the RMM through
 * the RMI exactly as a hypervisor would, and reports one line per test.
 */
#ifndef NSHOST_HOST_H
#define NSHOST_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_MAX_CPUS	32u

/* ---- SMC ---- */
struct smc_res {
	uint64_t x[8];
};
void host_smc(const uint64_t in[8], uint64_t out[8]);
struct smc_res smc6(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5);
#define smc1(f, a)	smc6((f), (a), 0, 0, 0, 0)

/* ---- RMI numbers (rmi.md, structures.md) ---- */
#define RMI_VERSION		0xC4000150ull
#define RMI_GRANULE_DELEGATE	0xC4000151ull
#define RMI_FEATURES		0xC4000165ull
#define RMI_ABI_1_0		0x00010000ull
#define RMI_SUCCESS		0u
#define RMI_ERROR_INPUT		1u
#define SMC_UNKNOWN		0xFFFFFFFFFFFFFFFFull

/* ---- PSCI ---- */
#define PSCI_VERSION		0x84000000ull
#define PSCI_CPU_ON		0xC4000003ull
#define PSCI_AFFINITY_INFO	0xC4000004ull
#define PSCI_SYSTEM_OFF		0x84000008ull
#define PSCI_CPU_OFF		0x84000002ull

/* ---- console ---- */
void hputs(const char *s);
void hput_hex(uint64_t v);
void hput_dec(uint64_t v);
void hlock(void);
void hunlock(void);

/* ---- tests ---- */
struct tctx {
	const char *name;
	unsigned int failures;
};

struct test_case {
	const char *name;
	void (*fn)(struct tctx *t);
};

#define TEST(fn_)							\
	static void fn_(struct tctx *t);				\
	static const struct test_case tc_##fn_				\
		__attribute__((used, section("nshost_tests"), aligned(8))) = { #fn_, fn_ }; \
	static void fn_(struct tctx *t)

void check_fail(struct tctx *t, int line, const char *what, uint64_t got, uint64_t want);
#define EXPECT_EQ(a, b)							\
	do {								\
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);	\
		if (a_ != b_)						\
			check_fail(t, __LINE__, #a " == " #b, a_, b_);	\
	} while (0)
#define EXPECT_TRUE(c)	EXPECT_EQ(!!(c), 1)

/* ---- platform facts read from the DTB ---- */
unsigned int host_cpu_count(void);
uint64_t host_cpu_mpidr(unsigned int idx);

/* ---- SMP: run fn(idx, arg) on CPU idx (brought up on demand) and wait ---- */
typedef void (*cpu_job)(unsigned int idx, void *arg);
bool host_run_on(unsigned int idx, cpu_job fn, void *arg);
unsigned int host_online_cpus(void);
/* Run fn(idx, arg) on every CPU at once (CPU 0 included) and wait for all. */
bool host_run_all(cpu_job fn, void *arg);
/* Power CPU idx off with PSCI CPU_OFF; the next host_run_on() turns it on again. */
bool host_cpu_off(unsigned int idx);

/* ---- memory that may fault ---- */
int host_probe_read(uint64_t pa, uint64_t *val);
int host_probe_write(uint64_t pa, uint64_t val);
uint64_t host_last_fault_esr(void);

/* ---- test granules: NS pages the host owns, handed out in order ---- */
uint64_t host_granule(void);
/* n contiguous granules starting at an align-aligned PA. */
uint64_t host_granules_aligned(unsigned int n, uint64_t align);
void host_fill(uint64_t pa, uint64_t pattern);
void host_zero(uint64_t pa);
#ifdef NSHOST_SIM
/* Host build (tests/nshost/host_sim.c): PAs are offsets into simulated memory. */
uint64_t *host_page(uint64_t pa);
#else
static inline uint64_t *host_page(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}
#endif

/* ---- RMI helpers ---- */
#define RMI_GRANULE_UNDELEGATE	0xC4000152ull
#define RMI_REALM_ACTIVATE	0xC4000157ull
#define RMI_REALM_CREATE	0xC4000158ull
#define RMI_REALM_DESTROY	0xC4000159ull
#define RMI_REC_AUX_COUNT	0xC4000167ull
#define RMI_ERROR_REALM		2u
#define RMM_IMAGE_BASE		0x40100000ull
#define RMM_SHARED_PAGE		0x418FF000ull
uint64_t rmi_delegate(uint64_t pa);
uint64_t rmi_undelegate(uint64_t pa);

/* ---- ID registers of this CPU, for cross-checking RMI_FEATURES ---- */
uint64_t host_read_id(unsigned int which);
enum { ID_MMFR0, ID_PFR0, ID_DFR0, ID_DFR1, ID_PMCR, ID_MIDR, ID_ZFR0 };

/* The host's SVE (enabled at the maximum vector length; 0 without SVE) and PMU state. */
uint64_t host_sve_init(void);
void host_sve_set(unsigned int seed);
void host_sve_get(uint8_t z10[256], uint8_t p5[32]);
void host_pmu_set(uint64_t ctr0, uint64_t type0, uint64_t sel);
void host_pmu_get(uint64_t *ctr0, uint64_t *type0, uint64_t *sel);
/* A spin-wait hint (YIELD; on the host build, give the core away). */
void host_relax(void);
/* The host's FP/SIMD register d9. */
void host_fp_d9_set(uint64_t v);
uint64_t host_fp_d9_get(void);

#endif
