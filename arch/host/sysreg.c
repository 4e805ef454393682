/*
 * Host twin of the system registers: one register file per simulated CPU,
 * indexed by the calling thread's CPU (arch/host/cpu.c). Every CPU starts
 * from the same ID register values, a QEMU "max"-like CPU with RME, SVE and
 * PMUv3 (platform/host/machine.c may change them before the cold boot).
 */
#include <arch/barrier.h>
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <host_state.h>
#include <machine.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

static uint64_t reset[HSR_COUNT] = {
	[HSR_currentel] = 2u << 2,				/* EL2 */
	[HSR_midr_el1] = 0x000f0510ull,				/* QEMU max */
	[HSR_id_aa64pfr0_el1] = (1ull << 52) | (1ull << 32) | (1ull << 24) | 0x1111ull,
	/* PARange 48 bits, TGran4 yes, TGran4_2 supported (2): no LPA2 */
	[HSR_id_aa64mmfr0_el1] = (2ull << 40) | 5ull,
	[HSR_id_aa64mmfr1_el1] = 2ull << 4,			/* 16-bit VMIDs */
	/* PMUv3.4, 6 breakpoints, 4 watchpoints, debug v8.4 */
	[HSR_id_aa64dfr0_el1] = (3ull << 20) | (5ull << 12) | (5ull << 8) | 9ull,
	/* SHA-512/SHA-256, RNDR */
	[HSR_id_aa64isar0_el1] = (1ull << 60) | (2ull << 12),
	[HSR_pmcr_el0] = 6ull << 11,				/* 6 event counters */
	[HSR_ich_vtr_el2] = (7ull << 29) | (4ull << 26) | 3ull,	/* 4 list registers */
};

struct cpu_file {
	bool ready;
	uint64_t r[HSR_COUNT];
};
static struct cpu_file files[PLAT_MAX_CPUS];
static pthread_mutex_t rndr_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t rndr_state = 0x9e3779b97f4a7c15ull;

static uint64_t *file(void)
{
	unsigned int cpu = arch_cpu_id();
	struct cpu_file *f = &files[cpu];

	if (!f->ready) {
		for (unsigned int i = 0; i < HSR_COUNT; i++)
			f->r[i] = reset[i];
		f->r[HSR_mpidr_el1] = (1ull << 31) | cpu;
		f->r[HSR_tpidr_el2] = cpu;
		f->ready = true;
	}
	return f->r;
}

uint64_t host_sysreg_read(enum host_sysreg r)
{
	if (r == HSR_rndr) {
		uint64_t x;

		/* xorshift64*: a simulation needs variety, not secrecy */
		pthread_mutex_lock(&rndr_lock);
		rndr_state ^= rndr_state >> 12;
		rndr_state ^= rndr_state << 25;
		rndr_state ^= rndr_state >> 27;
		x = rndr_state * 0x2545f4914f6cdd1dull;
		pthread_mutex_unlock(&rndr_lock);
		return x;
	}
	return file()[r];
}

void host_sysreg_write(enum host_sysreg r, uint64_t v)
{
	file()[r] = v;
}

uint64_t sim_id_reg(enum sim_id which)
{
	static const enum host_sysreg map[] = {
		[SIM_ID_MMFR0] = HSR_id_aa64mmfr0_el1, [SIM_ID_PFR0] = HSR_id_aa64pfr0_el1,
		[SIM_ID_DFR0] = HSR_id_aa64dfr0_el1, [SIM_ID_DFR1] = HSR_id_aa64dfr1_el1,
		[SIM_ID_PMCR] = HSR_pmcr_el0, [SIM_ID_MIDR] = HSR_midr_el1,
		[SIM_ID_ZFR0] = HSR_id_aa64zfr0_el1,
	};

	return reset[map[which]];
}

uint64_t sve_rdvl(void)
{
	return SIM_SVE_VL_BYTES;
}

void host_wfe(void)
{
	sched_yield();
}

size_t host_sysreg_regions(struct sim_region *r)
{
	r[0] = (struct sim_region){ files, sizeof(files) };
	r[1] = (struct sim_region){ &rndr_state, sizeof(rndr_state) };
	return 2;
}
