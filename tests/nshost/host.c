/* NS test host runtime: console, SMC wrappers, DTB facts, SMP, test runner. */
#include "host.h"

#define UARTDR	0x000u
#define UARTFR	0x018u
#define FDT_MAGIC	0xd00dfeedu

void host_main(void);
void host_secondary_main(unsigned int idx);
void host_exception(uint64_t kind, uint64_t *frame);
extern char secondary_entry[];
extern const struct test_case __start_nshost_tests[], __stop_nshost_tests[];

static volatile uint32_t *uart_reg(uint32_t off)
{
	return (volatile uint32_t *)(uintptr_t)(NS_UART + off);
}

static bool console_lock;

void hlock(void)
{
	while (__atomic_exchange_n(&console_lock, true, __ATOMIC_ACQUIRE))
		;
}

void hunlock(void)
{
	__atomic_store_n(&console_lock, false, __ATOMIC_RELEASE);
}

static void hputc(char c)
{
	while ((*uart_reg(UARTFR) & (1u << 5)) != 0u)
		;
	*uart_reg(UARTDR) = (uint32_t)(unsigned char)c;
}

void hputs(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			hputc('\r');
		hputc(*s);
	}
}

void hput_hex(uint64_t v)
{
	char b[19];

	b[0] = '0';
	b[1] = 'x';
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xfu];
	b[18] = '\0';
	hputs(b);
}

void hput_dec(uint64_t v)
{
	char b[21];
	int n = 20;

	b[n] = '\0';
	do {
		b[--n] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v != 0u);
	hputs(&b[n]);
}

struct smc_res smc6(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t in[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };
	struct smc_res r;

	host_smc(in, r.x);
	return r;
}

void check_fail(struct tctx *t, int line, const char *what, uint64_t got, uint64_t want)
{
	t->failures++;
	hlock();
	hputs("  check failed at line ");
	hput_dec((uint64_t)line);
	hputs(": ");
	hputs(what);
	hputs(" (got ");
	hput_hex(got);
	hputs(", want ");
	hput_hex(want);
	hputs(")\n");
	hunlock();
}

/* ---- DTB (flattened device tree, big-endian) ---- */
static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static unsigned int cpu_count;
static uint64_t cpu_mpidr[HOST_MAX_CPUS];

static bool prefix(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++)
		if (*s != *p)
			return false;
	return true;
}

static bool streq(const char *a, const char *b)
{
	for (; *a != '\0' && *a == *b; a++, b++)
		;
	return *a == *b;
}

/* Count /cpus/cpu@* nodes and record their "reg" (MPIDR). */
static void fdt_scan(const uint8_t *fdt)
{
	const uint8_t *st, *strs;
	uint32_t off = 0;
	int depth = 0;
	bool in_cpus = false, in_cpu = false;

	if (be32(fdt) != FDT_MAGIC)
		return;
	st = fdt + be32(fdt + 8);
	strs = fdt + be32(fdt + 12);
	for (;;) {
		uint32_t tok = be32(st + off);

		off += 4;
		if (tok == 1u) {	/* BEGIN_NODE */
			const char *name = (const char *)(st + off);
			uint32_t len = 0;

			while (name[len] != '\0')
				len++;
			off += (len + 4u) & ~3u;
			depth++;
			if (depth == 2 && streq(name, "cpus"))
				in_cpus = true;
			if (depth == 3 && in_cpus && prefix(name, "cpu@"))
				in_cpu = true;
		} else if (tok == 2u) {	/* END_NODE */
			if (depth == 3 && in_cpu) {
				in_cpu = false;
				cpu_count++;
			}
			if (depth == 2)
				in_cpus = false;
			depth--;
		} else if (tok == 3u) {	/* PROP */
			uint32_t len = be32(st + off), nameoff = be32(st + off + 4);
			const uint8_t *val = st + off + 8;

			if (in_cpu && streq((const char *)(strs + nameoff), "reg") &&
			    cpu_count < HOST_MAX_CPUS)
				cpu_mpidr[cpu_count] = len >= 8u ?
					((uint64_t)be32(val) << 32) | be32(val + 4) : be32(val);
			off += 8u + ((len + 3u) & ~3u);
		} else if (tok == 4u) {
			continue;
		} else {
			break;
		}
	}
}

unsigned int host_cpu_count(void)
{
	return cpu_count == 0u ? 1u : (cpu_count > HOST_MAX_CPUS ? HOST_MAX_CPUS : cpu_count);
}

uint64_t host_cpu_mpidr(unsigned int idx)
{
	return cpu_mpidr[idx];
}

/* ---- SMP ---- */
struct cpu_slot {
	cpu_job job;
	void *arg;
	bool online;
	bool busy;
};
static struct cpu_slot slots[HOST_MAX_CPUS];

void host_secondary_main(unsigned int idx)
{
	struct cpu_slot *s = &slots[idx];

	__atomic_store_n(&s->online, true, __ATOMIC_RELEASE);
	for (;;) {
		cpu_job j;

		while (!__atomic_load_n(&s->busy, __ATOMIC_ACQUIRE))
			__asm__ volatile("wfe");
		j = s->job;
		j(idx, s->arg);
		__atomic_store_n(&s->busy, false, __ATOMIC_RELEASE);
		__asm__ volatile("sev");
	}
}

static bool cpu_up(unsigned int idx)
{
	struct smc_res r;

	if (__atomic_load_n(&slots[idx].online, __ATOMIC_ACQUIRE))
		return true;
	r = smc6(PSCI_CPU_ON, host_cpu_mpidr(idx), (uint64_t)(uintptr_t)secondary_entry, idx, 0, 0);
	if (r.x[0] != 0u)
		return false;
	for (uint64_t spin = 0; spin < 100000000u; spin++)
		if (__atomic_load_n(&slots[idx].online, __ATOMIC_ACQUIRE))
			return true;
	return false;
}

bool host_run_on(unsigned int idx, cpu_job fn, void *arg)
{
	struct cpu_slot *s = &slots[idx];

	if (idx == 0u) {
		fn(0, arg);
		return true;
	}
	if (idx >= host_cpu_count() || !cpu_up(idx))
		return false;
	s->job = fn;
	s->arg = arg;
	__atomic_store_n(&s->busy, true, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
	while (__atomic_load_n(&s->busy, __ATOMIC_ACQUIRE))
		;
	return true;
}

/* Job that powers the CPU off (PSCI CPU_OFF does not return on success). */
static void cpu_off_job(unsigned int idx, void *arg)
{
	(void)arg;
	__atomic_store_n(&slots[idx].online, false, __ATOMIC_RELEASE);
	__atomic_store_n(&slots[idx].busy, false, __ATOMIC_RELEASE);
	(void)smc6(PSCI_CPU_OFF, 0, 0, 0, 0, 0);
	hputs("host: FATAL CPU_OFF returned\n");
	for (;;)
		;
}

bool host_cpu_off(unsigned int idx)
{
	if (idx == 0u || idx >= host_cpu_count() || !host_run_on(idx, cpu_off_job, NULL))
		return false;
	/* wait until PSCI reports the CPU OFF (AFFINITY_INFO == 1) */
	for (uint64_t spin = 0; spin < 100000000u; spin++)
		if (smc6(PSCI_AFFINITY_INFO, host_cpu_mpidr(idx), 0, 0, 0, 0).x[0] == 1u)
			return true;
	return false;
}

bool host_run_all(cpu_job fn, void *arg)
{
	unsigned int n = host_cpu_count();

	for (unsigned int i = 1; i < n; i++) {
		if (!cpu_up(i))
			return false;
		slots[i].job = fn;
		slots[i].arg = arg;
		__atomic_store_n(&slots[i].busy, true, __ATOMIC_RELEASE);
	}
	__asm__ volatile("sev");
	fn(0, arg);
	for (unsigned int i = 1; i < n; i++)
		while (__atomic_load_n(&slots[i].busy, __ATOMIC_ACQUIRE))
			;
	return true;
}

unsigned int host_online_cpus(void)
{
	unsigned int n = 1;

	for (unsigned int i = 1; i < HOST_MAX_CPUS; i++)
		n += __atomic_load_n(&slots[i].online, __ATOMIC_ACQUIRE) ? 1u : 0u;
	return n;
}

uint64_t host_read_id(unsigned int which)
{
	uint64_t v = 0;

	switch (which) {
	case ID_MMFR0: __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(v)); break;
	case ID_PFR0: __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v)); break;
	case ID_DFR0: __asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(v)); break;
	case ID_DFR1: __asm__ volatile("mrs %0, S3_0_C0_C5_1" : "=r"(v)); break;
	case ID_PMCR: __asm__ volatile("mrs %0, pmcr_el0" : "=r"(v)); break;
	case ID_MIDR: __asm__ volatile("mrs %0, midr_el1" : "=r"(v)); break;
	case ID_ZFR0: __asm__ volatile("mrs %0, S3_0_C0_C4_4" : "=r"(v)); break;
	default: break;
	}
	return v;
}

/* ---- SVE and PMU state of the host, to prove a realm run keeps them ---- */

uint64_t host_sve_init(void)
{
	uint64_t hcr, cptr, vl;

	if (((host_read_id(ID_PFR0) >> 32) & 0xfu) == 0u)
		return 0;
	__asm__ volatile("mrs %0, hcr_el2" : "=r"(hcr));
	__asm__ volatile("mrs %0, cptr_el2" : "=r"(cptr));
	if ((hcr >> 34) & 1u)
		cptr |= (3ull << 16) | (3ull << 20);	/* E2H: ZEN, FPEN */
	else
		cptr &= ~((1ull << 8) | (1ull << 10));	/* TZ, TFP */
	__asm__ volatile("msr cptr_el2, %0\n\tisb" : : "r"(cptr));
	__asm__ volatile("msr S3_4_C1_C2_0, %0\n\tisb" : : "r"(0xfull));	/* ZCR_EL2: the maximum */
	__asm__ volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
	return vl;
}

void host_sve_set(unsigned int seed)
{
	/* z10 = seed, seed + 1, ... over the whole vector; p5 = every fourth byte lane */
	__asm__ volatile(".arch_extension sve\n\tindex z10.b, %w0, #1\n\tptrue p5.s" : : "r"(seed)
			 : "memory");
}

void host_sve_get(uint8_t z10[256], uint8_t p5[32])
{
	__asm__ volatile(".arch_extension sve\n\tstr z10, [%0]\n\tstr p5, [%1]" : : "r"(z10), "r"(p5)
			 : "memory");
}

void host_relax(void)
{
	__asm__ volatile("yield");
}

void host_fp_d9_set(uint64_t v)
{
	__asm__ volatile(".arch_extension fp\n\tfmov d9, %0" : : "r"(v));
}

uint64_t host_fp_d9_get(void)
{
	uint64_t v;

	__asm__ volatile(".arch_extension fp\n\tfmov %0, d9" : "=r"(v));
	return v;
}

void host_pmu_set(uint64_t ctr0, uint64_t type0, uint64_t sel)
{
	__asm__ volatile("msr pmcntenclr_el0, %0" : : "r"(1ull));
	__asm__ volatile("msr pmselr_el0, xzr\n\tisb");
	__asm__ volatile("msr pmxevtyper_el0, %0" : : "r"(type0));
	__asm__ volatile("msr pmxevcntr_el0, %0" : : "r"(ctr0));
	__asm__ volatile("msr pmselr_el0, %0\n\tisb" : : "r"(sel));
}

void host_pmu_get(uint64_t *ctr0, uint64_t *type0, uint64_t *sel)
{
	__asm__ volatile("mrs %0, pmselr_el0" : "=r"(*sel));
	__asm__ volatile("msr pmselr_el0, xzr\n\tisb");
	__asm__ volatile("mrs %0, pmxevtyper_el0" : "=r"(*type0));
	__asm__ volatile("mrs %0, pmxevcntr_el0" : "=r"(*ctr0));
	__asm__ volatile("msr pmselr_el0, %0\n\tisb" : : "r"(*sel));
}

/* ---- exceptions: probe faults resume; anything else ends the run ---- */
extern char host_probe_insn[], host_probe_winsn[], host_probe_fixup[];
static uint64_t last_fault_esr;

uint64_t host_last_fault_esr(void)
{
	return last_fault_esr;
}

void host_exception(uint64_t kind, uint64_t *frame)
{
	uint64_t esr, elr, far;

	__asm__ volatile("mrs %0, esr_el2" : "=r"(esr));
	__asm__ volatile("mrs %0, elr_el2" : "=r"(elr));
	__asm__ volatile("mrs %0, far_el2" : "=r"(far));
	(void)frame;
	if (elr == (uint64_t)(uintptr_t)host_probe_insn || elr == (uint64_t)(uintptr_t)host_probe_winsn) {
		uint64_t fixup = (uint64_t)(uintptr_t)host_probe_fixup;

		last_fault_esr = esr;
		__asm__ volatile("msr elr_el2, %0" : : "r"(fixup));
		return;
	}
	hputs("host: FATAL exception kind ");
	hput_dec(kind);
	hputs(" ESR ");
	hput_hex(esr);
	hputs(" ELR ");
	hput_hex(elr);
	hputs(" FAR ");
	hput_hex(far);
	hputs("\n");
	smc1(PSCI_SYSTEM_OFF, 0);
	for (;;)
		;
}

#ifdef NSHOST_CONTAINMENT
/*
 * What a VHE host does for its own tick, on this CPU: the EL2 physical
 * timer's PPI (26) enabled at the redistributor (TF-A left it Group 1
 * Non-secure, priority 0x80), Group 1 Non-secure enabled at the
 * distributor, the CPU interface's system registers on,
 * every priority let through, Group 1 enabled. The RMM borrows that timer
 * as the budget of its services (kernel/svc_el0.c). This host itself runs
 * with IRQs masked: the interrupt is never taken here.
 */
#define GICD_CTLR_ENABLE_G1NS	(1u << 1)	/* EnableGrp1A, the Non-secure view with ARE_NS */
#define GICD_CTLR_RWP		(1u << 31)
#define GICR_SGI_BASE		0x10000u
#define GICR_ISENABLER0		0x100u
#define PPI_CNTHP		26u

static void host_gic_init(void)
{
	volatile uint32_t *en = (volatile uint32_t *)(uintptr_t)(NS_GICR + GICR_SGI_BASE +
								 GICR_ISENABLER0);
	volatile uint32_t *ctlr = (volatile uint32_t *)(uintptr_t)NS_GICD;
	uint64_t sre;

	*ctlr |= GICD_CTLR_ENABLE_G1NS;
	while ((*ctlr & GICD_CTLR_RWP) != 0u)
		;

	__asm__ volatile("mrs %0, S3_4_C12_C9_5" : "=r"(sre));		/* ICC_SRE_EL2 */
	__asm__ volatile("msr S3_4_C12_C9_5, %0; isb" : : "r"(sre | 1u | 8u));
	__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffull));	/* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0; isb" : : "r"(1ull));	/* ICC_IGRPEN1_EL1 */
	*en = 1u << PPI_CNTHP;
}
#endif

void host_main(void)
{
	unsigned int passed = 0, failed = 0;

	fdt_scan((const uint8_t *)(uintptr_t)NS_DTB);
#ifdef NSHOST_CONTAINMENT
	host_gic_init();
#endif
	hputs("host: Atoll NS test host, ");
	hput_dec(host_cpu_count());
	hputs(" CPU(s)\n");
	for (const struct test_case *tc = __start_nshost_tests; tc < __stop_nshost_tests; tc++) {
		struct tctx t = { tc->name, 0 };

		tc->fn(&t);
		hlock();
		hputs(t.failures == 0u ? "PASS " : "FAIL ");
		hputs(tc->name);
		hputs("\n");
		hunlock();
		if (t.failures == 0u)
			passed++;
		else
			failed++;
	}
	hputs("host: ");
	hput_dec(passed);
	hputs(" passed, ");
	hput_dec(failed);
	hputs(" failed\n");
	smc1(PSCI_SYSTEM_OFF, 0);
	for (;;)
		;
}

/* ---- test granules ---- */
#define GRANULE_POOL_BASE	0x80000000ull
#define GRANULE_POOL_END	0x90000000ull
static uint64_t pool_next = GRANULE_POOL_BASE;

uint64_t host_granule(void)
{
	uint64_t pa = __atomic_fetch_add(&pool_next, 4096u, __ATOMIC_RELAXED);

	if (pa >= GRANULE_POOL_END) {
		hputs("host: FATAL out of test granules\n");
		smc1(PSCI_SYSTEM_OFF, 0);
	}
	host_zero(pa);
	return pa;
}

uint64_t host_granules_aligned(unsigned int n, uint64_t align)
{
	uint64_t cur = __atomic_load_n(&pool_next, __ATOMIC_RELAXED), base;

	do {
		base = (cur + align - 1u) & ~(align - 1u);
	} while (!__atomic_compare_exchange_n(&pool_next, &cur, base + 4096ull * n, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (base + 4096ull * n > GRANULE_POOL_END) {
		hputs("host: FATAL out of test granules\n");
		smc1(PSCI_SYSTEM_OFF, 0);
	}
	for (unsigned int i = 0; i < n; i++)
		host_zero(base + 4096ull * i);
	return base;
}

void host_fill(uint64_t pa, uint64_t pattern)
{
	uint64_t *p = host_page(pa);

	for (unsigned int i = 0; i < 512u; i++)
		p[i] = pattern + i;
}

void host_zero(uint64_t pa)
{
	uint64_t *p = host_page(pa);

	for (unsigned int i = 0; i < 512u; i++)
		p[i] = 0;
}

uint64_t rmi_delegate(uint64_t pa)
{
	return smc1(RMI_GRANULE_DELEGATE, pa).x[0];
}

uint64_t rmi_undelegate(uint64_t pa)
{
	return smc1(RMI_GRANULE_UNDELEGATE, pa).x[0];
}
