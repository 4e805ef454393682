/*
 * Measured SMC for the benchmark host (NS-EL2). Under QEMU -icount shift=0
 * CNTVCT_EL0 advances by exactly one per instruction executed on the CPU,
 * at every EL, so the difference of two reads is an instruction count.
 *
 * void bench_smc(const uint64_t in[8], uint64_t out[8], uint64_t delta[2])
 *   in/out: x0..x7 of the SMC; delta[0] = CNTVCT_EL0 difference,
 *   delta[1] = PMCCNTR_EL0 difference, both measured around the smc.
 * void bench_nop(const uint64_t in[8], uint64_t out[8], uint64_t delta[2])
 *   the same sequence with a nop in place of the smc: the measurement's own
 *   overhead, subtracted from every sample.
 *
 * The counters are kept in x19..x22 across the SMC: SMCCC preserves
 * x18..x30, while x0..x17 may carry results or be clobbered.
 * bench_smc_insn and bench_smc_ret mark the smc and the instruction it
 * returns to (they attribute execution traces to measured calls).
 */
	.macro	measured insn, at, ret
	stp	x19, x20, [sp, #-64]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x29, x30, [sp, #48]
	mov	x23, x1
	mov	x24, x2
	mov	x9, x0
	ldp	x0, x1, [x9, #0]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	isb
	mrs	x19, cntvct_el0
	mrs	x20, pmccntr_el0
\at:	\insn
\ret:	mrs	x21, pmccntr_el0
	mrs	x22, cntvct_el0
	stp	x0, x1, [x23, #0]
	stp	x2, x3, [x23, #16]
	stp	x4, x5, [x23, #32]
	stp	x6, x7, [x23, #48]
	sub	x22, x22, x19
	sub	x21, x21, x20
	stp	x22, x21, [x24]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x29, x30, [sp, #48]
	ldp	x19, x20, [sp], #64
	ret
	.endm

	.text
	.balign	64
	.globl	bench_smc
	.globl	bench_smc_insn
	.globl	bench_smc_ret
bench_smc:
	measured "smc #0", bench_smc_insn, bench_smc_ret

	.balign	64
	.globl	bench_nop
bench_nop:
	measured "nop", bench_nop_insn, bench_nop_ret

/*
 * void bench_loop(uint64_t iters, uint64_t delta[2]): counter differences
 * around a loop of exactly 2 * iters instructions (subs + b.ne), to check
 * that both counters count instructions.
 */
	.balign	64
	.globl	bench_loop
bench_loop:
	mov	x9, x0
	isb
	mrs	x10, cntvct_el0
	mrs	x11, pmccntr_el0
1:	subs	x9, x9, #1
	b.ne	1b
	mrs	x12, pmccntr_el0
	mrs	x13, cntvct_el0
	sub	x13, x13, x10
	sub	x12, x12, x11
	stp	x13, x12, [x1]
	ret
