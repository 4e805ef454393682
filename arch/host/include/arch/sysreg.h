/*
 * Host twin of arch/aarch64/include/arch/sysreg.h: the same accessors,
 * generated from the same arch/aarch64/sysregs.def, over a register file
 * per simulated CPU (arch/host/sysreg.c). A CPU is the calling thread's
 * host_set_cpu_id(); every CPU starts from the same ID register values.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

/* One index per register of sysregs.def. */
enum host_sysreg {
#define SYSREG_RO(name, enc)	HSR_##name,
#define SYSREG_RW(name, enc)	HSR_##name,
#define SYSREG_CRIT(name, enc)	HSR_##name,
#include "../../../aarch64/sysregs.def"
#undef SYSREG_RO
#undef SYSREG_RW
#undef SYSREG_CRIT
	HSR_COUNT
};

/* Read/write register r of the calling CPU (RNDR reads fresh values). */
uint64_t host_sysreg_read(enum host_sysreg r);
void host_sysreg_write(enum host_sysreg r, uint64_t v);

#define SYSREG_READ_(name)						\
	static inline uint64_t read_##name(void)			\
	{								\
		return host_sysreg_read(HSR_##name);			\
	}
#define SYSREG_WRITE_(fn, name)						\
	static inline void fn(uint64_t v)				\
	{								\
		host_sysreg_write(HSR_##name, v);			\
	}

#define SYSREG_RO(name, enc)	SYSREG_READ_(name)
#define SYSREG_RW(name, enc)	SYSREG_READ_(name) SYSREG_WRITE_(write_##name, name)
#define SYSREG_CRIT(name, enc)	SYSREG_READ_(name) SYSREG_WRITE_(crit_write_##name, name)
#include "../../../aarch64/sysregs.def"
#undef SYSREG_RO
#undef SYSREG_RW
#undef SYSREG_CRIT

#endif
