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
#include <string.h>

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
	/* as QEMU's GICv3: 4 list registers, 5 priority and 5 preemption bits */
	[HSR_ich_vtr_el2] = (4ull << 29) | (4ull << 26) | 3ull,
};

/* A CPU's registers; the PMU's event counters and types are banked by PMSELR_EL0. */
struct cpu_file {
	bool ready;
	uint64_t r[HSR_COUNT];
	uint64_t evcntr[32], evtyper[32];
};
static struct cpu_file files[PLAT_MAX_CPUS];
static pthread_mutex_t rndr_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t rndr_state = 0x9e3779b97f4a7c15ull;

/*
 * The system counter (CNTVOFF_EL2 is 0 for realms): virtual time, the same
 * for every CPU, advanced by every look at a timer, by each step of a
 * realm (arch/host/realm.c) and by ISR_EL1 reads, so that runs are
 * deterministic whatever the host machine's speed.
 */
#define ISR_READ_TICKS	512u
static uint64_t ticks;

uint64_t sim_counter_advance(uint64_t n)
{
	return __atomic_add_fetch(&ticks, n, __ATOMIC_SEQ_CST);
}

static uint64_t *file(void);
static uint64_t pmu_read(enum host_sysreg r);

/* A timer's CTL with ISTATUS as the counter and CVAL make it. */
static uint64_t timer_ctl(enum host_sysreg ctl, enum host_sysreg cval)
{
	uint64_t c = file()[ctl] & ~4ull;

	if ((c & 1u) != 0u && __atomic_load_n(&ticks, __ATOMIC_SEQ_CST) >= file()[cval])
		c |= 4u;
	return c;
}

/* Whether a realm timer's interrupt reaches the CPU (asserted, not held low by CNTHCTL_EL2). */
bool sim_timer_irq(void)
{
	uint64_t hctl = file()[HSR_cnthctl_el2];
	uint64_t v = timer_ctl(HSR_cntv_ctl_el02, HSR_cntv_cval_el02);
	uint64_t p = timer_ctl(HSR_cntp_ctl_el02, HSR_cntp_cval_el02);

	return ((v & 7u) == 5u && (hctl & (1ull << 18)) == 0u) ||
	       ((p & 7u) == 5u && (hctl & (1ull << 19)) == 0u);
}

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
	if (r == HSR_cntv_ctl_el02 || r == HSR_cntp_ctl_el02) {
		(void)sim_counter_advance(1);
		return timer_ctl(r, r == HSR_cntv_ctl_el02 ? HSR_cntv_cval_el02 : HSR_cntp_cval_el02);
	}
	if (r == HSR_isr_el1) {
		(void)sim_counter_advance(ISR_READ_TICKS);
		return sim_timer_irq() ? 1ull << 7 : 0u;	/* I */
	}
	return pmu_read(r);
}

void host_sysreg_write(enum host_sysreg r, uint64_t v)
{
	uint64_t *f = file();
	struct cpu_file *c = &files[arch_cpu_id()];

	switch (r) {
	case HSR_pmxevcntr_el0: c->evcntr[f[HSR_pmselr_el0] & 31u] = v & 0xffffffffu; return;
	case HSR_pmxevtyper_el0: c->evtyper[f[HSR_pmselr_el0] & 31u] = v; return;
	case HSR_pmcntenset_el0: f[HSR_pmcntenset_el0] |= v; return;
	case HSR_pmcntenclr_el0: f[HSR_pmcntenset_el0] &= ~v; return;
	case HSR_pmintenset_el1: f[HSR_pmintenset_el1] |= v; return;
	case HSR_pmintenclr_el1: f[HSR_pmintenset_el1] &= ~v; return;
	case HSR_pmovsset_el0: f[HSR_pmovsset_el0] |= v; return;
	case HSR_pmovsclr_el0: f[HSR_pmovsset_el0] &= ~v; return;
	case HSR_pmcr_el0:
		/* P and C reset the counters and read as 0; N is the CPU's */
		if ((v & 2u) != 0u)
			memset(c->evcntr, 0, sizeof(c->evcntr));
		if ((v & 4u) != 0u)
			f[HSR_pmccntr_el0] = 0;
		f[HSR_pmcr_el0] = (v & 0x7f9u) | (reset[HSR_pmcr_el0] & (0x1full << 11));
		return;
	default:
		f[r] = v;
		return;
	}
}

/* The PMU registers that read other state than their own slot. */
static uint64_t pmu_read(enum host_sysreg r)
{
	uint64_t *f = file();
	struct cpu_file *c = &files[arch_cpu_id()];

	switch (r) {
	case HSR_pmxevcntr_el0: return c->evcntr[f[HSR_pmselr_el0] & 31u];
	case HSR_pmxevtyper_el0: return c->evtyper[f[HSR_pmselr_el0] & 31u];
	case HSR_pmcntenclr_el0: return f[HSR_pmcntenset_el0];
	case HSR_pmintenclr_el1: return f[HSR_pmintenset_el1];
	case HSR_pmovsclr_el0: return f[HSR_pmovsset_el0];
	default: return f[r];
	}
}

/*
 * PMSWINC_EL0 from a realm at EL1: each enabled event counter below HPMN
 * that counts SW_INCR (event 0) goes up by one; wrapping at 32 bits sets
 * its overflow bit.
 */
void sim_pmu_swinc(uint64_t v)
{
	uint64_t *f = file();
	struct cpu_file *c = &files[arch_cpu_id()];
	unsigned int hpmn = (unsigned int)(f[HSR_mdcr_el2] & 0x1fu);

	if ((f[HSR_pmcr_el0] & 1u) == 0u)
		return;
	for (unsigned int i = 0; i < hpmn && i < 31u; i++) {
		if (((v >> i) & 1u) == 0u || ((f[HSR_pmcntenset_el0] >> i) & 1u) == 0u ||
		    (c->evtyper[i] & 0xffffu) != 0u)
			continue;
		c->evcntr[i] = (c->evcntr[i] + 1u) & 0xffffffffu;
		if (c->evcntr[i] == 0u)
			f[HSR_pmovsset_el0] |= 1ull << i;
	}
}

/* The cycle counter runs while PMCR_EL0.E and PMCNTENSET_EL0.C are set: a read sees time pass. */
uint64_t sim_pmu_cycles(void)
{
	uint64_t *f = file();

	if ((f[HSR_pmcr_el0] & 1u) != 0u && ((f[HSR_pmcntenset_el0] >> 31) & 1u) != 0u)
		f[HSR_pmccntr_el0] += 100u;
	return f[HSR_pmccntr_el0];
}

void sim_pmu_host(uint64_t *ctr0, uint64_t *type0, uint64_t *sel, bool write)
{
	if (write) {
		host_sysreg_write(HSR_pmcntenclr_el0, 1);
		host_sysreg_write(HSR_pmselr_el0, 0);
		host_sysreg_write(HSR_pmxevtyper_el0, *type0);
		host_sysreg_write(HSR_pmxevcntr_el0, *ctr0);
		host_sysreg_write(HSR_pmselr_el0, *sel);
		return;
	}
	*sel = host_sysreg_read(HSR_pmselr_el0);
	host_sysreg_write(HSR_pmselr_el0, 0);
	*type0 = host_sysreg_read(HSR_pmxevtyper_el0);
	*ctr0 = host_sysreg_read(HSR_pmxevcntr_el0);
	host_sysreg_write(HSR_pmselr_el0, *sel);
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
	r[2] = (struct sim_region){ &ticks, sizeof(ticks) };
	return 3;
}
