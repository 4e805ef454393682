/*
 * Realm EL1 vectors, at IPA 0 (the first slot jumps to _start): a synchronous exception from EL1 records ESR_EL1 and
 * FAR_EL1, counts itself and returns past the faulting instruction.
 */
	.section .text.vectors, "ax"
	.balign	2048
	.globl	realm_vectors
realm_vectors:
	b	_start		/* IPA 0: the REC's entry; this slot (EL1t sync) is never taken */
	.rept	3
	.balign	0x80
	b	.
	.endr
	.balign	0x80		/* current EL, SPx: synchronous */
	b	sync_el1
	.balign	0x80		/* current EL, SPx: IRQ */
	b	irq_el1
	.rept	2
	.balign	0x80
	b	.
	.endr
	.rept	8
	.balign	0x80
	b	.
	.endr

/* Resume after the faulting instruction, or at realm_exc[3] if set (realm_try_exec). */
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
	ldr	x1, [x0, #24]
	cbz	x1, 1f
	str	xzr, [x0, #24]
	b	2f
1:	mrs	x1, elr_el1
	add	x1, x1, #4
2:	msr	elr_el1, x1
	ldp	x0, x1, [sp], #16
	eret

/* A virtual IRQ: acknowledge, record the INTID, stop the virtual timer, EOI. */
irq_el1:
	stp	x0, x1, [sp, #-16]!
	adrp	x0, realm_irq
	add	x0, x0, :lo12:realm_irq
	mrs	x1, S3_0_C12_C12_0	/* ICC_IAR1_EL1 */
	str	x1, [x0, #0]
	msr	S3_0_C12_C12_1, x1	/* ICC_EOIR1_EL1 */
	ldr	x1, [x0, #8]
	add	x1, x1, #1
	str	x1, [x0, #8]
	msr	cntv_ctl_el0, xzr
	isb
	ldp	x0, x1, [sp], #16
	eret

	.bss
	.balign	8
	.globl	realm_exc
realm_exc:			/* esr, far, count, resume address */
	.space	32
	.globl	realm_irq
realm_irq:			/* last INTID, count */
	.space	16
