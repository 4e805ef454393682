/*
 * Realm EL1 vectors: a synchronous exception from EL1 records ESR_EL1 and
 * FAR_EL1, counts itself and returns past the faulting instruction.
 */
	.section .text.vectors, "ax"
	.balign	2048
	.globl	realm_vectors
realm_vectors:
	.rept	4
	.balign	0x80
	b	.
	.endr
	.balign	0x80		/* current EL, SPx: synchronous */
	b	sync_el1
	.rept	3
	.balign	0x80
	b	.
	.endr
	.rept	8
	.balign	0x80
	b	.
	.endr

sync_el1:
	stp	x0, x1, [sp, #-16]!
	adrp	x0, realm_exc
	add	x0, x0, :lo12:realm_exc
	mrs	x1, esr_el1
	str	x1, [x0, #0]
	mrs	x1, far_el1
	str	x1, [x0, #8]
	ldr	x1, [x0, #16]
	add	x1, x1, #1
	str	x1, [x0, #16]
	mrs	x1, elr_el1
	add	x1, x1, #4
	msr	elr_el1, x1
	ldp	x0, x1, [sp], #16
	eret

	.bss
	.balign	8
	.globl	realm_exc
realm_exc:			/* esr, far, count */
	.space	24
