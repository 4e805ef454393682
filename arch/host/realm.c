/*
 * Host twins of the realm-facing assembly: arch/aarch64/realm_entry.S,
 * fpsimd.S and sve.S. The FP/SIMD and SVE register files are arrays per
 * simulated CPU, saved and loaded at the vector length ZCR_EL2 selects.
 *
 * Realm execution is scripted (platform/host/machine.h): arch_realm_run()
 * hands the realm's registers to the script the driver set, which plays the
 * realm up to its next exit. The RMI fuzzer (tests/fuzz/fuzz_rmi.c) scripts
 * its realms from the fuzz input; the NS test host runs a realm program
 * (tests/realm/payload_sim.c) on the simulated realm processor below.
 */
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <pthread.h>
#include <stdbool.h>
#include <host_state.h>
#include <machine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZREG_MAX	256u	/* 2048 bits */
#define PREG_MAX	(ZREG_MAX / 8u)

struct realm_regs;
struct fp_regs;

/* As on the hardware, V<n> (the FP/SIMD register) is the low 128 bits of Z<n>. */
struct cpu_fp {
	uint8_t z[32][ZREG_MAX];
	uint8_t p[17][PREG_MAX];	/* P0..P15, FFR */
	uint64_t fpsr, fpcr;
};
static struct cpu_fp fpfile[PLAT_MAX_CPUS];

uint64_t arch_realm_run(struct realm_regs *r);
void arch_fp_save(struct fp_regs *f);
void arch_fp_load(const struct fp_regs *f);
void arch_fp_save_at(uint8_t *p);
void arch_fp_load_at(const uint8_t *p);
void arch_sve_save_z_lo(uint8_t *p);
void arch_sve_save_z_hi(uint8_t *p);
void arch_sve_save_p(uint8_t *p);
void arch_sve_load_z_lo(const uint8_t *p);
void arch_sve_load_z_hi(const uint8_t *p);
void arch_sve_load_p(const uint8_t *p);

static sim_realm_fn script;

void sim_realm_script(sim_realm_fn fn)
{
	script = fn;
}

uint64_t arch_realm_run(struct realm_regs *r)
{
	if (script == NULL) {
		fprintf(stderr, "ERROR: REC_ENTER reached a realm run on CPU %u with no realm "
			"script set\n", arch_cpu_id());
		abort();
	}
	return script((struct sim_vcpu *)(void *)r);
}

#define S2_OA_MASK	0x0000fffffffff000ull
#define S2_NS		(1ull << 55)

static unsigned int level_shift(int level)
{
	return 12u + 9u * (unsigned int)(3 - level);
}

/* One descriptor of a realm's table; RTT granules are poisoned outside a slot mapping. */
static uint64_t rtt_entry(uint64_t pa)
{
	uint64_t e = 0;
	const void *p = sim_pa_ptr(pa, 8);

	if (p == NULL)
		return 0;
	sim_realm_slot_map(pa & ~(SIM_GRANULE - 1u));
	memcpy(&e, p, 8);
	sim_realm_slot_unmap(pa & ~(SIM_GRANULE - 1u));
	return e;
}

bool sim_realm_translate(uint64_t ipa, uint64_t *pa, bool *ns, int *level)
{
	static const int sl0_level[4] = { 2, 1, 0, 3 };
	uint64_t vtcr = read_vtcr_el2(), table = read_vttbr_el2() & S2_OA_MASK;
	unsigned int s2sz = 64u - (unsigned int)(vtcr & 0x3fu);
	int l = sl0_level[(vtcr >> 6) & 3u];

	*level = l;
	if (s2sz < 32u || s2sz > 52u || (ipa >> s2sz) != 0u)
		return false;
	/* the start level's index covers the concatenated root tables */
	for (uint64_t idx = ipa >> level_shift(l);; idx = (ipa >> level_shift(l)) & 511u) {
		uint64_t e = rtt_entry(table + idx * 8u);

		*level = l;
		if ((e & 1u) == 0u || (l == 3 && (e & 3u) != 3u))
			return false;
		if (l < 3 && (e & 3u) == 3u) {
			table = e & S2_OA_MASK;
			l++;
			continue;
		}
		*pa = ((e & S2_OA_MASK) & ~((1ull << level_shift(l)) - 1u)) |
		      (ipa & ((1ull << level_shift(l)) - 1u));
		*ns = (e & S2_NS) != 0u;
		return true;
	}
}

size_t host_realm_regions(struct sim_region *r)
{
	r[0] = (struct sim_region){ fpfile, sizeof(fpfile) };
	return 1;
}

/* struct fp_regs (kernel/rec.c): q0..q31, then FPSR and FPCR, 528 bytes. */
void arch_fp_save_at(uint8_t *p)
{
	struct cpu_fp *f = &fpfile[arch_cpu_id()];

	for (unsigned int i = 0; i < 32u; i++)
		memcpy(&p[16u * i], f->z[i], 16);
	memcpy(&p[512], &f->fpsr, 8);
	memcpy(&p[520], &f->fpcr, 8);
}

/* A write of V<n> clears the rest of Z<n>. */
void arch_fp_load_at(const uint8_t *p)
{
	struct cpu_fp *f = &fpfile[arch_cpu_id()];

	for (unsigned int i = 0; i < 32u; i++) {
		memcpy(f->z[i], &p[16u * i], 16);
		memset(&f->z[i][16], 0, ZREG_MAX - 16u);
	}
	memcpy(&f->fpsr, &p[512], 8);
	memcpy(&f->fpcr, &p[520], 8);
}

void arch_fp_save(struct fp_regs *f)
{
	arch_fp_save_at((uint8_t *)f);
}

void arch_fp_load(const struct fp_regs *f)
{
	arch_fp_load_at((const uint8_t *)f);
}

/* The current vector length in bytes: ZCR_EL2.LEN, capped at the simulated maximum. */
static size_t vl(void)
{
	size_t v = ((read_zcr_el2() & 0xfu) + 1u) * 16u;

	return v > SIM_SVE_VL_BYTES ? SIM_SVE_VL_BYTES : v;
}

static void zsave(uint8_t *p, unsigned int first)
{
	for (unsigned int i = 0; i < 16u; i++)
		memcpy(&p[i * vl()], fpfile[arch_cpu_id()].z[first + i], vl());
}

static void zload(const uint8_t *p, unsigned int first)
{
	for (unsigned int i = 0; i < 16u; i++)
		memcpy(fpfile[arch_cpu_id()].z[first + i], &p[i * vl()], vl());
}

void arch_sve_save_z_lo(uint8_t *p)
{
	zsave(p, 0);
}

void arch_sve_save_z_hi(uint8_t *p)
{
	zsave(p, 16);
}

void arch_sve_load_z_lo(const uint8_t *p)
{
	zload(p, 0);
}

void arch_sve_load_z_hi(const uint8_t *p)
{
	zload(p, 16);
}

void arch_sve_save_p(uint8_t *p)
{
	for (unsigned int i = 0; i < 17u; i++)
		memcpy(&p[i * (vl() / 8u)], fpfile[arch_cpu_id()].p[i], vl() / 8u);
}

void arch_sve_load_p(const uint8_t *p)
{
	for (unsigned int i = 0; i < 17u; i++)
		memcpy(fpfile[arch_cpu_id()].p[i], &p[i * (vl() / 8u)], vl() / 8u);
}

size_t host_arch_regions(struct sim_region *r, size_t max)
{
	size_t (*const parts[])(struct sim_region *) = {
		host_sysreg_regions, host_mmu_regions, host_smc_regions, host_realm_regions,
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (max - n < HOST_STATE_MAX)
			abort();	/* the caller's array is too small: a bug of the driver */
		n += parts[i](&r[n]);
	}
	return n;
}

/*
 * ---- The realm's processor: a program per REC, on a thread of its own ----
 * arch_realm_run() hands the CPU to the REC's program thread and waits for
 * the exit it makes; the program's registers are the REC's (struct
 * sim_vcpu, in the REC granule). A REC is told apart by a tag the program
 * keeps in its SP_EL0, which the RMM saves and restores with the rest of
 * the realm's state and which REC_CREATE starts at 0.
 */
#define RCPU_MAX	64u
#define RCPU_TAG	0x5a5a000000000000ull
#define VEC_SYNC	0x200u
#define VEC_IRQ		0x280u
#define ESR_IL_BIT	(1ull << 25)
#define HCR_IMO		(1ull << 4)
#define HCR_TWI		(1ull << 13)
#define HCR_TID3	(1ull << 18)
#define MDCR_TPMCR	(1ull << 5)
#define MDCR_TPM	(1ull << 6)
#define MDCR_TDA	(1ull << 9)

struct rcpu {
	pthread_mutex_t mx;
	pthread_cond_t cv;
	bool realm_turn;	/* the program runs (else the RMM does) */
	struct sim_vcpu *v;	/* the REC's registers for this run */
	unsigned int cpu;	/* the CPU running the REC now */
	uint64_t kind;		/* the exit the program made */
	uint64_t pc;		/* the program's own PC: where its next trapping step is */
	uint64_t entry, x0;
};

static const struct sim_realm_prog *prog;
static struct rcpu rcpus[RCPU_MAX];
static unsigned int rcpu_count;
static pthread_mutex_t rcpu_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct rcpu *self;

static uint64_t program_run(struct sim_vcpu *v);
static void (*observer)(unsigned int cpu, const struct sim_vcpu *v, uint64_t kind);

void sim_realm_observe(void (*fn)(unsigned int cpu, const struct sim_vcpu *v, uint64_t kind))
{
	observer = fn;
}

void sim_realm_program(const struct sim_realm_prog *p)
{
	prog = p;
	sim_realm_script(program_run);
}

/* The RMM's side: hand the CPU to the program until it exits. */
static uint64_t switch_to(struct rcpu *c)
{
	pthread_mutex_lock(&c->mx);
	c->realm_turn = true;
	pthread_cond_broadcast(&c->cv);
	while (c->realm_turn)
		pthread_cond_wait(&c->cv, &c->mx);
	pthread_mutex_unlock(&c->mx);
	return c->kind;
}

/* The program's side: wait for the CPU. */
static void wait_turn(struct rcpu *c)
{
	pthread_mutex_lock(&c->mx);
	while (!c->realm_turn)
		pthread_cond_wait(&c->cv, &c->mx);
	pthread_mutex_unlock(&c->mx);
	sim_set_cpu(c->cpu);
}

static void *program_thread(void *arg)
{
	struct rcpu *c = arg;

	self = c;
	wait_turn(c);
	if (c->entry == prog->secondary_pc) {
		c->pc = 0x20000;
		prog->secondary(c->x0);
	} else {
		c->pc = 0x10000;
		prog->main(c->x0);
	}
	/* a program that ends just stays off the CPU: its REC never resumes it */
	fprintf(stderr, "realm program on CPU %u returned\n", c->cpu);
	abort();
}

static uint64_t program_run(struct sim_vcpu *v)
{
	struct rcpu *c = NULL;
	uint64_t kind;

	pthread_mutex_lock(&rcpu_lock);
	if ((v->sp_el0 & ~0xffffull) == RCPU_TAG && (v->sp_el0 & 0xffffu) < rcpu_count) {
		c = &rcpus[v->sp_el0 & 0xffffu];
	} else {
		pthread_t th;

		if (rcpu_count == RCPU_MAX) {
			fprintf(stderr, "realm program: more than %u RECs ran\n", RCPU_MAX);
			abort();
		}
		c = &rcpus[rcpu_count];
		pthread_mutex_init(&c->mx, NULL);
		pthread_cond_init(&c->cv, NULL);
		c->entry = v->pc;
		c->x0 = v->x[0];
		v->sp_el0 = RCPU_TAG | rcpu_count++;
		if (pthread_create(&th, NULL, program_thread, c) != 0)
			abort();
		pthread_detach(th);
	}
	pthread_mutex_unlock(&rcpu_lock);
	c->v = v;
	c->cpu = arch_cpu_id();
	kind = switch_to(c);
	if (observer != NULL)
		observer(c->cpu, v, kind);
	return kind;
}

static void take_exception(struct rcpu *c);

/*
 * Exit to the RMM with kind (the syndrome is in v already), reporting PC
 * `pc`. Back when the RMM resumes the REC: true if it went on after the
 * instruction, false if it resumes the same one (to be done again).
 * An exception the RMM injected runs the program's handler and counts as
 * done.
 */
static bool leave(uint64_t kind, uint64_t pc)
{
	struct rcpu *c = self;
	uint64_t at = c->pc;

	c->v->pc = pc;
	c->kind = kind;
	pthread_mutex_lock(&c->mx);
	c->realm_turn = false;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mx);
	wait_turn(c);
	if (c->v->pc == at + 4u) {
		c->pc = at + 4u;
		return true;
	}
	if (c->v->pc == at)
		return false;
	take_exception(c);
	c->pc = at + 4u;
	return true;
}

/* An exception at EL1: the vector the PC points at runs, then ERET past the instruction. */
static void take_exception(struct rcpu *c)
{
	uint64_t off = c->v->pc - read_vbar_el12();

	if (off == VEC_SYNC) {
		prog->sync_el1(read_esr_el12(), read_far_el12());
	} else if (off == VEC_IRQ) {
		prog->irq_el1();
	} else {
		fprintf(stderr, "realm program: resumed at 0x%llx, not an expected vector\n",
			(unsigned long long)c->v->pc);
		abort();
	}
}

/* The realm's own exception (no EL2): UNDEFINED at EL1. */
static void own_undefined(void)
{
	write_esr_el12(ESR_IL_BIT);
	prog->sync_el1(ESR_IL_BIT, read_far_el12());
}

/* Before each step: time goes on, and a realm timer's interrupt exits to the RMM. */
static void step(void)
{
	(void)sim_counter_advance(1);
	while ((read_hcr_el2() & HCR_IMO) != 0u && sim_timer_irq()) {
		self->v->esr = self->v->far = self->v->hpfar = 0;
		if (leave(SIM_EXC_IRQ, self->pc))
			return;	/* an exception was injected instead */
	}
}

static uint64_t sync_exit(uint64_t esr)
{
	self->v->esr = esr;
	self->v->far = self->v->hpfar = 0;
	return leave(SIM_EXC_SYNC, self->pc);
}

void rcpu_smc(uint64_t x[12])
{
	step();
	for (;;) {
		for (unsigned int i = 0; i < 12u; i++)
			self->v->x[i] = x[i];
		if (sync_exit((0x17ull << 26) | ESR_IL_BIT))
			break;
	}
	for (unsigned int i = 0; i < 12u; i++)
		x[i] = self->v->x[i];
}

void rcpu_hvc(void)
{
	step();
	self->v->esr = (0x16ull << 26) | ESR_IL_BIT;
	self->v->far = self->v->hpfar = 0;
	/* the preferred return address of an HVC is the next instruction */
	(void)leave(SIM_EXC_SYNC, self->pc + 4u);
	self->pc += 4u;
}

void rcpu_wfi(void)
{
	step();
	if ((read_hcr_el2() & HCR_TWI) != 0u)
		while (!sync_exit((0x01ull << 26) | ESR_IL_BIT))
			;
}

/* A data access or fetch that stage 2 refuses: exit with the abort's syndrome. */
static bool abort_exit(uint64_t ec, uint64_t iss, uint64_t va, int level)
{
	self->v->esr = (ec << 26) | ESR_IL_BIT | iss | (0x04u + (uint64_t)(level < 0 ? 0 : level));
	self->v->far = va;
	self->v->hpfar = (va >> 12) << 4;
	return leave(SIM_EXC_SYNC, self->pc);
}

/* Map va through stage 2 to simulated memory; NULL on a fault (level set). */
static uint8_t *translate(uint64_t va, unsigned int size, uint64_t *pa, bool *ns, int *level)
{
	if (!sim_realm_translate(va, pa, ns, level))
		return NULL;
	if (sim_gpt_get(*pa) != (*ns ? SIM_PAS_NS : SIM_PAS_REALM)) {
		fprintf(stderr, "realm program: granule protection fault at IPA 0x%llx\n",
			(unsigned long long)va);
		abort();
	}
	return sim_pa_ptr(*pa, size);
}

static void mem_access(uint64_t va, unsigned int size, uint64_t *v, bool write)
{
	for (;;) {
		uint64_t pa = 0;
		bool ns = false;
		int level = 0;
		uint8_t *p = translate(va, size, &pa, &ns, &level);
		uint64_t iss = (1ull << 24) | (uint64_t)(size == 8u ? 3u : size == 4u ? 2u :
							size == 2u ? 1u : 0u) << 22 |
			       (1ull << 16) | (size == 8u ? 1ull << 15 : 0u) | (write ? 1ull << 6 : 0u);

		if (p != NULL) {
			if (!ns)
				sim_realm_slot_map(pa & ~(SIM_GRANULE - 1u));
			if (write)
				memcpy(p, v, size);
			else
				memcpy(v, p, size);
			if (!ns)
				sim_realm_slot_unmap(pa & ~(SIM_GRANULE - 1u));
			return;
		}
		/* SRT x1 carries the data */
		if (write)
			self->v->x[1] = *v;
		if (abort_exit(0x24u, iss, va, level)) {
			if (!write && self->v->pc == self->pc)
				*v = self->v->x[1] & (size == 8u ? ~0ull : (1ull << (8u * size)) - 1u);
			return;
		}
	}
}

uint64_t rcpu_load(uint64_t va, unsigned int size)
{
	uint64_t v = 0;

	step();
	/* an injected exception (an SEA) leaves the register unchanged: 0 here */
	mem_access(va, size, &v, false);
	return v;
}

void rcpu_store(uint64_t va, unsigned int size, uint64_t v)
{
	step();
	mem_access(va, size, &v, true);
}

/* ---- system registers ---- */
enum trap { T_NONE, T_TID3, T_TPM, T_TDA, T_IMO };

static const struct {
	uint8_t op0, op1, crn, crm, op2;
	enum trap trap;
	enum host_sysreg direct;	/* HSR_COUNT: handled in rcpu_mrs/rcpu_msr */
} regs[RCPU_REGS] = {
	[RCPU_ID_AA64PFR0] = { 3, 0, 0, 4, 0, T_TID3, HSR_id_aa64pfr0_el1 },
	[RCPU_ID_AA64PFR1] = { 3, 0, 0, 4, 1, T_TID3, HSR_id_aa64pfr1_el1 },
	[RCPU_ID_AA64MMFR0] = { 3, 0, 0, 7, 0, T_TID3, HSR_id_aa64mmfr0_el1 },
	[RCPU_ID_AA64ZFR0] = { 3, 0, 0, 4, 4, T_TID3, HSR_id_aa64zfr0_el1 },
	[RCPU_ID_AA64DFR0] = { 3, 0, 0, 5, 0, T_TID3, HSR_id_aa64dfr0_el1 },
	[RCPU_PMCR] = { 3, 3, 9, 12, 0, T_TPM, HSR_pmcr_el0 },
	[RCPU_PMCCNTR] = { 3, 3, 9, 13, 0, T_TPM, HSR_pmccntr_el0 },
	[RCPU_DBGBVR0] = { 2, 0, 0, 0, 4, T_TDA, HSR_COUNT },
	[RCPU_ICC_SGI1R] = { 3, 0, 12, 11, 5, T_IMO, HSR_COUNT },
	[RCPU_ICC_PMR] = { 3, 0, 4, 6, 0, T_NONE, HSR_COUNT },
	[RCPU_ICC_IGRPEN1] = { 3, 0, 12, 12, 7, T_NONE, HSR_COUNT },
	[RCPU_ICC_IAR1] = { 3, 0, 12, 12, 0, T_NONE, HSR_COUNT },
	[RCPU_ICC_EOIR1] = { 3, 0, 12, 12, 1, T_NONE, HSR_COUNT },
	[RCPU_CNTVCT] = { 3, 3, 14, 0, 2, T_NONE, HSR_COUNT },
	[RCPU_CNTV_CTL] = { 3, 3, 14, 3, 1, T_NONE, HSR_cntv_ctl_el02 },
	[RCPU_CNTV_CVAL] = { 3, 3, 14, 3, 2, T_NONE, HSR_cntv_cval_el02 },
	[RCPU_CPACR] = { 3, 0, 1, 0, 2, T_NONE, HSR_cpacr_el12 },
	[RCPU_ZCR_EL1] = { 3, 0, 1, 2, 0, T_NONE, HSR_zcr_el12 },
	[RCPU_PMSELR] = { 3, 3, 9, 12, 5, T_TPM, HSR_pmselr_el0 },
	[RCPU_PMXEVTYPER] = { 3, 3, 9, 13, 1, T_TPM, HSR_pmxevtyper_el0 },
	[RCPU_PMXEVCNTR] = { 3, 3, 9, 13, 2, T_TPM, HSR_pmxevcntr_el0 },
	[RCPU_PMCNTENSET] = { 3, 3, 9, 12, 1, T_TPM, HSR_pmcntenset_el0 },
	[RCPU_PMSWINC] = { 3, 3, 9, 12, 4, T_TPM, HSR_COUNT },
	[RCPU_PMINTENSET] = { 3, 0, 9, 14, 1, T_TPM, HSR_pmintenset_el1 },
	[RCPU_PMOVSSET] = { 3, 3, 9, 14, 3, T_TPM, HSR_pmovsset_el0 },
	[RCPU_PMOVSCLR] = { 3, 3, 9, 12, 3, T_TPM, HSR_pmovsclr_el0 },
};

static bool trapped(enum rcpu_reg r)
{
	switch (regs[r].trap) {
	case T_TID3: return (read_hcr_el2() & HCR_TID3) != 0u;
	case T_TPM: return (read_mdcr_el2() & (r == RCPU_PMCR ? MDCR_TPM | MDCR_TPMCR : MDCR_TPM)) != 0u;
	case T_TDA: return (read_mdcr_el2() & MDCR_TDA) != 0u;
	case T_IMO: return (read_hcr_el2() & HCR_IMO) != 0u;
	default: return false;
	}
}

/* A trapped MRS/MSR (EC 0x18) with Rt = x2; true if the RMM emulated it. */
static bool sysreg_exit(enum rcpu_reg r, bool read, uint64_t *v)
{
	uint64_t iss = (uint64_t)regs[r].op0 << 20 | (uint64_t)regs[r].op2 << 17 |
		       (uint64_t)regs[r].op1 << 14 | (uint64_t)regs[r].crn << 10 | 2ull << 5 |
		       (uint64_t)regs[r].crm << 1 | (read ? 1u : 0u);

	for (;;) {
		uint64_t at = self->pc;

		if (!read)
			self->v->x[2] = *v;
		if (sync_exit((0x18ull << 26) | iss)) {
			if (read && self->v->pc == at + 4u)
				*v = self->v->x[2];
			return true;
		}
	}
}

/* The list registers of the virtual CPU interface (ICH_VTR_EL2.ListRegs + 1 of them). */
static unsigned int lr_count(void)
{
	return (unsigned int)(read_ich_vtr_el2() & 0x1fu) + 1u;
}

static uint64_t lr_get(unsigned int i)
{
	return host_sysreg_read((enum host_sysreg)(HSR_ich_lr0_el2 + i));
}

static void lr_set(unsigned int i, uint64_t v)
{
	host_sysreg_write((enum host_sysreg)(HSR_ich_lr0_el2 + i), v);
}

/* The highest-priority pending group-1 interrupt the VMCR lets through, or -1. */
static int vgic_pending(void)
{
	uint64_t vmcr = read_ich_vmcr_el2();
	int best = -1;
	uint64_t prio = (vmcr >> 24) & 0xffu;

	if ((read_ich_hcr_el2() & 1u) == 0u || (vmcr & 2u) == 0u)
		return -1;
	for (unsigned int i = 0; i < lr_count(); i++) {
		uint64_t lr = lr_get(i);

		if ((lr >> 62) == 1u && ((lr >> 60) & 1u) != 0u && ((lr >> 48) & 0xffu) < prio) {
			prio = (lr >> 48) & 0xffu;
			best = (int)i;
		}
	}
	return best;
}

uint64_t rcpu_mrs(enum rcpu_reg r)
{
	uint64_t v = 0;

	step();
	if (trapped(r)) {
		(void)sysreg_exit(r, true, &v);
		return v;
	}
	switch (r) {
	case RCPU_DBGBVR0: return 0;
	case RCPU_ICC_PMR: return (read_ich_vmcr_el2() >> 24) & 0xffu;
	case RCPU_ICC_IGRPEN1: return (read_ich_vmcr_el2() >> 1) & 1u;
	case RCPU_CNTVCT: return sim_counter_advance(1);
	case RCPU_PMCCNTR: return sim_pmu_cycles();
	case RCPU_PMCR:
		/* PMCR_EL0.N reads as MDCR_EL2.HPMN below EL2 */
		return (read_pmcr_el0() & ~(0x1full << 11)) | (read_mdcr_el2() & 0x1fu) << 11;
	case RCPU_ICC_IAR1: {
		int i = vgic_pending();

		if (i < 0)
			return 1023;	/* spurious */
		lr_set((unsigned int)i, (lr_get((unsigned int)i) & ~(3ull << 62)) | (2ull << 62));
		return lr_get((unsigned int)i) & 0xffffffffu;
	}
	default:
		return regs[r].direct == HSR_COUNT ? 0u : host_sysreg_read(regs[r].direct);
	}
}

void rcpu_msr(enum rcpu_reg r, uint64_t v)
{
	step();
	if (trapped(r)) {
		(void)sysreg_exit(r, false, &v);
		return;
	}
	switch (r) {
	case RCPU_ICC_PMR:
		write_ich_vmcr_el2((read_ich_vmcr_el2() & ~(0xffull << 24)) | (v & 0xffu) << 24);
		return;
	case RCPU_ICC_IGRPEN1:
		write_ich_vmcr_el2((read_ich_vmcr_el2() & ~2ull) | (v & 1u) << 1);
		return;
	case RCPU_PMSWINC:
		sim_pmu_swinc(v);
		return;
	case RCPU_ICC_EOIR1:
		for (unsigned int i = 0; i < lr_count(); i++) {
			uint64_t lr = lr_get(i);

			if ((lr >> 62) == 2u && (lr & 0xffffffffu) == (v & 0xffffffu))
				lr_set(i, lr & ~(3ull << 62));
		}
		return;
	default:
		if (regs[r].direct != HSR_COUNT)
			host_sysreg_write(regs[r].direct, v);
		return;
	}
}

/* ---- FP/SIMD and SVE ---- */
static bool fp_traps(void)
{
	uint64_t fpen = (read_cptr_el2() >> 20) & 3u;

	return fpen == 0u || fpen == 2u;
}

uint64_t rcpu_fp_d9(uint64_t bits, bool set)
{
	uint8_t *q9;
	uint64_t d;

	step();
	while (fp_traps())
		(void)sync_exit((0x07ull << 26) | ESR_IL_BIT);	/* the RMM loads the realm's FP */
	q9 = fpfile[arch_cpu_id()].z[9];
	if (set) {
		double x;

		memcpy(&x, &bits, 8);
		x = x + x;
		memcpy(&d, &x, 8);
		memcpy(q9, &d, 8);
		memset(&q9[8], 0, ZREG_MAX - 8u);
	}
	memcpy(&d, q9, 8);
	return d;
}

/*
 * Before an SVE instruction: exit (EC 0x19) while CPTR_EL2 traps it; false
 * if the RMM answered with an UNDEFINED exception (the handler ran).
 */
static bool sve_usable(void)
{
	for (;;) {
		uint64_t zen = (read_cptr_el2() >> 16) & 3u;

		if (!fp_traps() && zen != 0u && zen != 2u)
			return true;
		if (sync_exit((0x19ull << 26) | ESR_IL_BIT) && self->v->pc != self->pc)
			return false;
	}
}

/* The realm's vector length in bytes: ZCR_EL1.LEN capped by ZCR_EL2.LEN and the CPU. */
static size_t realm_vl(void)
{
	uint64_t len = read_zcr_el12() & 0xfu;

	if (len > (read_zcr_el2() & 0xfu))
		len = read_zcr_el2() & 0xfu;
	return (len + 1u) * 16u > SIM_SVE_VL_BYTES ? SIM_SVE_VL_BYTES : (size_t)(len + 1u) * 16u;
}

uint64_t rcpu_rdvl(void)
{
	step();
	return sve_usable() ? realm_vl() : 0u;
}

void rcpu_sve(unsigned int n, bool pred, uint8_t *buf, bool write)
{
	struct cpu_fp *f;
	uint8_t *reg;
	size_t len;

	step();
	if (!sve_usable())
		return;
	f = &fpfile[arch_cpu_id()];	/* the CPU the REC runs on after any exit */
	reg = pred ? f->p[n] : f->z[n];
	len = pred ? realm_vl() / 8u : realm_vl();
	if (write)
		memcpy(reg, buf, len);
	else
		memcpy(buf, reg, len);
}

uint64_t rcpu_rdsvl(void)
{
	step();
	/* the simulated CPU has no SME (ID_AA64PFR1_EL1.SME 0): UNDEFINED at EL1 */
	own_undefined();
	return 0;
}

bool rcpu_exec(uint64_t va)
{
	step();
	for (;;) {
		uint64_t pa = 0, at = self->pc;
		bool ns = false;
		int level = 0;
		uint8_t *p = translate(va, 4, &pa, &ns, &level);
		uint32_t insn = 0;

		if (p != NULL) {
			if (!ns)
				sim_realm_slot_map(pa & ~(SIM_GRANULE - 1u));
			memcpy(&insn, p, 4);
			if (!ns)
				sim_realm_slot_unmap(pa & ~(SIM_GRANULE - 1u));
			if (insn != 0u)
				return true;
			own_undefined();	/* UDF #0 */
			return false;
		}
		if (abort_exit(0x20u, 0, va, level) && self->pc == at + 4u && self->v->pc != at + 4u)
			return false;	/* an SEA was injected */
	}
}

void rcpu_irq_window(void)
{
	step();
	if (vgic_pending() >= 0)
		prog->irq_el1();
}

uint64_t sim_fp_d(unsigned int n)
{
	uint64_t d;

	memcpy(&d, fpfile[arch_cpu_id()].z[n], 8);
	return d;
}

void sim_fp_set_d(unsigned int n, uint64_t v)
{
	memcpy(fpfile[arch_cpu_id()].z[n], &v, 8);
	memset(&fpfile[arch_cpu_id()].z[n][8], 0, ZREG_MAX - 8u);
}

void sim_sve_access(unsigned int n, uint8_t *z, uint8_t *p, bool write)
{
	struct cpu_fp *f = &fpfile[arch_cpu_id()];

	if (z != NULL) {
		if (write)
			memcpy(f->z[n], z, SIM_SVE_VL_BYTES);
		else
			memcpy(z, f->z[n], SIM_SVE_VL_BYTES);
	}
	if (p != NULL) {
		if (write)
			memcpy(f->p[n], p, SIM_SVE_VL_BYTES / 8u);
		else
			memcpy(p, f->p[n], SIM_SVE_VL_BYTES / 8u);
	}
}

void rcpu_async(uint64_t kind, uint64_t esr)
{
	step();
	self->v->esr = esr;
	self->v->far = self->v->hpfar = 0;
	(void)leave(kind, self->pc);
}
