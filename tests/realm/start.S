/* Realm test payload entry at IPA 0 (R-EL1, MMU off): stack below the host-call page. */
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	x19, x0			/* test mode, from the REC's initial gprs */
	mov	x0, #0x3000
	mov	sp, x0
	adrp	x0, realm_vectors
	add	x0, x0, :lo12:realm_vectors
	msr	vbar_el1, x0
	mrs	x0, cpacr_el1
	orr	x0, x0, #(3 << 20)	/* FP/SIMD at EL1/EL0 */
	orr	x0, x0, #(3 << 16)	/* SVE: the RMM decides whether it exists */
	msr	cpacr_el1, x0
	isb
	mov	x0, x19
	bl	realm_main
1:	wfi
	b	1b

/* Secondary REC entry (PSCI CPU_ON): x0 = context id, own stack. */
	.globl	_secondary
_secondary:
	mov	x1, #0x2800
	mov	sp, x1
	bl	realm_secondary
2:	wfi
	b	2b

/* void realm_smc(uint64_t regs[12]): SMC with x0..x10 in and out. */
	.text
	.globl	realm_smc
realm_smc:
	mov	x11, x0
	ldp	x0, x1, [x11]
	ldp	x2, x3, [x11, #16]
	ldp	x4, x5, [x11, #32]
	ldp	x6, x7, [x11, #48]
	ldp	x8, x9, [x11, #64]
	ldr	x10, [x11, #80]
	smc	#0
	stp	x0, x1, [x11]
	stp	x2, x3, [x11, #16]
	stp	x4, x5, [x11, #32]
	stp	x6, x7, [x11, #48]
	stp	x8, x9, [x11, #64]
	str	x10, [x11, #80]
	ret

/* void realm_try_exec(uint64_t addr): branch to addr; any synchronous exception comes back here. */
	.globl	realm_try_exec
realm_try_exec:
	stp	x29, x30, [sp, #-16]!
	adrp	x1, realm_exc
	add	x1, x1, :lo12:realm_exc
	adr	x2, 1f
	str	x2, [x1, #24]
	blr	x0
1:	ldp	x29, x30, [sp], #16
	ret
