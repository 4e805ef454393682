/*
 * RMM entry point: TF-A enters here on the cold boot of the first CPU and on
 * every warm boot (RMM-EL3 v0.4, ../shared/spec/el3.md section 2).
 *   x0 = CPU index, x1 = interface version, x2 = CPU count, x3 = shared page
 * (x1..x3 are zero at warm boot). Before any stack exists the CPU index is
 * bounded by PLAT_MAX_CPUS; everything else is validated in C.
 */
#include <arch/layout.h>

#define RMM_BOOT_COMPLETE	0xC40001CF
#define E_RMM_BOOT_CPU_ID_OUT_OF_RANGE	-4
/* HCR_EL2: E2H (bit 34) | TGE (bit 27): the EL2&0 regime (services at EL0 later). */
#define HCR_BOOT		((1 << 34) | (1 << 27))
/* SCTLR_EL2 (E2H=1 layout) with the MMU and caches still off: RES1 bits only. */
#define SCTLR_BOOT		0x30C50830

	/*
	 * Symbols of the image are reached with adr (PC-relative, +-1 MB: the
	 * image up to its stacks is smaller, the link fails otherwise); the
	 * end of the stacks lies further, so it takes adrp/add.
	 */
	.section .text.entry, "ax"
	.globl	rmm_entry
	/* SAFETY: runs before any stack exists; only x9 is scratch and x0 is bounded before use. */
rmm_entry:
	mov	x9, #PLAT_MAX_CPUS
	cmp	x0, x9
	b.hs	bad_cpu_id

	/* SAFETY: known EL2 state with the MMU off; HCR/SCTLR values are constants above. */
	mov	x9, #(HCR_BOOT & 0xffffffff)
	movk	x9, #(HCR_BOOT >> 32), lsl #32
	msr	hcr_el2, x9
	mov	x9, #(SCTLR_BOOT & 0xffff)
	movk	x9, #(SCTLR_BOOT >> 16), lsl #16
	msr	sctlr_el2, x9
	isb

	/* Per-CPU stack slot: main stack in SP_EL2, exception stack in SP_EL0. */
	/* SAFETY: x0 < PLAT_MAX_CPUS was checked above, so the slot lies inside .stacks. */
	adr	x9, __stacks_start
	mov	x10, #STACK_SLOT_SIZE
	madd	x9, x0, x10, x9
	add	x10, x9, #STACK_EXC_TOP
	msr	sp_el0, x10
	add	x10, x9, #STACK_MAIN_TOP
	mov	sp, x10
	msr	tpidr_el2, x0

	/* SAFETY: the vector table is linked into this image, 2 KB aligned. */
	adr	x9, rmm_vectors
	msr	vbar_el2, x9
	isb

	/*
	 * Cold or warm (el3.md 2: the RMM remembers that cold boot was done):
	 * the first word of the configuration, zero in the image, is set at
	 * the start of cold boot and read-only with the rest after it.
	 */
	/* SAFETY: rmm_config_obj (kernel/config.c) starts with that 8-byte word, in this image's .ro_after_boot. */
	adr	x9, rmm_config_obj
	ldr	x10, [x9]
	cbnz	x10, warm

	/*
	 * Cold boot: drop stale cache lines over everything written before the
	 * MMU is on (the configuration, data, BSS, tables, stacks), zero BSS.
	 * Only x9/x10 are used: x0..x3 go to kernel_cold_boot() as they came.
	 */
	/* SAFETY: the loops stay within [__ro_after_boot_start, __rmm_end) and [__bss_start, __bss_end) of this image; no other CPU runs yet. */
	str	x9, [x9]		/* any nonzero value: the word's own address */
	adr	x9, __ro_after_boot_start
	adrp	x10, __rmm_end
	add	x10, x10, :lo12:__rmm_end
1:	dc	civac, x9
	add	x9, x9, #64
	cmp	x9, x10
	b.lo	1b
	dsb	sy
	adr	x9, __bss_start
	adr	x10, __bss_end
2:	cmp	x9, x10
	b.hs	3f
	stp	xzr, xzr, [x9], #16
	b	2b
3:	bl	kernel_cold_boot
	b	halt

	/* SAFETY: plain calls into C on a valid stack; C never returns here. */
warm:
	bl	kernel_warm_boot
halt:
	wfe
	b	halt

	/* SAFETY: reports the error to EL3, which never returns after a boot error. */
bad_cpu_id:
	mov	x1, #E_RMM_BOOT_CPU_ID_OUT_OF_RANGE
	mov	x0, #(RMM_BOOT_COMPLETE & 0xffff)
	movk	x0, #(RMM_BOOT_COMPLETE >> 16), lsl #16
	smc	#0
	b	halt


