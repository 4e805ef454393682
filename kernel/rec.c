/*
 * RMI_REC_ENTER: the hot path. Checks (rmi.md 12, in order), the world
 * switch into the realm, the RSI and PSCI calls answered inside the RMM,
 * and the exits reported to the host (structures.md 6.2). The REC granule
 * holds the realm service's struct rec_core at offset 0 and this file's
 * run state at REC_RUN_OFF.
 */
#include <arch/barrier.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <ipc/realm_objects.h>
#include <kernel/config.h>
#include <kernel/gmem.h>
#include <kernel/kstate.h>
#include <kernel/rec.h>
#include <kernel/rmi.h>
#include <kernel/panic.h>
#include <kernel/s2.h>
#include <kernel/spinlock.h>
#include <kernel/svc_api.h>
#include <kernel/vcpu.h>
#include <spec/structs.h>
#include <stddef.h>
#include <string.h>

/* General-purpose state, laid out as arch/aarch64/realm_entry.S expects. */
struct realm_regs {
	uint64_t x[31];
	/* cppcheck-suppress unusedStructMember ; loaded and saved by realm_entry.S */
	uint64_t sp_el0;
	uint64_t pc;
	uint64_t pstate;
	uint64_t esr;		/* syndrome of the last exit */
	/* cppcheck-suppress unusedStructMember ; saved by realm_entry.S (exit reporting, issue 5) */
	uint64_t far;
	/* cppcheck-suppress unusedStructMember ; saved by realm_entry.S (exit reporting, issue 5) */
	uint64_t hpfar;
};
_Static_assert(offsetof(struct realm_regs, sp_el0) == 248u, "realm_entry.S R_SP_EL0");
_Static_assert(offsetof(struct realm_regs, hpfar) == 288u, "realm_entry.S R_HPFAR");

uint64_t arch_realm_run(struct realm_regs *r);

/* EL1/EL0 system registers switched between the NS host and a realm. */
struct el1_regs {
	uint64_t sctlr, cpacr, ttbr0, ttbr1, tcr, spsr, elr, afsr0, afsr1, esr, far, mair, amair;
	uint64_t vbar, contextidr, cntkctl, sp_el1, tpidr_el1, tpidr_el0, tpidrro_el0, par, mdscr;
	uint64_t csselr;
};

/* FP/SIMD register file (arch/aarch64/fpsimd.S). */
struct fp_regs {
	uint64_t q[64];		/* q0..q31, 16 bytes each */
	uint64_t fpsr, fpcr;
};
_Static_assert(sizeof(struct fp_regs) == 528u, "fpsimd.S layout");

void arch_fp_save(struct fp_regs *f);
void arch_fp_load(const struct fp_regs *f);

/* Run state of a REC, after struct rec_core in the REC granule. */
#define REC_RUN_OFF	0x800u
struct rec_run {
	struct realm_regs regs;
	struct el1_regs el1;
	uint64_t started;		/* regs/el1 initialised from rec_core */
	uint64_t host_call_pending;
	uint64_t host_call_ipa;
	uint64_t last_exit_esr;
	uint64_t psci_pending;		/* PSCI FID awaiting RMI_PSCI_COMPLETE, 0 if none */
	uint64_t psci_target;		/* REC index named by the request */
	uint64_t psci_entry;		/* CPU_ON entry point and context id */
	uint64_t psci_ctx;
	uint64_t ripas_addr;		/* RSI_IPA_STATE_SET request: progress so far */
	uint64_t ripas_top;		/* end of the request (0: none pending) */
	uint64_t ripas_value;		/* requested RIPAS */
	uint64_t ripas_change_destroyed;
	uint64_t sea_pending;		/* INJECT_SEA accepted, to be raised on entry */
	uint64_t timer_out;		/* timer output levels the host last saw (VTIMER_OUT_*) */
	struct vgic_state gic;		/* host LRs/HCR of the current entry, the realm's VMCR/APRs */
	struct vtimer_state timer;
	uint64_t fpsr, fpcr;		/* SVE realms (the FP/SIMD file of others: at REC_FP_OFF) */
	uint64_t zcr_el1;		/* SVE realms: ZCR_EL1; Z/P/FFR live in aux[AUX_SVE_REALM..] */
	uint64_t sve_saved;		/* the SVE aux granules hold the realm's registers */
};
/*
 * A realm without SVE keeps its FP/SIMD file at REC_FP_OFF in the REC granule,
 * saved and loaded there in place only when the realm used FP in an entry,
 * so the run state every entry copies stays small.
 */
#define REC_FP_OFF	0xC00u
_Static_assert(REC_RUN_OFF + sizeof(struct rec_run) <= REC_FP_OFF, "REC run state fits");
_Static_assert(REC_FP_OFF + sizeof(struct fp_regs) <= GRANULE_SIZE, "REC FP state fits");
_Static_assert(sizeof(struct fp_regs) == GMEM_FP_BYTES, "gmem_fp_save layout");

#define PSTATE_EL1H_MASKED	0x3c5u
#define SCTLR_EL1_RESET		0x30d00800u
#define HCR_REALM	((1ull << 0) | (1ull << 1) | (1ull << 2) | (1ull << 3) | (1ull << 4) | \
			 (1ull << 5) | (1ull << 10) | (1ull << 19) | (1ull << 31) | (1ull << 34) | \
			 (1ull << 37) | (1ull << 46))
#define HCR_TID3	(1ull << 18)	/* trap ID register reads: sanitised below */
#define HCR_TWI		(1ull << 13)
#define HCR_TWE		(1ull << 14)

#define EXC_LOWER_SYNC	8u
#define EXC_LOWER_IRQ	9u
#define EXC_LOWER_FIQ	10u
#define EC_SMC64	0x17u
#define EC_FP		0x07u
#define EC_SVE		0x19u
#define EC_SME		0x1Du
#define CPTR_FPEN	(3ull << 20)	/* E2H=1 layout: no FP traps at EL0/1/2 */
#define CPTR_ZEN	(3ull << 16)	/* ... and no SVE traps */
/* REC_AUX granules: aux[0] token state; the realm's PMU state (struct
 * vpmu_state, realms with a PMU); three for the realm's SVE registers and
 * three for the host's while the realm's are loaded */
#define AUX_PMU		1u
#define AUX_SVE_REALM	2u
#define AUX_SVE_NS	5u
#define EC_DABT_LOWER	0x24u
#define EC_WFX		0x01u
#define EC_IABT_LOWER	0x20u
#define ESR_EC(e)	(((e) >> 26) & 0x3fu)
#define ESR_SERROR_MASK	((1ull << 24) | (7ull << 10) | (1ull << 9) | 0x3full)	/* IDS AET EA DFSC */

#define EXIT_SYNC	0u
#define EXIT_IRQ	1u
#define EXIT_FIQ	2u
#define EXIT_PSCI	3u
#define EXIT_RIPAS_CHANGE 4u
#define EXIT_HOST_CALL	5u
#define EXIT_SERROR	6u

#define ENTER_EMUL_MMIO		(1u << 0)
#define ENTER_INJECT_SEA	(1u << 1)
#define ENTER_TRAP_WFI		(1u << 2)
#define ENTER_TRAP_WFE		(1u << 3)
#define ENTER_RIPAS_REJECT	(1u << 4)

/* RmiRecRun (structures.md 6): struct rmi_rec_run and its halves, <spec/structs.h>. */
_Static_assert(SPEC_SIZEOF(struct rmi_rec_enter, gicv3_lrs) == sizeof(uint64_t[VGIC_MAX_LRS]) &&
	       SPEC_SIZEOF(struct rmi_rec_exit, gicv3_lrs) == sizeof(uint64_t[VGIC_MAX_LRS]),
	       "RmiRecRun carries VGIC_MAX_LRS list registers");

/* ---- which REC runs where: one claim per REC, across CPUs ---- */

/* The claims live in the kernel container (struct rec_claims, kernel/kstate.h). */

static struct rec_claim *claim_find(struct rec_claims *c, uint64_t rec)
{
	for (uint32_t i = 0; i < c->count; i++)
		if (c->e[i].pa == rec)
			return &c->e[i];
	return NULL;
}

bool rec_claim(uint64_t rec, enum rec_claim_mode mode)
{
	struct rec_claims *c = &kstate()->claims;
	struct rec_claim *e;
	bool ok;

	spin_lock(&c->lock);
	e = claim_find(c, rec);
	if (e == NULL) {
		if (c->count == REC_CLAIMS)
			panic("REC claim table full");	/* at most 3 per CPU + 2 */
		e = &c->e[c->count++];
		memset(e, 0, sizeof(*e));
		e->pa = rec;
	}
	switch (mode) {
	case REC_CLAIM_RUN:
		ok = e->runner == 0u && e->changer == 0u;
		if (ok)
			e->runner = 1;
		break;
	case REC_CLAIM_READ:
		ok = e->changer == 0u;
		if (ok)
			e->readers++;
		break;
	case REC_CLAIM_CHANGE:
	default:
		ok = e->runner == 0u && e->changer == 0u && e->readers == 0u;
		if (ok)
			e->changer = 1;
		break;
	}
	if (e->runner == 0u && e->changer == 0u && e->readers == 0u)
		*e = c->e[--c->count];	/* a refused first claim leaves nothing */
	spin_unlock(&c->lock);
	return ok;
}

void rec_release(uint64_t rec, enum rec_claim_mode mode)
{
	struct rec_claims *c = &kstate()->claims;
	struct rec_claim *e;

	spin_lock(&c->lock);
	e = claim_find(c, rec);
	if (e == NULL || (mode == REC_CLAIM_RUN && e->runner == 0u) ||
	    (mode == REC_CLAIM_READ && e->readers == 0u) ||
	    (mode == REC_CLAIM_CHANGE && e->changer == 0u))
		panic("REC claim released twice");
	if (mode == REC_CLAIM_RUN)
		e->runner = 0;
	else if (mode == REC_CLAIM_READ)
		e->readers--;
	else
		e->changer = 0;
	if (e->runner == 0u && e->changer == 0u && e->readers == 0u)
		*e = c->e[--c->count];
	spin_unlock(&c->lock);
}

void realm_lock(uint64_t rd)
{
	struct realm_locks *t = &kstate()->realms;

	for (;;) {
		bool held = false;

		spin_lock(&t->lock);
		for (uint32_t i = 0; i < t->count && !held; i++)
			held = t->rd[i] == rd;
		if (!held) {
			if (t->count == REALM_LOCKS)
				panic("realm lock table full");	/* at most one per CPU */
			t->rd[t->count++] = rd;
		}
		spin_unlock(&t->lock);
		if (!held)
			return;
	}
}

void realm_unlock(uint64_t rd)
{
	struct realm_locks *t = &kstate()->realms;
	uint32_t i;

	spin_lock(&t->lock);
	for (i = 0; i < t->count && t->rd[i] != rd; i++)
		;
	if (i == t->count)
		panic("realm lock released twice");
	t->rd[i] = t->rd[--t->count];
	spin_unlock(&t->lock);
}

/* ---- EL1 context switch ---- */

static void el1_save(struct el1_regs *r)
{
	r->sctlr = read_sctlr_el12();
	r->cpacr = read_cpacr_el12();
	r->ttbr0 = read_ttbr0_el12();
	r->ttbr1 = read_ttbr1_el12();
	r->tcr = read_tcr_el12();
	r->spsr = read_spsr_el12();
	r->elr = read_elr_el12();
	r->afsr0 = read_afsr0_el12();
	r->afsr1 = read_afsr1_el12();
	r->esr = read_esr_el12();
	r->far = read_far_el12();
	r->mair = read_mair_el12();
	r->amair = read_amair_el12();
	r->vbar = read_vbar_el12();
	r->contextidr = read_contextidr_el12();
	r->cntkctl = read_cntkctl_el12();
	r->sp_el1 = read_sp_el1();
	r->tpidr_el1 = read_tpidr_el1();
	r->tpidr_el0 = read_tpidr_el0();
	r->tpidrro_el0 = read_tpidrro_el0();
	r->par = read_par_el1();
	r->mdscr = read_mdscr_el1();
	r->csselr = read_csselr_el1();
}

static void el1_load(const struct el1_regs *r)
{
	write_sctlr_el12(r->sctlr);
	write_cpacr_el12(r->cpacr);
	write_ttbr0_el12(r->ttbr0);
	write_ttbr1_el12(r->ttbr1);
	write_tcr_el12(r->tcr);
	write_spsr_el12(r->spsr);
	write_elr_el12(r->elr);
	write_afsr0_el12(r->afsr0);
	write_afsr1_el12(r->afsr1);
	write_esr_el12(r->esr);
	write_far_el12(r->far);
	write_mair_el12(r->mair);
	write_amair_el12(r->amair);
	write_vbar_el12(r->vbar);
	write_contextidr_el12(r->contextidr);
	write_cntkctl_el12(r->cntkctl);
	write_sp_el1(r->sp_el1);
	write_tpidr_el1(r->tpidr_el1);
	write_tpidr_el0(r->tpidr_el0);
	write_tpidrro_el0(r->tpidrro_el0);
	write_par_el1(r->par);
	write_mdscr_el1(r->mdscr);
	write_csselr_el1(r->csselr);
}

/* VTCR_EL2 for the realm's stage 2 (structures.md 10.3). */
static uint64_t vtcr_of(const struct rd_s2 *s2)
{
	static const uint64_t sl0[] = { 2u, 1u, 0u, 3u };	/* start level 0..3 (4 KB granule) */
	uint64_t v = (64u - s2->s2sz) | (sl0[s2->start_level] << 6) | (1u << 8) | (1u << 10) |
		     (3u << 12) | ((config()->parange & 7u) << 16) | (1ull << 31);

	return config()->vmid_bits == 16u ? v | (1u << 19) : v;
}

static uint64_t vmpidr_of(uint64_t m)
{
	return (m & 0xffffffull) | ((m >> 24) & 0xffu) << 32 | (1ull << 31);
}

/* ---- realm memory ---- */

static uint64_t par_of(const struct rd_s2 *s2)
{
	return 1ull << (s2->s2sz - 1u);
}

/* PA of the ASSIGNED_RAM page at a protected ipa; RIPAS EMPTY -> 1, unmapped -> 2. */
static int realm_page(const struct rd_s2 *s2, uint64_t ipa, uint64_t *pa, int32_t *level)
{
	struct kapi_rtte e;

	if (!s2_translate(s2, ipa, &e))
		return 1;
	*level = e.level;
	if (e.state == RTTE_ASSIGNED && e.ns == 0u && e.ripas == RIPAS_RAM) {
		*pa = e.addr + (ipa & (s2_map_size(e.level) - 1u) & ~0xfffull);
		return 0;
	}
	return e.ripas == RIPAS_EMPTY ? 1 : 2;
}

/* ---- the exit page ---- */

/*
 * What the exit reports. All 64-bit: the size stays a multiple of 16, which
 * the memset() of arch/aarch64/string.S clears without a byte tail (this is
 * zeroed on every exit). write_exit() stores the 8/16-bit fields at their
 * spec widths; every value set here fits them.
 */
struct exit_info {
	uint64_t reason, esr, far, hpfar, imm;
	uint64_t ripas_base, ripas_top, ripas_value;
	uint64_t gprs[31];
	uint64_t pmu_ovf;	/* RmiPmuOverflowStatus (realms with a PMU) */
};
_Static_assert(sizeof(struct exit_info) % 16u == 0u, "memset without a byte tail");

/* The whole exit half, one copy: fields the exit does not use read as 0. */
static __attribute__((noinline)) bool write_exit(uint64_t run, const struct exit_info *x,
						 const struct rec_run *rr)
{
	struct rmi_rec_exit e;

	memset(&e, 0, sizeof(e));
	/* every exit: the interrupt controller and timer state (structures.md 6.2) */
	e.gicv3_hcr = rr->gic.hcr;
	memcpy(e.gicv3_lrs, rr->gic.lrs, sizeof(uint64_t) * vgic_num_lrs());
	e.gicv3_misr = rr->gic.misr;
	e.gicv3_vmcr = rr->gic.vmcr;
	e.cntp_ctl = rr->timer.cntp_ctl;
	e.cntp_cval = rr->timer.cntp_cval;	/* no CNTPOFF for realms */
	e.cntv_ctl = rr->timer.cntv_ctl;
	e.cntv_cval = rr->timer.cntv_cval;	/* CNTVOFF is 0 for realms */
	e.exit_reason = (uint8_t)x->reason;	/* RMI_EXIT_*: 0..6 */
	e.esr = x->esr;
	e.far = x->far;
	e.hpfar = x->hpfar;
	memcpy(e.gprs, x->gprs, sizeof(e.gprs));
	e.imm = (uint16_t)x->imm;		/* RsiHostCall.imm, 16 bits */
	e.ripas_base = x->ripas_base;
	e.ripas_top = x->ripas_top;
	e.ripas_value = (uint8_t)x->ripas_value;	/* checked <= RIPAS_RAM */
	e.pmu_ovf_status = (uint8_t)x->pmu_ovf;	/* 0 or 1 */
	return ns_write(run, offsetof(struct rmi_rec_run, exit), &e, sizeof(e));
}

/* ---- realm calls answered here (rsi.md) ---- */

#define RSI_VERSION	0xC4000190ull
#define RSI_FEATURES	0xC4000191ull
#define RSI_HOST_CALL	0xC4000199ull
#define RSI_MEAS_READ	0xC4000192ull
#define RSI_MEAS_EXTEND	0xC4000193ull
#define RSI_IPA_STATE_GET 0xC4000198ull
#define RSI_IPA_STATE_SET 0xC4000197ull
#define RSI_ACCEPT	0u
#define RSI_REJECT	1u
#define SMCCC_VERSION	0x80000000ull
#define PSCI_VERSION	0x84000000ull
#define PSCI_SYSTEM_OFF	0x84000008ull
#define PSCI_SYSTEM_RESET 0x84000009ull
#define PSCI_FEATURES	0x8400000Aull
#define PSCI_CPU_SUSPEND 0x84000001ull
#define PSCI_CPU_OFF	0x84000002ull
#define PSCI_CPU_ON	0x84000003ull
#define PSCI_AFFINITY	0x84000004ull
#define PSCI_SMC64	0x40000000ull	/* SMC64 variant bit of the PSCI FIDs */
#define PSCI_SUCCESS	0u
#define PSCI_INVALID_PARAMS ((uint64_t)-2)
#define PSCI_DENIED	((uint64_t)-3)
#define PSCI_ALREADY_ON	((uint64_t)-4)
#define PSCI_INVALID_ADDRESS ((uint64_t)-9)
#define RSI_SUCCESS	0u
#define RSI_ERROR_INPUT	1u
#define RSI_ERROR_STATE	2u
#define RSI_INCOMPLETE	3u
#define RSI_ERROR_UNKNOWN 4u
#define RSI_ATTEST_INIT	0xC4000194ull
#define RSI_ATTEST_CONTINUE 0xC4000195ull
#define RSI_REALM_CONFIG 0xC4000196ull
#define PSCI_NOT_SUPPORTED ((uint64_t)-1)

/* RSI_MEASUREMENT_READ: x1 = index; x1..x8 = the slot (rsi.md 3.3). */
static void rsi_measure_read(uint64_t rd, uint64_t *r)
{
	struct realm_measure_read_req m = { .rd = { .lease = IPC_LEASE_NEW, .pa = rd } };
	struct realm_measure_read_rep v;
	int32_t st;

	if (r[1] > 4u) {
		r[0] = RSI_ERROR_INPUT;
		return;
	}
	m.index = (uint32_t)r[1];
	if (realm_measure_read(&m, &v, &st) != IPC_OK || st != 0) {
		r[0] = RSI_ERROR_INPUT;
		return;
	}
	r[0] = RSI_SUCCESS;
	memcpy(&r[1], v.value, sizeof(v.value));
}

/* RSI_MEASUREMENT_EXTEND: x1 = index, x2 = size, x3..x10 = data (rsi.md 3.4). */
static void rsi_measure_extend(uint64_t rd, uint64_t *r)
{
	struct realm_measure_extend_req m = { .rd = { .lease = IPC_LEASE_NEW, .pa = rd } };
	int32_t st;

	if (r[1] == 0u || r[1] > 4u || r[2] > 64u) {
		r[0] = RSI_ERROR_INPUT;
		return;
	}
	m.index = (uint32_t)r[1];
	m.size = (uint32_t)r[2];
	memcpy(m.data, &r[3], sizeof(m.data));
	r[0] = realm_measure_extend(&m, &st) == IPC_OK && st == 0 ? RSI_SUCCESS : RSI_ERROR_INPUT;
}

/* RSI_IPA_STATE_GET: x1 = base, x2 = end; x1 = top, x2 = RIPAS (rsi.md 3.9). */
static void rsi_ipa_state_get(uint64_t rd, const struct rd_s2 *s2, uint64_t *r)
{
	uint64_t base = r[1], end = r[2], par = par_of(s2), size, a;
	struct kapi_rtte e, n;

	if ((base & 0xfffu) != 0u || base >= par || (end & 0xfffu) != 0u || end == 0u ||
	    end - 1u >= par || base >= end) {
		r[0] = RSI_ERROR_INPUT;
		return;
	}
	realm_lock(rd);
	if (!s2_translate(s2, base, &e)) {
		realm_unlock(rd);
		r[0] = RSI_ERROR_INPUT;
		return;
	}
	size = s2_map_size(e.level);
	a = (base & ~(size - 1u)) + size;
	/* the run of entries of the same RTT with the same RIPAS, capped at end */
	while (a < end && (a & (512u * size - 1u)) != 0u && s2_translate(s2, a, &n) &&
	       n.level == e.level && n.ripas == e.ripas)
		a += size;
	realm_unlock(rd);
	r[0] = RSI_SUCCESS;
	r[1] = a < end ? a : end;
	r[2] = e.ripas;
}

/* REC index of an MPIDR_EL1-format value (rsi.md 4). */
static uint64_t psci_index(uint64_t mpidr)
{
	return (mpidr & 0xfu) | ((mpidr >> 8) & 0xffu) << 4 | ((mpidr >> 16) & 0xffu) << 12 |
	       ((mpidr >> 32) & 0xffu) << 20;
}

/*
 * PSCI calls that involve other RECs or this REC's power state. Returns
 * true if the realm continues, false for an RMI_EXIT_PSCI.
 */
static bool realm_psci(struct rec_run *rr, struct rec_core *rc, const struct rd_s2 *s2,
		       uint64_t fid, struct exit_info *x)
{
	uint64_t *r = rr->regs.x, base = fid & ~PSCI_SMC64, target = psci_index(r[1]);

	if (base == PSCI_CPU_ON || base == PSCI_AFFINITY) {
		if (base == PSCI_CPU_ON && (r[2] >> (s2->s2sz - 1u)) != 0u) {
			r[0] = PSCI_INVALID_ADDRESS;
			return true;
		}
		if ((base == PSCI_AFFINITY && r[2] != 0u) || target >= s2->rec_count ||
		    (r[1] & ~0xff00ffffffull) != 0u) {
			r[0] = PSCI_INVALID_PARAMS;
			return true;
		}
		if (target == rc->index) {
			r[0] = base == PSCI_CPU_ON ? PSCI_ALREADY_ON : 0u;	/* ON */
			return true;
		}
		rr->psci_pending = fid;
		rr->psci_target = target;
		rr->psci_entry = r[2];
		rr->psci_ctx = r[3];
		x->gprs[1] = r[1];
	} else if (base == PSCI_CPU_OFF) {
		rc->runnable = 0;
		r[0] = PSCI_SUCCESS;
	} else {		/* CPU_SUSPEND: a notification, the REC stays runnable */
		r[0] = PSCI_SUCCESS;
	}
	x->reason = EXIT_PSCI;
	x->gprs[0] = fid;
	return false;
}

static bool is_psci(uint64_t fid)
{
	return (fid >= 0x84000000ull && fid <= 0x84000014ull) ||
	       (fid >= 0xC4000000ull && fid <= 0xC4000014ull);
}

/* rsi.md 2: the realm page an RSI call writes is not mapped; the call restarts later. */
static bool s2_fault_exit(struct exit_info *x, uint64_t ipa, int32_t level)
{
	x->reason = EXIT_SYNC;
	x->esr = ((uint64_t)EC_DABT_LOWER << 26) | (0x04u + (uint64_t)level);
	x->hpfar = ipa >> 8;
	return false;
}

/* RSI_REALM_CONFIG: x1 = IPA of the granule to fill (rsi.md 3.7). */
static bool rsi_realm_config(struct rec_run *rr, uint64_t rd, const struct rd_s2 *s2,
			     struct exit_info *x)
{
	uint64_t *r = rr->regs.x, ipa = r[1], pa = 0;
	struct realm_realm_config_req m = { .rd = { .lease = IPC_LEASE_NEW, .pa = rd } };
	int32_t level = 0, st = -1;
	int found;

	if ((ipa & 0xfffu) != 0u || ipa >= par_of(s2)) {
		r[0] = RSI_ERROR_INPUT;
		return true;
	}
	realm_lock(rd);
	found = realm_page(s2, ipa, &pa, &level);
	realm_unlock(rd);
	if (found == 2)
		return s2_fault_exit(x, ipa, level);
	if (found == 1) {
		r[0] = RSI_ERROR_INPUT;
		return true;
	}
	m.dst.lease = IPC_LEASE_NEW;
	m.dst.pa = pa;
	m.ipa = ipa;
	r[0] = realm_realm_config(&m, &st) == IPC_OK ? (uint64_t)(uint32_t)st : RSI_ERROR_UNKNOWN;
	return true;
}

/* RSI_ATTESTATION_TOKEN_INIT: x1..x8 = challenge (rsi.md 3.5). */
static void rsi_token_init(uint64_t *r, uint64_t rd, const struct rec_core *rc)
{
	struct realm_token_init_req m = { .rd = { .lease = IPC_LEASE_NEW, .pa = rd },
					  .tok = { .lease = IPC_LEASE_NEW, .pa = rc->aux[0] } };
	struct realm_token_init_rep a;
	int32_t st = -1;

	memcpy(m.challenge, &r[1], sizeof(m.challenge));
	if (realm_token_init(&m, &a, &st) != IPC_OK || st != (int32_t)RSI_SUCCESS) {
		r[0] = RSI_ERROR_UNKNOWN;
		return;
	}
	r[0] = RSI_SUCCESS;
	r[1] = a.max_size;
}

/*
 * RSI_ATTESTATION_TOKEN_CONTINUE: x1 = IPA of a granule, x2 = offset, x3 =
 * size (rsi.md 3.6). Signs in bounded steps, giving way to interrupts.
 */
static bool rsi_token_continue(struct rec_run *rr, const struct rec_core *rc,
			       const struct rd_s2 *s2, struct exit_info *x)
{
	uint64_t *r = rr->regs.x, ipa = r[1], off = r[2], size = r[3], pa = 0;
	struct realm_token_step_req step = { .tok = { .lease = IPC_LEASE_NEW, .pa = rc->aux[0] } };
	struct realm_token_copy_req cp = { .rd = { .lease = IPC_LEASE_NEW, .pa = rc->owner_rd },
					   .tok = { .lease = IPC_LEASE_NEW, .pa = rc->aux[0] },
					   .ipa = ipa };
	struct realm_token_copy_rep got;
	int32_t level = 0, st = -1;
	int found;

	if ((ipa & 0xfffu) != 0u || off >= GRANULE_SIZE || size > GRANULE_SIZE - off ||
	    ipa >= par_of(s2)) {
		r[0] = RSI_ERROR_INPUT;					/* 1-5 */
		return true;
	}
	for (;;) {
		if (realm_token_step(&step, &st) != IPC_OK) {
			r[0] = RSI_ERROR_UNKNOWN;
			return true;
		}
		if (st == (int32_t)RSI_SUCCESS)
			break;
		if (st != (int32_t)RSI_INCOMPLETE) {
			r[0] = (uint64_t)(uint32_t)st;			/* 6, 7 */
			return true;
		}
		if (read_isr_el1() != 0u || vtimer_out() != rr->timer_out) {
			/* an interrupt is waiting: give way, the realm asks again */
			r[0] = RSI_INCOMPLETE;
			r[1] = 0;
			rr->regs.pc += 4u;
			x->reason = EXIT_IRQ;
			return false;
		}
	}
	realm_lock(rc->owner_rd);
	found = realm_page(s2, ipa, &pa, &level);
	realm_unlock(rc->owner_rd);
	if (found == 2)
		return s2_fault_exit(x, ipa, level);			/* 8 */
	r[1] = 0;
	if (found == 1) {
		r[0] = RSI_ERROR_INPUT;					/* 8 */
		return true;
	}
	if (size == 0u) {
		r[0] = RSI_INCOMPLETE;
		return true;
	}
	cp.dst.lease = IPC_LEASE_NEW;
	cp.dst.pa = pa;
	cp.offset = (uint32_t)off;
	cp.size = (uint32_t)size;
	if (realm_token_copy(&cp, &got, &st) != IPC_OK) {
		r[0] = RSI_ERROR_UNKNOWN;
		return true;
	}
	r[0] = (uint64_t)(uint32_t)st;
	r[1] = st == (int32_t)RSI_SUCCESS || st == (int32_t)RSI_INCOMPLETE ? got.copied : 0u;
	return true;
}

/*
 * Handle an SMC from the realm. Returns true if the realm continues (x0..
 * updated, pc advanced), false if the host must see an exit (*x filled).
 */
static bool realm_smc(struct rec_run *rr, struct rec_core *rc, const struct rd_s2 *s2,
		      struct exit_info *x)
{
	uint64_t *r = rr->regs.x;
	uint64_t fid = r[0] & ~(1ull << 16), rd = rc->owner_rd, base = fid & ~PSCI_SMC64;

	if (is_psci(fid) && (base == PSCI_CPU_ON || base == PSCI_AFFINITY ||
			     fid == PSCI_CPU_OFF || base == PSCI_CPU_SUSPEND)) {
		bool more = realm_psci(rr, rc, s2, fid, x);

		rr->regs.pc += 4u;
		return more;
	}

	switch (fid) {
	case RSI_VERSION:
		r[0] = r[1] == RMI_ABI_VERSION ? RSI_SUCCESS : RSI_ERROR_INPUT;
		r[1] = RMI_ABI_VERSION;
		r[2] = RMI_ABI_VERSION;
		break;
	case RSI_FEATURES:
		r[0] = RSI_SUCCESS;
		r[1] = 0;
		break;
	case RSI_MEAS_READ:
		rsi_measure_read(rd, r);
		break;
	case RSI_MEAS_EXTEND:
		rsi_measure_extend(rd, r);
		break;
	case RSI_IPA_STATE_GET:
		rsi_ipa_state_get(rc->owner_rd, s2, r);
		break;
	case RSI_REALM_CONFIG:
		if (!rsi_realm_config(rr, rd, s2, x))
			return false;		/* stage-2 fault: the call restarts */
		break;
	case RSI_ATTEST_INIT:
		rsi_token_init(r, rd, rc);
		break;
	case RSI_ATTEST_CONTINUE:
		if (!rsi_token_continue(rr, rc, s2, x))
			return false;	/* stage-2 fault (restarts), or IRQ (pc advanced) */
		break;
	case RSI_IPA_STATE_SET: {
		uint64_t par = par_of(s2);

		/* rsi.md 3.8: all failures RSI_ERROR_INPUT, no exit */
		if (r[3] > RIPAS_RAM || (r[1] & 0xfffu) != 0u || (r[2] & 0xfffu) != 0u ||
		    r[2] <= r[1] || r[2] > par) {
			r[0] = RSI_ERROR_INPUT;
			break;
		}
		rr->ripas_addr = r[1];
		rr->ripas_top = r[2];
		rr->ripas_value = r[3];
		rr->ripas_change_destroyed = r[4] == 1u ? 1u : 0u;
		x->reason = EXIT_RIPAS_CHANGE;
		x->ripas_base = r[1];
		x->ripas_top = r[2];
		x->ripas_value = r[3];
		rr->regs.pc += 4u;
		return false;
	}
	case RSI_HOST_CALL: {
		uint64_t ipa = r[1], pa = 0;
		struct rsi_host_call call;
		int32_t level = 0;
		int found;

		if ((ipa & 0xffu) != 0u || (ipa >> (s2->s2sz - 1u)) != 0u) {
			r[0] = RSI_ERROR_INPUT;
			break;
		}
		realm_lock(rc->owner_rd);	/* the page stays the realm's while read */
		found = realm_page(s2, ipa, &pa, &level);
		if (found == 0)
			gmem_read(pa, ipa & 0xfffu, &call, sizeof(call));
		realm_unlock(rc->owner_rd);
		if (found == 1) {
			r[0] = RSI_ERROR_INPUT;
			break;
		}
		if (found == 2)
			return s2_fault_exit(x, ipa, level);
		x->reason = EXIT_HOST_CALL;
		x->imm = call.imm;
		memcpy(x->gprs, call.gprs, sizeof(x->gprs));
		rr->host_call_pending = 1;
		rr->host_call_ipa = ipa;
		rr->regs.pc += 4u;
		return false;
	}
	case SMCCC_VERSION:
		r[0] = 0x10002u;
		break;
	case PSCI_VERSION:
		r[0] = 0x10001u;
		break;
	case PSCI_FEATURES:
		r[0] = r[1] == PSCI_SYSTEM_OFF || r[1] == PSCI_SYSTEM_RESET ||
		       r[1] == PSCI_FEATURES || r[1] == SMCCC_VERSION || r[1] == PSCI_CPU_OFF ||
		       (r[1] & ~PSCI_SMC64) == PSCI_CPU_ON || (r[1] & ~PSCI_SMC64) == PSCI_AFFINITY ||
		       (r[1] & ~PSCI_SMC64) == PSCI_CPU_SUSPEND ? 0u : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET: {
		uint32_t off = REALM_SYSTEM_OFF;

		/* the realm's lifecycle word of the shared RD format (ipc/realm_objects.h) */
		gmem_write(rd, offsetof(struct rd_s2, state), &off, sizeof(off));
		x->reason = EXIT_PSCI;
		x->gprs[0] = fid;
		rr->regs.pc += 4u;
		return false;
	}
	default:
		r[0] = is_psci(fid) ? PSCI_NOT_SUPPORTED : SMC_UNKNOWN;
		break;
	}
	rr->regs.pc += 4u;
	return true;
}

/* ---- exceptions injected into the realm ---- */

#define EC_HVC64	0x16u
#define ESR_IL		(1ull << 25)
#define DFSC_SEA	0x10u
#define SPSR_M_MASK	0xfu
#define SPSR_EL1H	0x5u

/*
 * Take a synchronous exception to the realm's EL1 vectors: the realm's EL1
 * registers are live while it runs, so write them directly.
 */
static void inject_sync(struct rec_run *rr, uint64_t esr, uint64_t far)
{
	bool from_el1 = (rr->regs.pstate & SPSR_M_MASK) == SPSR_EL1H;

	write_elr_el12(rr->regs.pc);
	write_spsr_el12(rr->regs.pstate);
	write_esr_el12(esr);
	write_far_el12(far);
	rr->regs.pc = read_vbar_el12() + (from_el1 ? 0x200u : 0x400u);
	rr->regs.pstate = PSTATE_EL1H_MASKED;
}

/*
 * A synchronous external abort on the realm's faulting access, as a data
 * (EC_DABT_LOWER) or instruction (EC_IABT_LOWER) abort; the class is the
 * "same EL" one (EC + 1) when the realm was at EL1.
 */
static void inject_sea(struct rec_run *rr, uint64_t ec_lower)
{
	uint64_t ec = (rr->regs.pstate & SPSR_M_MASK) == SPSR_EL1H ? ec_lower + 1u : ec_lower;

	inject_sync(rr, (ec << 26) | ESR_IL | DFSC_SEA, rr->regs.far);
}

/* ---- ID registers (rsi.md 5): what the realm may see of the CPU ---- */

#define EC_SYSREG	0x18u
#define FIELD(shift)	(0xfull << (shift))
#define ID_ENC(crm, op2) ((crm) * 8u + (op2))

/*
 * The value of the AArch64 ID register (op0 3, op1 0, CRn 0, CRm, op2) the
 * realm reads: the CPU's, without what the realm does not get (SME always;
 * SVE and the PMU unless the realm was created with them); unallocated and
 * AArch32 encodings read as 0.
 */
static uint64_t id_reg(unsigned int crm, unsigned int op2, const struct rd_s2 *s2)
{
	switch (ID_ENC(crm, op2)) {
	case ID_ENC(4u, 0u):
		return read_id_aa64pfr0_el1() & (s2->sve != 0u ? ~0ull : ~FIELD(32));	/* SVE */
	case ID_ENC(4u, 1u):
		return read_id_aa64pfr1_el1() & ~FIELD(24);		/* SME */
	case ID_ENC(4u, 4u):
		return s2->sve != 0u ? read_id_aa64zfr0_el1() : 0u;
	case ID_ENC(5u, 0u):
		return read_id_aa64dfr0_el1() & (s2->pmu_ctrs != 0u ? ~0ull : ~FIELD(8));	/* PMUVer */
	case ID_ENC(5u, 1u):
		return read_id_aa64dfr1_el1();
	case ID_ENC(5u, 4u):
		return read_id_aa64afr0_el1();
	case ID_ENC(5u, 5u):
		return read_id_aa64afr1_el1();
	case ID_ENC(6u, 0u):
		return read_id_aa64isar0_el1();
	case ID_ENC(6u, 1u):
		return read_id_aa64isar1_el1();
	case ID_ENC(6u, 2u):
		return read_id_aa64isar2_el1();
	case ID_ENC(7u, 0u):
		return read_id_aa64mmfr0_el1();
	case ID_ENC(7u, 1u):
		return read_id_aa64mmfr1_el1();
	case ID_ENC(7u, 2u):
		return read_id_aa64mmfr2_el1();
	case ID_ENC(7u, 3u):
		return read_id_aa64mmfr3_el1();
	case ID_ENC(7u, 4u):
		return read_id_aa64mmfr4_el1();
	default:
		return 0;	/* SMFR0 (no SME), AArch32 and unallocated */
	}
}

/* ISS of a trapped MSR/MRS (EC 0x18) without Rt and direction: op0 op2 op1 CRn CRm. */
#define SYSREG_ISS_MASK		0x3ffc1eu
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))

/* GIC registers whose writes the host must carry out: SGIs and deactivation. */
static bool sysreg_for_host(uint64_t iss)
{
	switch (iss & SYSREG_ISS_MASK) {
	case SYSREG_ISS(3u, 0u, 12u, 11u, 5u):	/* ICC_SGI1R_EL1 */
	case SYSREG_ISS(3u, 1u, 12u, 11u, 6u):	/* ICC_ASGI1R_EL1 */
	case SYSREG_ISS(3u, 2u, 12u, 11u, 7u):	/* ICC_SGI0R_EL1 */
	case SYSREG_ISS(3u, 0u, 12u, 11u, 1u):	/* ICC_DIR_EL1 (trapped with TDIR) */
		return (iss & 1u) == 0u;
	default:
		return false;
	}
}

/*
 * A trapped MRS/MSR: ID space reads are emulated, GIC SGI/DIR writes exit
 * to the host (true), everything else reads 0 and ignores writes.
 */
static bool realm_sysreg(struct rec_run *rr, const struct rd_s2 *s2, struct exit_info *x)
{
	uint64_t iss = rr->regs.esr & 0x1ffffffu;
	unsigned int rt = (unsigned int)(iss >> 5) & 31u;
	bool read = (iss & 1u) != 0u;
	bool id_space = ((iss >> 20) & 3u) == 3u && ((iss >> 14) & 7u) == 0u &&
			((iss >> 10) & 15u) == 0u;

	rr->regs.pc += 4u;
	if (sysreg_for_host(iss)) {
		x->reason = EXIT_SYNC;
		x->esr = rr->regs.esr;
		x->gprs[0] = rt == 31u ? 0u : rr->regs.x[rt];
		return true;
	}
	if (read && rt != 31u)
		rr->regs.x[rt] = id_space ? id_reg((unsigned int)(iss >> 1) & 15u,
						   (unsigned int)(iss >> 17) & 7u, s2) : 0u;
	return false;
}

/* A trapped WFI/WFE (the host asked for it): the host sees EC and TI[0]. */
static void realm_wfx(struct rec_run *rr, struct exit_info *x)
{
	x->reason = EXIT_SYNC;
	x->esr = (rr->regs.esr & (0x3full << 26)) | (rr->regs.esr & 1u);
	rr->regs.pc += 4u;
}

/* ---- data aborts (rsi.md 5, structures.md 6.2) ---- */

#define ESR_ISV		(1ull << 24)
#define ESR_SAS(e)	(((e) >> 22) & 3u)
#define ESR_SSE		(1ull << 21)
#define ESR_SRT(e)	(((e) >> 16) & 31u)
#define ESR_SF		(1ull << 15)
#define ESR_WNR		(1ull << 6)
/* What the host may see of an emulatable abort: EC ISV SAS SF SET FnV EA WnR DFSC. */
#define ESR_MMIO_MASK	((0x3full << 26) | ESR_ISV | (3ull << 22) | ESR_SF | (3ull << 11) | \
			 (1ull << 10) | (1ull << 9) | ESR_WNR | 0x3full)
/* ... and of any other abort: EC SET FnV EA DFSC. */
#define ESR_ABORT_MASK	((0x3full << 26) | (3ull << 11) | (1ull << 10) | (1ull << 9) | 0x3full)

static uint64_t access_mask(uint64_t esr)
{
	unsigned int bits = 8u << ESR_SAS(esr);

	return bits == 64u ? ~0ull : (1ull << bits) - 1u;
}

/*
 * A data abort from the realm. Returns true if it was handled inside the RMM
 * (an SEA injected for RIPAS EMPTY), false for an exit to the host.
 */
static bool realm_dabt(uint64_t rd, struct rec_run *rr, const struct rd_s2 *s2,
		       struct exit_info *x)
{
	uint64_t esr = rr->regs.esr;
	uint64_t ipa = ((rr->regs.hpfar >> 4) << 12) | (rr->regs.far & 0xfffu);
	struct kapi_rtte e;
	bool empty = false;

	if ((ipa >> (s2->s2sz - 1u)) == 0u) {	/* protected, so inside the IPA space */
		realm_lock(rd);
		empty = s2_translate(s2, ipa, &e) && e.ns == 0u && e.state != RTTE_TABLE &&
			e.ripas == RIPAS_EMPTY;
		realm_unlock(rd);
	}
	if ((ipa >> s2->s2sz) != 0u || empty) {
		/* outside the IPA space, or protected memory the realm gave up: an SEA */
		inject_sea(rr, EC_DABT_LOWER);
		return true;
	}

	x->reason = EXIT_SYNC;
	x->hpfar = rr->regs.hpfar;
	if ((ipa >> (s2->s2sz - 1u)) != 0u) {
		/* unprotected IPA: the host may emulate it (MMIO) */
		x->esr = esr & ESR_MMIO_MASK;
		x->far = rr->regs.far & 0xfffu;
		if ((esr & ESR_ISV) != 0u && (esr & ESR_WNR) != 0u && ESR_SRT(esr) != 31u)
			x->gprs[0] = rr->regs.x[ESR_SRT(esr)] & access_mask(esr);
	} else {
		/* protected RAM without data, or DESTROYED: the host must act */
		x->esr = esr & ESR_ABORT_MASK;
	}
	return false;
}

#define FSC_TRANSLATION(fsc) ((fsc) >= 0x04u && (fsc) <= 0x07u)

/*
 * An instruction abort taken to EL2 (rsi.md 5). Returns true if handled in
 * the RMM (an SEA injected), false for an exit to the host.
 */
static bool realm_iabt(uint64_t rd, struct rec_run *rr, const struct rd_s2 *s2,
		       struct exit_info *x)
{
	uint64_t esr = rr->regs.esr;
	uint64_t ipa = ((rr->regs.hpfar >> 4) << 12) | (rr->regs.far & 0xfffu);
	bool protected_ipa = (ipa >> (s2->s2sz - 1u)) == 0u;
	struct kapi_rtte e;
	bool mapped = false;

	if (protected_ipa) {
		realm_lock(rd);
		mapped = s2_translate(s2, ipa, &e) && e.state != RTTE_TABLE;
		realm_unlock(rd);
	}

	if (!protected_ipa || (mapped && e.ripas == RIPAS_EMPTY)) {
		/* unprotected or outside the IPA space, or EMPTY: never executable */
		inject_sea(rr, EC_IABT_LOWER);
		return true;
	}
	x->reason = EXIT_SYNC;
	if (FSC_TRANSLATION(esr & 0x3fu)) {
		/* RAM without data, or DESTROYED: the host must act */
		x->esr = esr & ESR_ABORT_MASK;
		x->hpfar = rr->regs.hpfar;
	}
	return false;
}

/*
 * rmi.md 12 a/b: the host answered an unprotected data abort, either with
 * an SEA for the realm or with the value of an emulated MMIO access.
 */
static void complete_mmio(struct rec_run *rr, uint64_t flags, const struct rmi_rec_enter *enter)
{
	uint64_t esr = rr->last_exit_esr;

	if ((flags & ENTER_INJECT_SEA) != 0u) {
		rr->sea_pending = 1;	/* once the realm's EL1 registers are loaded */
		rr->last_exit_esr = 0;
		return;
	}
	if ((flags & ENTER_EMUL_MMIO) == 0u)
		return;
	if ((esr & ESR_WNR) == 0u && ESR_SRT(esr) != 31u) {
		uint64_t v = enter->gprs[0] & access_mask(esr);

		if ((esr & ESR_SSE) != 0u && ESR_SAS(esr) < 3u &&
		    (v >> ((8u << ESR_SAS(esr)) - 1u)) != 0u)
			v |= ~access_mask(esr);	/* sign-extend */
		if ((esr & ESR_SF) == 0u)
			v &= 0xffffffffu;
		rr->regs.x[ESR_SRT(esr)] = v;
	}
	rr->regs.pc += 4u;
	rr->last_exit_esr = 0;
}

/* ---- the REC registry (kernel/rec.h) ---- */

/* The registry's word and bit for pa; NULL if pa is not a DRAM granule. */
static uint64_t *rec_bit(uint64_t pa, uint64_t *bit)
{
	uint64_t i;

	if (!dram_granule_index(pa, &i) || i / 64u >= config()->rec_bits_words)
		return NULL;
	*bit = 1ull << (i % 64u);
	return &config()->rec_bits[i / 64u];
}

bool rec_known(uint64_t pa)
{
	uint64_t bit;
	uint64_t *w = rec_bit(pa, &bit);

	return w != NULL && (__atomic_load_n(w, __ATOMIC_ACQUIRE) & bit) != 0u;
}

void rec_mark(uint64_t pa, bool is_rec)
{
	uint64_t bit;
	uint64_t *w = rec_bit(pa, &bit);

	if (w == NULL)
		return;
	if (is_rec)
		__atomic_fetch_or(w, bit, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(w, ~bit, __ATOMIC_RELEASE);
}

/* ---- RMI_REC_ENTER ---- */

static bool granule_is(uint64_t pa, uint32_t state)
{
	struct granule_state_req q = { .pa = pa };
	struct granule_state_rep a;
	int32_t st;

	return dram_granule_valid(pa) && granule_state(&q, &a, &st) == IPC_OK && st == 0 &&
	       a.state == state;
}

/* Checks 9-11 of rmi.md 12 on the host's enter data. */
static bool enter_ok(const struct rmi_rec_enter *enter, const struct rec_run *rr,
		     const struct rd_s2 *s2)
{
	uint64_t flags = enter->flags;
	uint64_t last_ec = ESR_EC(rr->last_exit_esr);

	if (!vgic_enter_valid(enter->gicv3_hcr, enter->gicv3_lrs))
		return false;						/* 9 */
	if ((flags & ENTER_INJECT_SEA) != 0u &&
	    (last_ec != EC_DABT_LOWER || (rr->regs.hpfar >> 4) < (par_of(s2) >> 12)))
		return false;					/* 10: only unprotected IPAs */
	if ((flags & ENTER_INJECT_SEA) == 0u && (flags & ENTER_EMUL_MMIO) != 0u &&
	    (last_ec != EC_DABT_LOWER || ((rr->last_exit_esr >> 24) & 1u) == 0u))
		return false;
	return true;
}

/* rmi.md 12 c: report the outcome of a RIPAS change request. */
static void complete_ripas(struct rec_run *rr, uint64_t flags)
{
	if (rr->ripas_top == 0u)
		return;
	rr->regs.x[0] = RSI_SUCCESS;
	rr->regs.x[1] = rr->ripas_addr;
	rr->regs.x[2] = rr->ripas_value == RIPAS_RAM && rr->ripas_addr != rr->ripas_top &&
			(flags & ENTER_RIPAS_REJECT) != 0u ? RSI_REJECT : RSI_ACCEPT;
	rr->ripas_addr = 0;
	rr->ripas_top = 0;
}

/* rmi.md 12 e: hand the host's results back to a pending RSI_HOST_CALL. */
static void complete_host_call(uint64_t rd, struct rec_run *rr, const struct rd_s2 *s2,
			       const struct rmi_rec_enter *enter)
{
	uint64_t pa = 0;
	int32_t level = 0;

	_Static_assert(SPEC_SIZEOF(struct rsi_host_call, gprs) == sizeof(enter->gprs),
		       "RsiHostCall.gprs and RmiRecEnter.gprs");
	if (rr->host_call_pending == 0u)
		return;
	realm_lock(rd);		/* the page stays the realm's while written */
	if (realm_page(s2, rr->host_call_ipa, &pa, &level) == 0) {
		gmem_write(pa, (rr->host_call_ipa & 0xfffu) + offsetof(struct rsi_host_call, gprs),
			   enter->gprs, sizeof(enter->gprs));
		rr->regs.x[0] = RSI_SUCCESS;
	}
	realm_unlock(rd);
	rr->host_call_pending = 0;
}

static void rec_start(uint64_t rec, struct rec_run *rr, const struct rec_core *rc)
{
	memset(rr, 0, sizeof(*rr));
	gmem_zero(rec, REC_FP_OFF, GMEM_FP_BYTES);	/* FP/SIMD registers start at zero */
	memcpy(rr->regs.x, rc->gprs, sizeof(rr->regs.x));
	rr->regs.pc = rc->pc;
	rr->regs.pstate = PSTATE_EL1H_MASKED;
	rr->el1.sctlr = SCTLR_EL1_RESET;
	rr->started = 1;
}

/*
 * FP/SIMD and SVE, switched lazily on the realm's first use in an entry.
 * Where the CPU has SVE the host's whole register file is kept (at the
 * maximum vector length, in the REC's aux granules, whatever the SMCCC SVE
 * hint says): a realm's FP use would otherwise zero the upper bits of the
 * host's Z registers. An SVE realm runs at its own vector length (ZCR_EL2).
 */
struct fp_switch {
	struct fp_regs ns_fp;
	uint64_t ns_zcr_el2, ns_zcr_el1;
	uint64_t rec;		/* the REC granule (REC_FP_OFF) */
	bool loaded;
};

static unsigned int sve_max_len(void)
{
	return (unsigned int)(config()->sve_vl_bytes / 16u) - 1u;
}

static void fp_in(struct rec_run *rr, const struct rec_core *rc, const struct rd_s2 *s2,
		  struct fp_switch *f)
{
	bool cpu_sve = config()->sve_vl_bytes != 0u;

	write_cptr_el2(CPTR_FPEN | (cpu_sve ? CPTR_ZEN : 0u));
	isb();
	if (cpu_sve) {
		/* the Z registers hold the V registers: only FPSR/FPCR besides */
		f->ns_fp.fpsr = read_fpsr();
		f->ns_fp.fpcr = read_fpcr();
		f->ns_zcr_el2 = read_zcr_el2();
		vsve_save(&rc->aux[AUX_SVE_NS], sve_max_len());
	} else {
		arch_fp_save(&f->ns_fp);
	}
	if (s2->sve != 0u) {
		if (rr->sve_saved == 0u) {
			/* a fresh REC: zero registers, the full vector length */
			for (unsigned int i = 0; i < 3u; i++)
				gmem_zero(rc->aux[AUX_SVE_REALM + i], 0, GRANULE_SIZE);
			rr->zcr_el1 = s2->sve_len;
			rr->sve_saved = 1;
		}
		f->ns_zcr_el1 = read_zcr_el12();
		write_zcr_el12(rr->zcr_el1);
		vsve_load(&rc->aux[AUX_SVE_REALM], s2->sve_len);
		write_fpsr(rr->fpsr);
		write_fpcr(rr->fpcr);
	} else {
		if (cpu_sve) {
			write_zcr_el2(sve_max_len());	/* the V writes below clear every Z bit above 128 */
			isb();
		}
		gmem_fp_load(f->rec, REC_FP_OFF);
	}
	f->loaded = true;
}

static void fp_out(struct rec_run *rr, const struct rec_core *rc, const struct rd_s2 *s2,
		   struct fp_switch *f)
{
	bool cpu_sve = config()->sve_vl_bytes != 0u;

	if (s2->sve != 0u) {
		vsve_save(&rc->aux[AUX_SVE_REALM], s2->sve_len);
		rr->fpsr = read_fpsr();
		rr->fpcr = read_fpcr();
		rr->zcr_el1 = read_zcr_el12();
		write_zcr_el12(f->ns_zcr_el1);
	} else {
		gmem_fp_save(f->rec, REC_FP_OFF);
	}
	if (cpu_sve) {
		vsve_load(&rc->aux[AUX_SVE_NS], sve_max_len());
		write_fpsr(f->ns_fp.fpsr);
		write_fpcr(f->ns_fp.fpcr);
		write_zcr_el2(f->ns_zcr_el2);
	} else {
		arch_fp_load(&f->ns_fp);
	}
	write_cptr_el2(0);	/* the RMM itself never uses FP */
	isb();
}

/* Run the realm until an exit the host must see. */
static void run(uint64_t rec, struct rec_run *rr, struct rec_core *rc, const struct rd_s2 *s2,
		uint64_t flags, struct exit_info *x)
{
	struct el1_regs ns;
	struct vgic_state ns_gic;
	struct vtimer_state ns_timer;
	struct vpmu_state ns_pmu, pmu;
	struct fp_switch fp;	/* filled by fp_in() when the realm uses FP */
	uint64_t hcr = HCR_REALM | HCR_TID3 | ((flags & ENTER_TRAP_WFI) != 0u ? HCR_TWI : 0u) |
		       ((flags & ENTER_TRAP_WFE) != 0u ? HCR_TWE : 0u);
	bool more = true;

	fp.loaded = false;
	fp.rec = rec;
	el1_save(&ns);
	el1_load(&rr->el1);
	write_vmpidr_el2(vmpidr_of(rc->mpidr));
	vgic_enter(&rr->gic, &ns_gic);
	vtimer_enter(&rr->timer, &ns_timer);
	if (s2->pmu_ctrs != 0u) {
		gmem_read(rc->aux[AUX_PMU], 0, &pmu, sizeof(pmu));
		vpmu_enter(&pmu, &ns_pmu, s2->pmu_ctrs);
	}
	if (rr->sea_pending != 0u) {
		inject_sea(rr, EC_DABT_LOWER);
		rr->sea_pending = 0;
	}
	crit_write_vtcr_el2(vtcr_of(s2));
	crit_write_vttbr_el2(s2->rtt_base | ((uint64_t)s2->vmid << 48));
	crit_write_hcr_el2(hcr);
	isb();
	ic_iallu();
	dsb_ish();
	isb();
	while (more) {
		uint64_t kind = arch_realm_run(&rr->regs);

		memset(x, 0, sizeof(*x));
		if (kind == EXC_LOWER_SYNC && !fp.loaded &&
		    (ESR_EC(rr->regs.esr) == EC_FP ||
		     (ESR_EC(rr->regs.esr) == EC_SVE && s2->sve != 0u))) {
			/* first FP/SVE use of this entry: the trapped instruction runs again */
			fp_in(rr, rc, s2, &fp);
		} else if (kind == EXC_LOWER_SYNC &&
			   (ESR_EC(rr->regs.esr) == EC_SVE || ESR_EC(rr->regs.esr) == EC_SME ||
			    ESR_EC(rr->regs.esr) == EC_HVC64)) {
			/*
			 * UNDEFINED (EC 0): SVE in a realm created without it and
			 * SME (rsi.md 5); HVC, which is no service call for realms
			 * (rsi.md 1).
			 */
			inject_sync(rr, ESR_IL, 0);
		} else if (kind == EXC_LOWER_SYNC && ESR_EC(rr->regs.esr) == EC_SMC64) {
			more = realm_smc(rr, rc, s2, x);
		} else if (kind == EXC_LOWER_SYNC && ESR_EC(rr->regs.esr) == EC_DABT_LOWER) {
			more = realm_dabt(rc->owner_rd, rr, s2, x);
		} else if (kind == EXC_LOWER_SYNC && ESR_EC(rr->regs.esr) == EC_SYSREG) {
			more = !realm_sysreg(rr, s2, x);
		} else if (kind == EXC_LOWER_SYNC && ESR_EC(rr->regs.esr) == EC_WFX) {
			realm_wfx(rr, x);
			more = false;
		} else if (kind == EXC_LOWER_SYNC && ESR_EC(rr->regs.esr) == EC_IABT_LOWER) {
			more = realm_iabt(rc->owner_rd, rr, s2, x);
		} else {
			x->reason = kind == EXC_LOWER_IRQ ? EXIT_IRQ :
				    kind == EXC_LOWER_FIQ ? EXIT_FIQ :
				    kind == EXC_LOWER_SYNC ? EXIT_SYNC : EXIT_SERROR;
			/*
			 * an unhandled synchronous exception shows its class only;
			 * an SError its IDS, AET, EA and DFSC (structures.md 6)
			 */
			x->esr = kind == EXC_LOWER_SYNC ? rr->regs.esr & (0x3full << 26) :
				 x->reason == EXIT_SERROR ? rr->regs.esr & ESR_SERROR_MASK : 0u;
			more = false;
		}
		if (more && vtimer_out() != rr->timer_out) {
			/* a timer output changed: the host injects or retires it (rsi.md 5) */
			memset(x, 0, sizeof(*x));
			x->reason = EXIT_IRQ;
			more = false;
		}
	}
	/* keep the full syndrome of a data abort: SRT/SSE are needed to complete it */
	rr->last_exit_esr = x->reason == EXIT_SYNC && ESR_EC(x->esr) == EC_DABT_LOWER ?
			    rr->regs.esr : x->esr;
	if (fp.loaded)
		fp_out(rr, rc, s2, &fp);
	if (s2->pmu_ctrs != 0u) {
		vpmu_exit(&pmu, &ns_pmu, s2->pmu_ctrs);
		gmem_write(rc->aux[AUX_PMU], 0, &pmu, sizeof(pmu));
		x->pmu_ovf = vpmu_irq_pending(&pmu) ? 1u : 0u;
	}
	rr->timer_out = vtimer_out();
	vtimer_exit(&rr->timer, &ns_timer);
	vgic_exit(&rr->gic, &ns_gic);
	crit_write_hcr_el2(HCR_RMM);
	isb();
	el1_save(&rr->el1);
	el1_load(&ns);
	isb();
}

/*
 * REC_ENTER up to the realm: checks 1-11 in the spec's order and what the
 * previous exit left pending. Its own frame (the 2 KB enter half) is gone
 * before the realm runs, so the deepest path (a token signed inside run())
 * does not carry it. On success the REC is claimed and *flags are the
 * enter flags.
 */
static __attribute__((noinline)) uint64_t rec_enter_begin(uint64_t rec, uint64_t run_pa,
							  struct rec_core *rc, struct rec_run *rr,
							  struct rd_s2 *s2, uint64_t *flags)
{
	struct rmi_rec_enter enter;
	uint64_t st = RMI_SUCCESS;

	/*
	 * 1 and 4 at once: the run page is read through the NS-PAS slot, which
	 * faults (GPT) unless the granule is UNDELEGATED, so a successful copy
	 * is the state check, without asking the granule service. Both give
	 * RMI_ERROR_INPUT, and nothing between them can fail otherwise.
	 */
	if (!ns_read(run_pa, offsetof(struct rmi_rec_run, enter), &enter, sizeof(enter)))
		return RMI_ERROR_INPUT;					/* 1, 4 */
	/*
	 * 2, 3: claimed first, then asked about: a REC claimed stays a REC and
	 * complete (kernel/rec.h). A claim refused means someone holds the
	 * granule: running it (RMI_ERROR_REC), or creating, destroying or
	 * probing it, in which case its state decides.
	 */
	if (!rec_claim(rec, REC_CLAIM_RUN))
		return rec_known(rec) ? RMI_ERROR_REC				/* 3 */
				      : RMI_ERROR_INPUT;			/* 2 */
	if (!rec_known(rec)) {
		rec_release(rec, REC_CLAIM_RUN);
		return RMI_ERROR_INPUT;					/* 2 */
	}
	gmem_read(rec, 0, rc, sizeof(*rc));
	gmem_read(rc->owner_rd, 0, s2, sizeof(*s2));
	gmem_read(rec, REC_RUN_OFF, rr, sizeof(*rr));
	if (rr->started == 0u)
		rec_start(rec, rr, rc);
	if (s2->state == REALM_NEW)
		st = RMI_ERROR_REALM;					/* 5 */
	else if (s2->state == REALM_SYSTEM_OFF)
		st = RMI_ERROR_REALM | (1u << 8);			/* 6 */
	else if (rc->runnable == 0u || rr->psci_pending != 0u || !enter_ok(&enter, rr, s2) ||
		 s2->start_level < 0)
		st = RMI_ERROR_REC;					/* 7, 8, 9-11 */
	if (st != RMI_SUCCESS) {
		rec_release(rec, REC_CLAIM_RUN);
		return st;
	}

	rr->gic.hcr = enter.gicv3_hcr;
	memset(rr->gic.lrs, 0, sizeof(rr->gic.lrs));
	memcpy(rr->gic.lrs, enter.gicv3_lrs, sizeof(uint64_t) * vgic_num_lrs());
	complete_mmio(rr, enter.flags, &enter);
	complete_ripas(rr, enter.flags);
	complete_host_call(rc->owner_rd, rr, s2, &enter);
	*flags = enter.flags;
	return RMI_SUCCESS;
}

void rmi_rec_enter(const struct rmi_req *req, struct rmi_reply *rep)
{
	uint64_t rec = req->arg[0], run_pa = req->arg[1], flags = 0;
	struct rec_core rc;
	struct rec_run rr;
	struct rd_s2 s2;
	struct exit_info x;

	rep->status = rec_enter_begin(rec, run_pa, &rc, &rr, &s2, &flags);
	if (rep->status != RMI_SUCCESS)
		return;
	rc.running = 1;
	gmem_write(rec, 0, &rc, sizeof(rc));
	run(rec, &rr, &rc, &s2, flags, &x);
	gmem_write(rec, REC_RUN_OFF, &rr, sizeof(rr));
	rc.running = 0;
	gmem_write(rec, 0, &rc, sizeof(rc));
	rec_release(rec, REC_CLAIM_RUN);
	if (!write_exit(run_pa, &x, &rr))
		rep->status = RMI_ERROR_INPUT;	/* the REC has advanced anyway (rmi.md 12) */
}

/* ---- RMI_PSCI_COMPLETE (rmi.md 13) ---- */

void rmi_psci_complete(const struct rmi_req *req, struct rmi_reply *rep)
{
	uint64_t caller = req->arg[0], target = req->arg[1], status = req->arg[2];
	struct rec_core crc, trc;
	struct rec_run crr, trr;
	uint64_t base, result;
	bool target_on, held;

	rep->status = RMI_ERROR_INPUT;
	if ((caller & 0xfffu) != 0u || (target & 0xfffu) != 0u)
		return;							/* 1, 2 */
	if (caller == target)
		return;							/* 3 */
	/*
	 * Claims before states (kernel/rec.h): the caller to change its run
	 * state, the target to read it. 3 and 4 share RMI_ERROR_INPUT, so a
	 * refused claim (running, or being created or destroyed) is either.
	 */
	if (!rec_claim(caller, REC_CLAIM_RUN))
		return;							/* 3, 4 */
	if (!rec_claim(target, REC_CLAIM_READ)) {
		rec_release(caller, REC_CLAIM_RUN);
		return;							/* 3 */
	}
	if (!rec_known(caller) || !rec_known(target)) {
		rec_release(target, REC_CLAIM_READ);
		rec_release(caller, REC_CLAIM_RUN);
		return;							/* 3 */
	}
	gmem_read(caller, 0, &crc, sizeof(crc));
	gmem_read(caller, REC_RUN_OFF, &crr, sizeof(crr));
	gmem_read(target, 0, &trc, sizeof(trc));
	base = crr.psci_pending & ~PSCI_SMC64;
	if (crr.psci_pending == 0u || trc.owner_rd != crc.owner_rd ||	/* 5, 6 */
	    trc.index != crr.psci_target ||				/* 7 */
	    (base == PSCI_CPU_ON && status != PSCI_SUCCESS && status != PSCI_DENIED) ||
	    (base == PSCI_AFFINITY && status != PSCI_SUCCESS)) {	/* 8 */
		rec_release(target, REC_CLAIM_READ);
		rec_release(caller, REC_CLAIM_RUN);
		return;
	}
	gmem_read(target, REC_RUN_OFF, &trr, sizeof(trr));
	/* a target some CPU is running is on; otherwise hold it while it is reset */
	held = rec_claim(target, REC_CLAIM_RUN);
	target_on = !held || trc.runnable != 0u || trc.running != 0u;
	rep->status = RMI_SUCCESS;
	if (base == PSCI_AFFINITY) {
		result = target_on ? 0u : 1u;
	} else if (target_on) {
		result = PSCI_ALREADY_ON;
		if (status == PSCI_DENIED)
			rep->status = RMI_ERROR_INPUT;			/* 9 */
	} else if (status == PSCI_DENIED) {
		result = PSCI_DENIED;
	} else {
		/* reset the target at the entry point, EE from the caller (rmi.md 13) */
		memset(&trr, 0, sizeof(trr));
		gmem_zero(target, REC_FP_OFF, GMEM_FP_BYTES);
		trr.regs.x[0] = crr.psci_ctx;
		trr.regs.pc = crr.psci_entry;
		trr.regs.pstate = PSTATE_EL1H_MASKED;
		trr.el1.sctlr = SCTLR_EL1_RESET | (crr.el1.sctlr & (1ull << 25));
		trr.started = 1;
		trc.runnable = 1;
		gmem_write(target, REC_RUN_OFF, &trr, sizeof(trr));
		gmem_zero(trc.aux[AUX_PMU], 0, sizeof(struct vpmu_state));
		gmem_write(target, 0, &trc, sizeof(trc));
		result = PSCI_SUCCESS;
	}
	crr.regs.x[0] = result;
	crr.regs.x[1] = 0;
	crr.regs.x[2] = 0;
	crr.regs.x[3] = 0;
	crr.psci_pending = 0;
	gmem_write(caller, REC_RUN_OFF, &crr, sizeof(crr));
	if (held)
		rec_release(target, REC_CLAIM_RUN);
	rec_release(target, REC_CLAIM_READ);
	rec_release(caller, REC_CLAIM_RUN);
}

/* ---- RMI_RTT_SET_RIPAS (rmi.md 21, states.md 5.2) ---- */

/* The entry after a RIPAS change to `value`, or false to STOP. */
static bool ripas_change(const struct kapi_rtte *e, uint64_t value, bool change_destroyed,
			 struct kapi_rtte *n)
{
	if (e->state == RTTE_TABLE || e->ns != 0u)
		return false;
	if (e->ripas == RIPAS_DESTROYED && !change_destroyed)
		return false;
	*n = *e;
	n->ripas = (uint32_t)value;
	return true;
}

void rmi_rtt_set_ripas(const struct rmi_req *req, struct rmi_reply *rep)
{
	uint64_t rd = req->arg[0], rec = req->arg[1], base = req->arg[2], top = req->arg[3];
	uint64_t ipa, size, rtt_end;
	struct rec_core rc;
	struct rec_run rr;
	struct rd_s2 s2;
	struct kapi_rtte e;

	rep->status = RMI_ERROR_INPUT;
	if (top <= base)
		return;							/* 1 */
	if (rd == rec)
		return;							/* 2 */
	/* the REC claimed before its state is asked (kernel/rec.h), as in REC_ENTER */
	if (!rec_claim(rec, REC_CLAIM_RUN)) {
		if (granule_is(rd, GRANULE_GSTATE_RD) && rec_known(rec))
			rep->status = RMI_ERROR_REC;			/* 3 */
		return;							/* 2 */
	}
	if (!granule_is(rd, GRANULE_GSTATE_RD) || !rec_known(rec)) {
		rec_release(rec, REC_CLAIM_RUN);
		return;							/* 2 */
	}
	gmem_read(rec, 0, &rc, sizeof(rc));
	gmem_read(rec, REC_RUN_OFF, &rr, sizeof(rr));
	/* rd is read only as the REC's owner: a realm with a claimed REC cannot go away */
	if (rc.owner_rd != rd) {
		rec_release(rec, REC_CLAIM_RUN);
		rep->status = RMI_ERROR_REC;				/* 4 */
		return;
	}
	gmem_read(rd, 0, &s2, sizeof(s2));
	realm_lock(rd);		/* no table unlinked, no entry changed under the walk */
	if (rr.ripas_top == 0u || base != rr.ripas_addr || top > rr.ripas_top ||
	    !s2_translate(&s2, base, &e)) {
		rep->status = RMI_ERROR_INPUT;				/* 5 */
	} else if ((base & (s2_map_size(e.level) - 1u)) != 0u) {
		rep->status = RMI_ERROR_RTT | ((uint64_t)(uint32_t)e.level << 8);	/* 6 */
	} else {
		int32_t level = e.level;

		size = s2_map_size(level);
		rtt_end = (base & ~(512u * size - 1u)) + 512u * size;
		for (ipa = base; ipa < rtt_end && ipa + size <= top; ipa += size) {
			struct kapi_rtte n;

			if ((ipa != base && (!s2_translate(&s2, ipa, &e) || e.level != level)) ||
			    !ripas_change(&e, rr.ripas_value, rr.ripas_change_destroyed != 0u, &n) ||
			    (n.ripas != e.ripas && !s2_set(&s2, ipa, level, e.raw, &n)))
				break;
		}
		if (ipa == base) {
			rep->status = RMI_ERROR_RTT | ((uint64_t)(uint32_t)level << 8);	/* 7 */
		} else {
			rr.ripas_addr = ipa;
			gmem_write(rec, REC_RUN_OFF, &rr, sizeof(rr));
			rep->status = RMI_SUCCESS;
			rep->out[0] = ipa;
		}
	}
	realm_unlock(rd);
	rec_release(rec, REC_CLAIM_RUN);
}
