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

#endif
