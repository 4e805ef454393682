/*
 * int arch_copy_nofault(void *dst, const void *src, size_t len)
 * Copy len bytes (multiple of 8, both 8-byte aligned) and return 0, or
 * return -1 if any access faults (e.g. a Granule Protection Fault when src
 * or dst is not in the expected PAS). The exception handler recognises a
 * fault whose ELR lies in [arch_copy_nofault, arch_copy_nofault_end) and
 * resumes at arch_copy_nofault_fixup.
 */
	.text
	/* SAFETY: callers (kernel/gmem.c) pass a mapped slot and a buffer of len bytes, len a multiple of 8; a fault resumes at the fixup. */
	.globl	arch_copy_nofault
	.globl	arch_copy_nofault_end
	.globl	arch_copy_nofault_fixup
arch_copy_nofault:
	tbz	x2, #3, 1f		/* an odd word first, then 16 bytes per loop */
	ldr	x3, [x1], #8
	str	x3, [x0], #8
	sub	x2, x2, #8
1:	cbz	x2, 3f
2:	ldp	x3, x4, [x1], #16
	stp	x3, x4, [x0], #16
	subs	x2, x2, #16
	b.ne	2b
3:	mov	x0, #0
	ret
arch_copy_nofault_end:
arch_copy_nofault_fixup:
	mov	x0, #-1
	ret

	/* [start, end, fixup] as integers for arch_copy_fault_fixup(). */
	.section .rodata
	.balign	8
	.globl	arch_copy_nofault_range
arch_copy_nofault_range:
	.quad	arch_copy_nofault, arch_copy_nofault_end, arch_copy_nofault_fixup
