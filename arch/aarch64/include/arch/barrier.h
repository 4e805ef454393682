/* Barriers, TLB and cache maintenance: the remaining C-level asm of the arch layer. */
#ifndef ARCH_BARRIER_H
#define ARCH_BARRIER_H

#include <stdint.h>

/* NOLINTBEGIN(bugprone-macro-parentheses): insn is a string literal */
/* SAFETY: barrier instructions only order memory; no operands. */
#define ARCH_INSN_(name, insn) \
	static inline void name(void) { __asm__ volatile(insn ::: "memory"); }

ARCH_INSN_(dsb_ish, "dsb ish")
ARCH_INSN_(dsb_sy, "dsb sy")
ARCH_INSN_(isb, "isb")
ARCH_INSN_(tlbi_alle2, "tlbi alle2")
ARCH_INSN_(ic_iallu, "ic iallu")
ARCH_INSN_(wfe, "wfe")
ARCH_INSN_(tlbi_vmalle1is, "tlbi vmalle1is")
ARCH_INSN_(tlbi_vmalls12e1is, "tlbi vmalls12e1is")
ARCH_INSN_(sev, "sev")

/* SAFETY: cache and TLB maintenance by address: no memory contents change. */
#define ARCH_INSN_REG_(name, insn) \
	static inline void name(uint64_t x) { __asm__ volatile(insn " %0" : : "r"(x) : "memory"); }
/* NOLINTEND(bugprone-macro-parentheses) */

/* Clean and invalidate one data-cache line by address. */
ARCH_INSN_REG_(dc_civac, "dc civac,")
/* Invalidate this CPU's EL2 TLB entries for one page (operand: VA >> 12). */
ARCH_INSN_REG_(tlbi_vale2, "tlbi vale2,")
/* Invalidate every CPU's EL2 TLB entries for one page (operand: VA >> 12). */
ARCH_INSN_REG_(tlbi_vae2is, "tlbi vae2is,")
/* Translate VA for an EL2 write; the answer (or the abort) lands in PAR_EL1. */
ARCH_INSN_REG_(at_s1e2w, "at s1e2w,")
/* Invalidate stage-2 entries for one IPA page of the current VMID, all CPUs (IPA >> 12). */
ARCH_INSN_REG_(tlbi_ipas2e1is, "tlbi ipas2e1is,")

/* Read the current SVE vector length in bytes (rdvl x0, #1). */
static inline uint64_t sve_rdvl(void)
{
	uint64_t v;
	/* SAFETY: rdvl only reads the vector length; caller enabled SVE in CPTR_EL2. */
	__asm__ volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(v));
	return v;
}

#endif
