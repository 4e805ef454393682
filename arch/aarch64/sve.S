/*
 * SVE register file save/restore at the current vector length (ZCR_EL2 as
 * the caller set it), one 4 KB granule at a time: Z0-Z15, Z16-Z31, then
 * P0-P15 and FFR. At the architectural maximum of 2048 bits sixteen Z
 * registers fill a granule exactly. The caller has enabled FP and SVE at
 * EL2 (CPTR_EL2.FPEN and ZEN) and mapped the granule (kernel/gmem.c).
 */
	.arch_extension sve
	.text

	/* SAFETY: x0 is the kernel mapping of a whole REC_AUX granule (gmem_sve_*); the offsets stay inside it. */
	.globl	arch_sve_save_z_lo
arch_sve_save_z_lo:
	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	z\n, [x0, #\n, mul vl]
	.endr
	ret

	/* SAFETY: x0 is the kernel mapping of a whole REC_AUX granule (gmem_sve_*); the offsets stay inside it. */
	.globl	arch_sve_save_z_hi
arch_sve_save_z_hi:
	.irp	n,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x0, #(\n - 16), mul vl]
	.endr
	ret

	/* SAFETY: x0 is the kernel mapping of a whole REC_AUX granule (gmem_sve_*); the offsets stay inside it. */
	.globl	arch_sve_load_z_lo
arch_sve_load_z_lo:
	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	z\n, [x0, #\n, mul vl]
	.endr
	ret

	/* SAFETY: x0 is the kernel mapping of a whole REC_AUX granule (gmem_sve_*); the offsets stay inside it. */
	.globl	arch_sve_load_z_hi
arch_sve_load_z_hi:
	.irp	n,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x0, #(\n - 16), mul vl]
	.endr
	ret

	/* SAFETY: x0 is the kernel mapping of a whole REC_AUX granule (gmem_sve_*); the offsets stay inside it. FFR goes last, through P0 once P0 is saved. */
	.globl	arch_sve_save_p
arch_sve_save_p:
	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x0, #\n, mul vl]
	.endr
	rdffr	p0.b
	str	p0, [x0, #16, mul vl]
	ldr	p0, [x0, #0, mul vl]
	ret

	/* SAFETY: x0 is the kernel mapping of a whole REC_AUX granule (gmem_sve_*); the offsets stay inside it. FFR first, through P0, which is loaded after it. */
	.globl	arch_sve_load_p
arch_sve_load_p:
	ldr	p0, [x0, #16, mul vl]
	wrffr	p0.b
	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x0, #\n, mul vl]
	.endr
	ret
