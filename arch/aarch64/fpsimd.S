/*
 * FP/SIMD register file save/restore for lazy switching between the NS
 * host and a realm: struct fp_regs { q[32] (16 bytes each), fpsr, fpcr }.
 * The caller has enabled FP at EL2 (CPTR_EL2.FPEN) before calling.
 */
	.arch_extension fp
	.arch_extension simd
	.text
	/*
	 * SAFETY: x0 points to a struct fp_regs (kernel/rec.c, 528 bytes, 16-byte
	 * aligned); arch_fp_save_at is the same code for a mapped REC granule
	 * (kernel/gmem.c, 528 bytes at a 16-byte aligned offset).
	 */
	.globl	arch_fp_save
	.globl	arch_fp_save_at
arch_fp_save_at:
arch_fp_save:
	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	q\n, [x0, #(\n * 16)]
	.endr
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x3, x0, #512
	stp	x1, x2, [x3]
	ret

	/* SAFETY: x0 points to a struct fp_regs (or REC granule bytes) filled by arch_fp_save or zeroed. */
	.globl	arch_fp_load
	.globl	arch_fp_load_at
arch_fp_load_at:
arch_fp_load:
	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	q\n, [x0, #(\n * 16)]
	.endr
	add	x3, x0, #512
	ldp	x1, x2, [x3]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
