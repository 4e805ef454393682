/*
 * System register accessors, generated from arch/aarch64/sysregs.def.
 * These two asm statements are the only mrs/msr in C code.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define SYSREG_READ_(name, enc)						\
	static inline uint64_t read_##name(void)			\
	{								\
		uint64_t v;						\
		/* SAFETY: mrs has no memory effect; enc comes from sysregs.def. */ \
		__asm__ volatile("mrs %0, " #enc : "=r"(v));		\
		return v;						\
	}
#define SYSREG_WRITE_(fn, enc)						\
	static inline void fn(uint64_t v)				\
	{								\
		/* SAFETY: msr of a register listed in sysregs.def; callers of crit_ writes are audited. */ \
		__asm__ volatile("msr " #enc ", %0" : : "r"(v) : "memory"); \
	}

#define SYSREG_RO(name, enc)	SYSREG_READ_(name, enc)
#define SYSREG_RW(name, enc)	SYSREG_READ_(name, enc) SYSREG_WRITE_(write_##name, enc)
#define SYSREG_CRIT(name, enc)	SYSREG_READ_(name, enc) SYSREG_WRITE_(crit_write_##name, enc)
#include "../../sysregs.def"
#undef SYSREG_RO
#undef SYSREG_RW
#undef SYSREG_CRIT

#endif
