/*
 * uint64_t arch_realm_run(struct realm_regs *r)
 * Enter the realm with the general-purpose state in *r (x0..x30, sp_el0,
 * pc, pstate) and return, when the realm takes an exception to EL2, the
 * vector kind (8..15) with the realm's registers and syndrome saved back
 * into *r. EL1 system registers, HCR/VTTBR/VTCR are the caller's job.
 *
 * The realm's exception lands on the SP_EL2 value of the eret below: the
 * frame this function pushed, which holds the RMM's callee-saved registers,
 * the pointer r and the RMM's SP_EL0 (its exception stack).
 */
#define R_X(n)		((n) * 8)
#define R_SP_EL0	(31 * 8)
#define R_PC		(32 * 8)
#define R_PSTATE	(33 * 8)
#define R_ESR		(34 * 8)
#define R_FAR		(35 * 8)
#define R_HPFAR		(36 * 8)
#define FRAME		(14 * 8)

	.text
	/* SAFETY: r points to a struct realm_regs (kernel/rec.c) laid out as the R_ offsets; the frame is popped on the way back. */
	.globl	arch_realm_run
	/* Services at EL0 enter and leave the same way (kernel/svc_el0.c). */
	.globl	arch_el0_run
	.set	arch_el0_run, arch_realm_run
arch_realm_run:
	sub	sp, sp, #FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mrs	x1, sp_el0
	stp	x0, x1, [sp, #96]
	ldr	x1, [x0, #R_SP_EL0]
	msr	sp_el0, x1
	ldr	x1, [x0, #R_PC]
	msr	elr_el2, x1
	ldr	x1, [x0, #R_PSTATE]
	msr	spsr_el2, x1
	ldp	x2, x3, [x0, #R_X(2)]
	ldp	x4, x5, [x0, #R_X(4)]
	ldp	x6, x7, [x0, #R_X(6)]
	ldp	x8, x9, [x0, #R_X(8)]
	ldp	x10, x11, [x0, #R_X(10)]
	ldp	x12, x13, [x0, #R_X(12)]
	ldp	x14, x15, [x0, #R_X(14)]
	ldp	x16, x17, [x0, #R_X(16)]
	ldp	x18, x19, [x0, #R_X(18)]
	ldp	x20, x21, [x0, #R_X(20)]
	ldp	x22, x23, [x0, #R_X(22)]
	ldp	x24, x25, [x0, #R_X(24)]
	ldp	x26, x27, [x0, #R_X(26)]
	ldp	x28, x29, [x0, #R_X(28)]
	ldr	x30, [x0, #R_X(30)]
	ldp	x0, x1, [x0, #R_X(0)]
	eret

	/* SAFETY: entered from the lower-EL vectors with the realm's x0/x1 pushed on the frame above and x0 = vector kind. */
	.globl	realm_exit_common
realm_exit_common:
	ldr	x1, [sp, #(16 + 96)]
	stp	x2, x3, [x1, #R_X(2)]
	stp	x4, x5, [x1, #R_X(4)]
	stp	x6, x7, [x1, #R_X(6)]
	stp	x8, x9, [x1, #R_X(8)]
	stp	x10, x11, [x1, #R_X(10)]
	stp	x12, x13, [x1, #R_X(12)]
	stp	x14, x15, [x1, #R_X(14)]
	stp	x16, x17, [x1, #R_X(16)]
	stp	x18, x19, [x1, #R_X(18)]
	stp	x20, x21, [x1, #R_X(20)]
	stp	x22, x23, [x1, #R_X(22)]
	stp	x24, x25, [x1, #R_X(24)]
	stp	x26, x27, [x1, #R_X(26)]
	stp	x28, x29, [x1, #R_X(28)]
	str	x30, [x1, #R_X(30)]
	ldp	x2, x3, [sp]
	stp	x2, x3, [x1, #R_X(0)]
	mrs	x2, sp_el0
	str	x2, [x1, #R_SP_EL0]
	mrs	x2, elr_el2
	str	x2, [x1, #R_PC]
	mrs	x2, spsr_el2
	str	x2, [x1, #R_PSTATE]
	mrs	x2, esr_el2
	str	x2, [x1, #R_ESR]
	mrs	x2, far_el2
	str	x2, [x1, #R_FAR]
	mrs	x2, hpfar_el2
	str	x2, [x1, #R_HPFAR]
	add	sp, sp, #16
	ldr	x2, [sp, #104]
	msr	sp_el0, x2
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #FRAME
	ret
