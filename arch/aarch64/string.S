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
	mov	x4, #0x0101010101010101
	mul	x1, x1, x4		/* the byte in all eight */
1:	cbz	x2, 9f			/* bytes up to 8-byte alignment (enough for stp) */
	tst	x3, #7
	b.eq	2f
	strb	w1, [x3], #1
	sub	x2, x2, #1
	b	1b
2:	subs	x2, x2, #32		/* 32 bytes per loop */
	b.lo	4f
3:	stp	x1, x1, [x3], #16
	stp	x1, x1, [x3], #16
	subs	x2, x2, #32
	b.hs	3b
4:	tbz	x2, #4, 5f		/* x2 is the remainder - 32: same low bits */
	stp	x1, x1, [x3], #16
5:	tbz	x2, #3, 6f
	str	x1, [x3], #8
6:	ands	x2, x2, #7
	b.eq	9f
7:	strb	w1, [x3], #1		/* the last bytes */
	subs	x2, x2, #1
	b.ne	7b
9:	ret

	/* SAFETY: standard memcpy contract: non-overlapping buffers the caller owns. */
	.globl	memcpy
memcpy:
	mov	x3, x0
	eor	x4, x0, x1
	tst	x4, #7
	b.ne	7f			/* mutually misaligned: bytes */
1:	cbz	x2, 9f			/* bytes up to 8-byte alignment */
	tst	x3, #7
	b.eq	2f
	ldrb	w5, [x1], #1
	strb	w5, [x3], #1
	sub	x2, x2, #1
	b	1b
2:	subs	x2, x2, #32		/* 32 bytes per loop */
	b.lo	4f
3:	ldp	x5, x6, [x1], #16
	ldp	x7, x8, [x1], #16
	stp	x5, x6, [x3], #16
	stp	x7, x8, [x3], #16
	subs	x2, x2, #32
	b.hs	3b
4:	tbz	x2, #4, 5f		/* x2 is the remainder - 32: same low bits */
	ldp	x5, x6, [x1], #16
	stp	x5, x6, [x3], #16
5:	tbz	x2, #3, 6f
	ldr	x5, [x1], #8
	str	x5, [x3], #8
6:	ands	x2, x2, #7
7:	cbz	x2, 9f			/* the last (or all the misaligned) bytes */
	ldrb	w5, [x1], #1
	strb	w5, [x3], #1
	sub	x2, x2, #1
	b	7b
9:	ret
