/*
 * EL2 exception vectors. The handler switches to the per-CPU exception
 * stack (SP_EL0, so a main stack overflow into its guard page can still be
 * reported), saves the caller-saved GPRs (x0..x18, x30; the frame's slots
 * for x19..x29 stay unwritten: C preserves them) and the syndrome
 * registers, and calls
 * kernel_exception(). That either stops the CPU after printing ESR/ELR/FAR/EL,
 * or returns after redirecting a fault in the fault-tolerant copy routine
 * (arch_copy_nofault) to its recovery label: then the frame is restored with
 * the new ELR/x0 and the handler returns with eret.
 */
#define FRAME_SIZE	(36 * 8)

	/* SAFETY: each entry switches to this CPU's exception stack and saves x0/x1 in a frame it owns. */
	.macro	ventry kind
	.balign	0x80
	msr	spsel, #0
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exc_common
	.endm

	/* SAFETY: a realm exit: SP_EL2 is arch_realm_run's frame; push x0/x1 there and go save the rest. */
	.macro	vrealm kind
	.balign	0x80
	sub	sp, sp, #16
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	realm_exit_common
	.endm

	/* SAFETY: sixteen 128-byte entries, as the architecture requires. */
	.section .text.vectors, "ax"
	.balign	2048
	.globl	rmm_vectors
rmm_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* irq */
	ventry	2	/* fiq */
	ventry	3	/* serror */
	ventry	4	/* current EL, SP_ELx: sync */
	ventry	5
	ventry	6
	ventry	7
	vrealm	8	/* lower EL (the realm), AArch64: sync */
	vrealm	9	/* irq */
	vrealm	10	/* fiq */
	vrealm	11	/* serror */
	vrealm	12	/* lower EL, AArch32 (realms are AArch64 only) */
	vrealm	13
	vrealm	14
	vrealm	15

	/* SAFETY: saves/restores exactly the FRAME_SIZE frame built above; ELR/SPSR come back from the frame, which only kernel_exception() may have redirected (fault fixups). */
exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]		/* x19..x29: callee-saved, kernel_exception() keeps them */
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	stp	x30, x1, [sp, #240]
	mrs	x1, far_el2
	mrs	x3, spsr_el2
	stp	x2, x1, [sp, #256]
	str	x3, [sp, #272]
	mov	x1, sp
	bl	kernel_exception
	ldr	x1, [sp, #256]
	msr	elr_el2, x1
	ldr	x1, [sp, #272]
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
