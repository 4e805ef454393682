/*
 * void arch_smc(const struct smc_regs *in, struct smc_regs *out)
 * Issue SMC #0 with x0..x7 from *in and store x0..x7 into *out. Used for
 * RMM->EL3 calls and for RMM_RMI_REQ_COMPLETE, whose "return" is the next
 * RMI request (el3.md section 6). EL3 preserves x18..x30 and SP.
 */
	.text
	/* SAFETY: in/out point to struct smc_regs (8 words) owned by the caller; the out pointer and LR are kept on the stack across the SMC. */
	.globl	arch_smc
arch_smc:
	stp	x1, x30, [sp, #-16]!
	mov	x9, x0
	ldp	x0, x1, [x9, #0]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	smc	#0
	ldr	x9, [sp]
	stp	x0, x1, [x9, #0]
	stp	x2, x3, [x9, #16]
	stp	x4, x5, [x9, #32]
	stp	x6, x7, [x9, #48]
	ldp	x1, x30, [sp], #16
	ret
