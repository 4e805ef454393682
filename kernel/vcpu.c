/*
 * The GICv3 virtual CPU interface and the EL1 timers around a realm run.
 *
 * The host owns the list registers: it hands them over in `enter` and gets
 * them back in `exit`. The realm owns its VMCR (priority mask, group
 * enables) and active-priority registers, kept in the REC; the host's are
 * put back after the run so neither side sees the other's. The realm owns
 * the EL1 virtual and physical timers while it runs, with no counter
 * offset; the host's timers and offsets come back afterwards. A realm
 * created with a PMU owns its share of the counters while it runs, and an
 * SVE realm its vector registers (moved by kernel/rec.c on first use).
 */
#include <arch/barrier.h>
#include <arch/sysreg.h>
#include <kernel/config.h>
#include <kernel/gmem.h>
#include <kernel/vcpu.h>

/* ---- GIC ---- */

#define VTR_LISTREGS(v)	((unsigned int)((v) & 0xfu))
#define VTR_IDBITS(v)	((unsigned int)(((v) >> 23) & 7u))
#define VTR_PREBITS(v)	((unsigned int)(((v) >> 26) & 7u))
#define VTR_PRIBITS(v)	((unsigned int)(((v) >> 29) & 7u))

#define LR_STATE(lr)	((lr) >> 62)
#define LR_HW		(1ull << 61)
#define LR_PRIO(lr)	(((lr) >> 48) & 0xffu)
#define LR_PINTID(lr)	(((lr) >> 32) & 0x1fffu)
#define LR_EOI		(1u << 9)	/* within pINTID when HW = 0 */
#define LR_VINTID(lr)	((lr) & 0xffffffffu)
#define ICH_HCR_EN	1ull

unsigned int vgic_num_lrs(void)
{
	return VTR_LISTREGS(config()->ich_vtr) + 1u;
}

/* Active-priority registers per group: 1, 2 or 4 for 5, 6 or 7 preemption bits. */
static unsigned int num_aprs(void)
{
	unsigned int pre = VTR_PREBITS(config()->ich_vtr) + 1u;

	return pre >= 7u ? 4u : pre == 6u ? 2u : 1u;
}

static bool vintid_valid(uint64_t id, uint64_t vtr)
{
	uint64_t lpi_end = VTR_IDBITS(vtr) == 1u ? 1ull << 24 : 1ull << 16;

	/* SGIs, PPIs and SPIs, or LPIs; the extended ranges are not offered */
	return id < 1020u || (id >= 8192u && id < lpi_end);
}

bool vgic_enter_valid(uint64_t hcr, const uint64_t lrs[VGIC_MAX_LRS])
{
	uint64_t vtr = config()->ich_vtr;
	unsigned int n = VTR_LISTREGS(vtr) + 1u;
	/* priority bits below the implemented ones must be 0 */
	uint64_t prio_low = (1u << (7u - VTR_PRIBITS(vtr))) - 1u;

	if ((hcr & ~VGIC_HCR_HOST_MASK) != 0u)
		return false;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t lr = lrs[i];

		if (LR_STATE(lr) == 0u)
			continue;
		if ((lr & LR_HW) != 0u || (LR_PRIO(lr) & prio_low) != 0u ||
		    (LR_PINTID(lr) & ~(uint64_t)LR_EOI) != 0u || !vintid_valid(LR_VINTID(lr), vtr))
			return false;
		for (unsigned int j = 0; j < i; j++)
			if (LR_STATE(lrs[j]) != 0u && LR_VINTID(lrs[j]) == LR_VINTID(lr))
				return false;
	}
	return true;
}

static uint64_t lr_read(unsigned int i)
{
	switch (i) {
	case 0: return read_ich_lr0_el2();
	case 1: return read_ich_lr1_el2();
	case 2: return read_ich_lr2_el2();
	case 3: return read_ich_lr3_el2();
	case 4: return read_ich_lr4_el2();
	case 5: return read_ich_lr5_el2();
	case 6: return read_ich_lr6_el2();
	case 7: return read_ich_lr7_el2();
	case 8: return read_ich_lr8_el2();
	case 9: return read_ich_lr9_el2();
	case 10: return read_ich_lr10_el2();
	case 11: return read_ich_lr11_el2();
	case 12: return read_ich_lr12_el2();
	case 13: return read_ich_lr13_el2();
	case 14: return read_ich_lr14_el2();
	default: return read_ich_lr15_el2();
	}
}

static void lr_write(unsigned int i, uint64_t v)
{
	switch (i) {
	case 0: write_ich_lr0_el2(v); break;
	case 1: write_ich_lr1_el2(v); break;
	case 2: write_ich_lr2_el2(v); break;
	case 3: write_ich_lr3_el2(v); break;
	case 4: write_ich_lr4_el2(v); break;
	case 5: write_ich_lr5_el2(v); break;
	case 6: write_ich_lr6_el2(v); break;
	case 7: write_ich_lr7_el2(v); break;
	case 8: write_ich_lr8_el2(v); break;
	case 9: write_ich_lr9_el2(v); break;
	case 10: write_ich_lr10_el2(v); break;
	case 11: write_ich_lr11_el2(v); break;
	case 12: write_ich_lr12_el2(v); break;
	case 13: write_ich_lr13_el2(v); break;
	case 14: write_ich_lr14_el2(v); break;
	default: write_ich_lr15_el2(v); break;
	}
}

static void aprs_read(uint64_t apr[8], unsigned int n)
{
	apr[0] = read_ich_ap0r0_el2();
	apr[4] = read_ich_ap1r0_el2();
	if (n >= 2u) {
		apr[1] = read_ich_ap0r1_el2();
		apr[5] = read_ich_ap1r1_el2();
	}
	if (n == 4u) {
		apr[2] = read_ich_ap0r2_el2();
		apr[3] = read_ich_ap0r3_el2();
		apr[6] = read_ich_ap1r2_el2();
		apr[7] = read_ich_ap1r3_el2();
	}
}

static void aprs_write(const uint64_t apr[8], unsigned int n)
{
	write_ich_ap0r0_el2(apr[0]);
	write_ich_ap1r0_el2(apr[4]);
	if (n >= 2u) {
		write_ich_ap0r1_el2(apr[1]);
		write_ich_ap1r1_el2(apr[5]);
	}
	if (n == 4u) {
		write_ich_ap0r2_el2(apr[2]);
		write_ich_ap0r3_el2(apr[3]);
		write_ich_ap1r2_el2(apr[6]);
		write_ich_ap1r3_el2(apr[7]);
	}
}

void vgic_enter(const struct vgic_state *realm, struct vgic_state *ns)
{
	unsigned int n = vgic_num_lrs(), na = num_aprs();

	ns->hcr = read_ich_hcr_el2();
	ns->vmcr = read_ich_vmcr_el2();
	aprs_read(ns->apr, na);
	for (unsigned int i = 0; i < n; i++)
		lr_write(i, realm->lrs[i]);
	aprs_write(realm->apr, na);
	write_ich_vmcr_el2(realm->vmcr);
	write_ich_hcr_el2((realm->hcr & VGIC_HCR_HOST_MASK) | ICH_HCR_EN);
}

void vgic_exit(struct vgic_state *realm, const struct vgic_state *ns)
{
	unsigned int n = vgic_num_lrs(), na = num_aprs();

	isb();
	realm->hcr = read_ich_hcr_el2() & (VGIC_HCR_HOST_MASK | VGIC_HCR_EOICOUNT);
	realm->misr = read_ich_misr_el2();
	realm->vmcr = read_ich_vmcr_el2();
	aprs_read(realm->apr, na);
	for (unsigned int i = 0; i < n; i++) {
		realm->lrs[i] = lr_read(i);
		lr_write(i, 0);		/* the realm's interrupts do not stay behind */
	}
	write_ich_hcr_el2(ns->hcr);
	write_ich_vmcr_el2(ns->vmcr);
	aprs_write(ns->apr, na);
}

/* ---- timers ---- */

#define CTL_ENABLE	1ull
#define CTL_IMASK	2ull
#define CTL_ISTATUS	4ull
/* CNTHCTL_EL2 (E2H = 1): EL1 may use the physical counter and timer. */
#define CNTHCTL_EL1PCTEN (1ull << 10)
#define CNTHCTL_EL1PTEN	(1ull << 11)
#define CNTHCTL_CNTVMASK (1ull << 18)	/* FEAT_RME: hold the virtual timer's output low */
#define CNTHCTL_CNTPMASK (1ull << 19)

static bool asserted(uint64_t ctl)
{
	return (ctl & (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS)) == (CTL_ENABLE | CTL_ISTATUS);
}

void vtimer_enter(const struct vtimer_state *realm, struct vtimer_state *ns)
{
	uint64_t hctl = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PTEN;

	ns->cntv_ctl = read_cntv_ctl_el02();
	ns->cntv_cval = read_cntv_cval_el02();
	ns->cntp_ctl = read_cntp_ctl_el02();
	ns->cntp_cval = read_cntp_cval_el02();
	ns->cntvoff = read_cntvoff_el2();
	ns->cnthctl = read_cnthctl_el2();
	/* no output while the registers change hands */
	write_cnthctl_el2(hctl | CNTHCTL_CNTVMASK | CNTHCTL_CNTPMASK);
	write_cntvoff_el2(0);
	write_cntv_cval_el02(realm->cntv_cval);
	write_cntv_ctl_el02(realm->cntv_ctl & (CTL_ENABLE | CTL_IMASK));
	write_cntp_cval_el02(realm->cntp_cval);
	write_cntp_ctl_el02(realm->cntp_ctl & (CTL_ENABLE | CTL_IMASK));
	isb();
	/* a timer already firing is the host's to inject, not to exit on again */
	if (asserted(read_cntv_ctl_el02()))
		hctl |= CNTHCTL_CNTVMASK;
	if (asserted(read_cntp_ctl_el02()))
		hctl |= CNTHCTL_CNTPMASK;
	write_cnthctl_el2(hctl);
	isb();
}

unsigned int vtimer_out(void)
{
	return (asserted(read_cntv_ctl_el02()) ? VTIMER_OUT_V : 0u) |
	       (asserted(read_cntp_ctl_el02()) ? VTIMER_OUT_P : 0u);
}

void vtimer_exit(struct vtimer_state *realm, const struct vtimer_state *ns)
{
	realm->cntv_ctl = read_cntv_ctl_el02();
	realm->cntv_cval = read_cntv_cval_el02();
	realm->cntp_ctl = read_cntp_ctl_el02();
	realm->cntp_cval = read_cntp_cval_el02();
	write_cnthctl_el2(ns->cnthctl | CNTHCTL_CNTVMASK | CNTHCTL_CNTPMASK);
	write_cntv_ctl_el02(ns->cntv_ctl);
	write_cntv_cval_el02(ns->cntv_cval);
	write_cntp_ctl_el02(ns->cntp_ctl);
	write_cntp_cval_el02(ns->cntp_cval);
	write_cntvoff_el2(ns->cntvoff);
	write_cnthctl_el2(ns->cnthctl);
	isb();
}

/* ---- PMU ---- */

#define PMU_CYCLE		(1ull << 31)
#define PMCR_E			1ull
#define MDCR_HPMN_MASK		0x1full
#define MDCR_TPMCR		(1ull << 5)
#define MDCR_TPM		(1ull << 6)
#define MDCR_HPMD		(1ull << 17)	/* PMUv3p1: no event counting at EL2 */
#define MDCR_HCCD		(1ull << 23)	/* PMUv3p5: no cycle counting at EL2 */

static uint64_t ctr_mask(unsigned int n)
{
	return PMU_CYCLE | ((1ull << n) - 1u);
}

static void pmu_save(struct vpmu_state *s, unsigned int n)
{
	uint64_t m = ctr_mask(n);

	s->pmcr = read_pmcr_el0();
	s->cntenset = read_pmcntenset_el0() & m;
	s->intenset = read_pmintenset_el1() & m;
	s->ovsset = read_pmovsset_el0() & m;
	s->ccntr = read_pmccntr_el0();
	s->ccfiltr = read_pmccfiltr_el0();
	s->userenr = read_pmuserenr_el0();
	s->selr = read_pmselr_el0();
	for (unsigned int i = 0; i < n && i < VPMU_MAX_CTRS; i++) {
		write_pmselr_el0(i);
		isb();
		s->evcntr[i] = read_pmxevcntr_el0();
		s->evtyper[i] = read_pmxevtyper_el0();
	}
}

static void pmu_load(const struct vpmu_state *s, unsigned int n)
{
	uint64_t m = ctr_mask(n);

	write_pmcntenclr_el0(m);
	write_pmintenclr_el1(m);
	write_pmovsclr_el0(m);
	isb();
	for (unsigned int i = 0; i < n && i < VPMU_MAX_CTRS; i++) {
		write_pmselr_el0(i);
		isb();
		write_pmxevtyper_el0(s->evtyper[i]);
		write_pmxevcntr_el0(s->evcntr[i]);
	}
	write_pmselr_el0(s->selr);
	write_pmccfiltr_el0(s->ccfiltr);
	write_pmccntr_el0(s->ccntr);
	write_pmuserenr_el0(s->userenr);
	write_pmcr_el0(s->pmcr);	/* P and C read as 0: nothing is reset here */
	write_pmovsset_el0(s->ovsset & m);
	write_pmintenset_el1(s->intenset & m);
	write_pmcntenset_el0(s->cntenset & m);
	isb();
}

void vpmu_enter(const struct vpmu_state *realm, struct vpmu_state *ns, unsigned int n)
{
	uint64_t ver = config()->pmu_ver;
	uint64_t mdcr = read_mdcr_el2();

	ns->mdcr = mdcr;
	mdcr &= ~(MDCR_HPMN_MASK | MDCR_TPM | MDCR_TPMCR);
	mdcr |= n;
	/* the realm's counters do not count the RMM (where the PMU version allows) */
	if (ver >= 4u && ver != 0xfu)
		mdcr |= MDCR_HPMD;
	if (ver >= 6u && ver != 0xfu)
		mdcr |= MDCR_HCCD;
	pmu_save(ns, n);
	write_mdcr_el2(mdcr);
	isb();
	pmu_load(realm, n);
}

void vpmu_exit(struct vpmu_state *realm, const struct vpmu_state *ns, unsigned int n)
{
	pmu_save(realm, n);
	pmu_load(ns, n);
	write_mdcr_el2(ns->mdcr);
	isb();
}

bool vpmu_irq_pending(const struct vpmu_state *s)
{
	return (s->pmcr & PMCR_E) != 0u && (s->ovsset & s->intenset & s->cntenset) != 0u;
}

/* ---- SVE ---- */

void vsve_save(const uint64_t aux[3], unsigned int len)
{
	write_zcr_el2(len);
	isb();
	gmem_sve_save(aux[0], GMEM_SVE_Z_LO);
	gmem_sve_save(aux[1], GMEM_SVE_Z_HI);
	gmem_sve_save(aux[2], GMEM_SVE_P_FFR);
}

void vsve_load(const uint64_t aux[3], unsigned int len)
{
	write_zcr_el2(len);
	isb();
	gmem_sve_load(aux[2], GMEM_SVE_P_FFR);
	gmem_sve_load(aux[0], GMEM_SVE_Z_LO);
	gmem_sve_load(aux[1], GMEM_SVE_Z_HI);
}
