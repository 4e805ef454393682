/*
 * Benchmark realm payload (R-EL1, MMU off, loaded at IPA 0 by the benchmark
 * host with DATA_CREATE, entered at PC 0). Its RsiHostCall structure lives
 * at IPA 0x1000 (a second DATA granule). In order:
 *
 * 0. host call imm 0: the host answers gprs[0] = N (calls per row)
 * 1. N host calls (imm 1): the host measures REC_ENTER -> host-call exit;
 *    then N more (imm 6), each after an FP instruction: the same with the
 *    RMM's lazy FP/SIMD switch in every entry
 * 2. N 32-bit loads from the first unprotected IPA (1 << 38): the host
 *    measures REC_ENTER -> MMIO exit, emulating each read (EMUL_MMIO)
 * 3. N samples of each kind, measured here with CNTVCT_EL0 (one instruction
 *    per count under QEMU -icount shift=0) around the SMC and reported with
 *    a host call (imm = kind, gprs[0] = counter difference, gprs[1] = x0):
 *      kind 9: a nop instead of the SMC (the measurement's own overhead)
 *      kind 2: RSI_VERSION(1.0)
 *      kind 3: RSI_MEASUREMENT_EXTEND(index 1, 32 bytes)
 *      kind 4: RSI_IPA_STATE_GET([0, 4K))
 *      kind 5: a whole attestation token (TOKEN_SAMPLES samples):
 *              RSI_ATTESTATION_TOKEN_INIT, then CONTINUE into [0x1400, 0x1c00)
 *              of the host-call granule until it no longer says INCOMPLETE
 * 4. PSCI SYSTEM_OFF
 *
 * SMCCC: x0..x17 may change across an SMC; loop state lives in x19..x28.
 */
#define RSI_VERSION		0xC4000190
#define RSI_MEASUREMENT_EXTEND	0xC4000193
#define RSI_IPA_STATE_GET	0xC4000198
#define RSI_HOST_CALL		0xC4000199
#define RSI_TOKEN_INIT		0xC4000194
#define RSI_TOKEN_CONTINUE	0xC4000195
#define RSI_INCOMPLETE		3
#define TOKEN_SAMPLES		5
#define PSCI_SYSTEM_OFF		0x84000008
#define HOST_CALL_IPA		0x1000

	.macro	hostcall imm
	mov	x0, #\imm
	str	x0, [x19]
	bl	host_call
	.endm

	/* N samples of kind \kind: \setup prepares x0..x10, \insn is measured */
	.macro	samples kind, insn, setup:vararg
	mov	x21, x20
1:	\setup
	isb
	mrs	x23, cntvct_el0
	\insn
	mrs	x24, cntvct_el0
	sub	x24, x24, x23
	str	x24, [x19, #8]		/* gprs[0] */
	str	x0, [x19, #16]		/* gprs[1]: the call's status */
	hostcall \kind
	subs	x21, x21, #1
	b.ne	1b
	.endm

	.macro	set_version
	ldr	x0, =RSI_VERSION
	mov	x1, #0x10000
	.endm

	.macro	set_extend
	ldr	x0, =RSI_MEASUREMENT_EXTEND
	mov	x1, #1
	mov	x2, #32
	mov	x3, #0x11
	mov	x4, #0x22
	mov	x5, #0x33
	mov	x6, #0x44
	.endm

	.macro	set_ipa_state
	ldr	x0, =RSI_IPA_STATE_GET
	mov	x1, #0
	mov	x2, #0x1000
	.endm

	.arch_extension fp
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD at EL1 without a trap */
	msr	cpacr_el1, x0
	isb
	mov	x19, #HOST_CALL_IPA
	mov	x0, #HOST_CALL_IPA
	add	sp, x0, #0x1000		/* stack: top of the host-call page (unused so far) */
	/* 0: how many */
	hostcall 0
	mov	x20, x0
	cbz	x20, 9f
	/* 1: host-call exits */
	mov	x21, x20
2:	hostcall 1
	subs	x21, x21, #1
	b.ne	2b
	/* 1b: host-call exits, the realm using FP/SIMD in every entry */
	mov	x21, x20
4:	fmov	d0, x21
	hostcall 6
	subs	x21, x21, #1
	b.ne	4b
	/* 2: MMIO exits */
	mov	x21, x20
	movz	x22, #0x40, lsl #32	/* 1 << 38 */
3:	ldr	w0, [x22]
	subs	x21, x21, #1
	b.ne	3b
	/* 3: RSI calls measured from the realm */
	samples	9, nop, set_version
	samples	2, smc #0, set_version
	samples	3, smc #0, set_extend
	samples	4, smc #0, set_ipa_state
	/* kind 5: whole tokens */
	mov	x21, #TOKEN_SAMPLES
5:	isb
	mrs	x23, cntvct_el0
	ldr	x0, =RSI_TOKEN_INIT
	mov	x1, x21			/* challenge: the sample number, then zeros */
	.irp	r,2,3,4,5,6,7,8
	mov	x\r, #0
	.endr
	smc	#0
6:	ldr	x0, =RSI_TOKEN_CONTINUE
	mov	x1, #HOST_CALL_IPA
	mov	x2, #0x400
	mov	x3, #0x800
	smc	#0
	cmp	x0, #RSI_INCOMPLETE
	b.eq	6b
	mrs	x24, cntvct_el0
	sub	x24, x24, x23
	str	x24, [x19, #8]
	str	x0, [x19, #16]
	hostcall 5
	subs	x21, x21, #1
	b.ne	5b
9:	ldr	x0, =PSCI_SYSTEM_OFF
	smc	#0
	b	9b

/* RSI_HOST_CALL with the structure at HOST_CALL_IPA; returns the host's gprs[0]. */
host_call:
	ldr	x0, =RSI_HOST_CALL
	mov	x1, x19
	smc	#0
	ldr	x0, [x19, #8]
	ret

	.ltorg
