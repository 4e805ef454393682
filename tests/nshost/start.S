/*
 * NS test host (BL33) entry at NS-EL2. CPU 0 arrives here from TF-A; other
 * CPUs arrive through PSCI CPU_ON at secondary_entry with x0 = CPU index.
 */
#define STACK_SIZE	0x4000

	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	x19, x0			/* DTB pointer from firmware (unused) */
	mov	x0, #0
	bl	set_stack
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	adrp	x9, host_vectors
	add	x9, x9, :lo12:host_vectors
	msr	vbar_el2, x9
	isb
	bl	host_main
	b	.

	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	bl	set_stack
	adrp	x9, host_vectors
	add	x9, x9, :lo12:host_vectors
	msr	vbar_el2, x9
	isb
	mov	x0, x19
	bl	host_secondary_main
	b	.

/* sp = top of the stack of CPU x0 */
set_stack:
	adrp	x9, host_stacks
	add	x9, x9, :lo12:host_stacks
	add	x0, x0, #1
	mov	x10, #STACK_SIZE
	madd	x9, x0, x10, x9
	mov	sp, x9
	ret

/* void host_smc(const uint64_t in[8], uint64_t out[8]) */
	.text
	.globl	host_smc
host_smc:
	stp	x1, x30, [sp, #-16]!
	mov	x9, x0
	ldp	x0, x1, [x9, #0]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	smc	#0
	ldr	x9, [sp]
	stp	x0, x1, [x9, #0]
	stp	x2, x3, [x9, #16]
	stp	x4, x5, [x9, #32]
	stp	x6, x7, [x9, #48]
	ldp	x1, x30, [sp], #16
	ret

/* Exceptions: save x0..x30 and hand over to host_exception(kind, frame). */
	.macro	hventry kind
	.balign	0x80
	sub	sp, sp, #(34 * 8)
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	hexc_common
	.endm

	.section .text.vectors, "ax"
	.balign	2048
host_vectors:
	.irp	k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	hventry	\k
	.endr
hexc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x1, sp
	bl	host_exception
	/* host_exception returns only to resume: ELR may have been changed */
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #(34 * 8)
	eret

	.bss
	.balign	16
host_stacks:
	.space	STACK_SIZE * 33

/*
 * int host_probe_read(uint64_t pa, uint64_t *val): read one word of memory
 * that may fault (e.g. a delegated granule: Granule Protection Fault).
 * Returns 0, or -1 if the load faulted (host_exception resumes at the fixup).
 */
	.text
	.globl	host_probe_read
	.globl	host_probe_insn
	.globl	host_probe_fixup
host_probe_read:
host_probe_insn:
	ldr	x2, [x0]
	str	x2, [x1]
	mov	x0, #0
	ret
host_probe_fixup:
	mov	x0, #-1
	ret

/* int host_probe_write(uint64_t pa, uint64_t val): same for a store. */
	.globl	host_probe_write
	.globl	host_probe_winsn
host_probe_write:
host_probe_winsn:
	str	x1, [x0]
	mov	x0, #0
	ret
