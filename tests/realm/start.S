/* Realm test payload entry at IPA 0 (R-EL1, MMU off): stack below the host-call page. */
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	x0, #0x3000
	mov	sp, x0
	bl	realm_main
1:	wfi
	b	1b

/* uint64_t realm_smc(uint64_t regs[4]): SMC with x0..x3 in/out. */
	.text
	.globl	realm_smc
realm_smc:
	mov	x9, x0
	ldp	x0, x1, [x9]
	ldp	x2, x3, [x9, #16]
	smc	#0
	stp	x0, x1, [x9]
	stp	x2, x3, [x9, #16]
	ret
