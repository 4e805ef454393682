/*
 * memcpy and memset for the RMM, 16 bytes per iteration where alignment
 * allows (picolibc's freestanding versions move one byte per iteration,
 * which made copies most of the cost of every RMI command; see
 * docs/performance.md). They override the C library's at link time.
 * Only general-purpose registers; every access is naturally aligned, so
 * they are also safe on Device memory before the MMU is on.
 */
	.text
	/* SAFETY: standard memset contract: the caller owns [x0, x0 + x2). */
	.globl	memset
memset:
	mov	x3, x0
	and	x1, x1, #0xff
	orr	x1, x1, x1, lsl #8
	orr	x1, x1, x1, lsl #16
	orr	x1, x1, x1, lsl #32
1:	cbz	x2, 9f
	tst	x3, #15
	b.eq	2f
	strb	w1, [x3], #1
	sub	x2, x2, #1
	b	1b
2:	cmp	x2, #16
	b.lo	3f
	stp	x1, x1, [x3], #16
	sub	x2, x2, #16
	b	2b
3:	cbz	x2, 9f
	strb	w1, [x3], #1
	sub	x2, x2, #1
	b	3b
9:	ret

	/* SAFETY: standard memcpy contract: non-overlapping buffers the caller owns. */
	.globl	memcpy
memcpy:
	mov	x3, x0
	eor	x4, x0, x1
	tst	x4, #7
	b.ne	3f
1:	cbz	x2, 9f
	tst	x3, #7
	b.eq	2f
	ldrb	w5, [x1], #1
	strb	w5, [x3], #1
	sub	x2, x2, #1
	b	1b
2:	cmp	x2, #16
	b.lo	3f
	ldp	x5, x6, [x1], #16
	stp	x5, x6, [x3], #16
	sub	x2, x2, #16
	b	2b
3:	cbz	x2, 9f
	ldrb	w5, [x1], #1
	strb	w5, [x3], #1
	sub	x2, x2, #1
	b	3b
9:	ret
