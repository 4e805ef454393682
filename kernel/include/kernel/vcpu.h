/*
 * Per-REC interrupt controller and timer state switched around a realm run
 * (structures.md 6.1/6.2, rsi.md 5): the GICv3 virtual CPU interface and the
 * EL1 virtual and physical timers. kernel/rec.c owns when; this owns how.
 */
#ifndef KERNEL_VCPU_H
#define KERNEL_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#define VGIC_MAX_LRS		16u
#define VGIC_HCR_HOST_MASK	0x40feull	/* UIE..VGrp1DIE, TDIR: the host's bits */
#define VGIC_HCR_EOICOUNT	(0x1full << 27)

/* The virtual CPU interface of one context (a REC, or the NS host's saved copy). */
struct vgic_state {
	uint64_t hcr;			/* host bits from `enter`, EOIcount after a run */
	uint64_t lrs[VGIC_MAX_LRS];
	uint64_t vmcr, apr[8];		/* ICH_AP0R0..3, ICH_AP1R0..3 */
	uint64_t misr;			/* after a run */
};

/* EL1 virtual and physical timers of one context. */
struct vtimer_state {
	uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	uint64_t cntvoff, cnthctl;	/* NS copy only: the realm's are fixed */
};

#define VTIMER_OUT_V	1u	/* CNTV output asserted (enabled, condition met, not masked) */
#define VTIMER_OUT_P	2u

/* Check 9 of RMI_REC_ENTER: the host's ICH_HCR bits and list registers. */
bool vgic_enter_valid(uint64_t hcr, const uint64_t lrs[VGIC_MAX_LRS]);
unsigned int vgic_num_lrs(void);

/* Switch the virtual CPU interface to the realm's (saving the host's) and back. */
void vgic_enter(const struct vgic_state *realm, struct vgic_state *ns);
void vgic_exit(struct vgic_state *realm, const struct vgic_state *ns);

/*
 * Switch the EL1 timers to the realm's (saving the host's); an asserted,
 * unmasked realm timer is masked at EL2 for this run. vtimer_out() is the
 * realm's current output levels while it is loaded.
 */
void vtimer_enter(const struct vtimer_state *realm, struct vtimer_state *ns);
unsigned int vtimer_out(void);
void vtimer_exit(struct vtimer_state *realm, const struct vtimer_state *ns);

/*
 * PMUv3 state of one context, for realms created with a PMU: the realm gets
 * event counters 0..n-1 (MDCR_EL2.HPMN = n) and the cycle counter.
 */
#define VPMU_MAX_CTRS		31u
struct vpmu_state {
	uint64_t pmcr, cntenset, intenset, ovsset, ccntr, ccfiltr, userenr, selr;
	uint64_t evcntr[VPMU_MAX_CTRS], evtyper[VPMU_MAX_CTRS];
	uint64_t mdcr;			/* NS copy only: the RMM's own MDCR_EL2 */
};

/* Switch counters 0..n-1, the cycle counter and the controls to the realm's and back. */
void vpmu_enter(const struct vpmu_state *realm, struct vpmu_state *ns, unsigned int n);
void vpmu_exit(struct vpmu_state *realm, const struct vpmu_state *ns, unsigned int n);
/* pmu_ovf_status: an enabled counter with its interrupt enabled has overflowed. */
bool vpmu_irq_pending(const struct vpmu_state *s);

/*
 * SVE: the register file at vector length `len` (ZCR_ELx.LEN) to or from
 * three REC_AUX granules (Z0-15, Z16-31, P0-15 + FFR). ZCR_EL2 is left at len.
 */
void vsve_save(const uint64_t aux[3], unsigned int len);
void vsve_load(const uint64_t aux[3], unsigned int len);

#endif
