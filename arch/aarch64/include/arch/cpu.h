#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <arch/sysreg.h>

/* Linear index of the calling CPU (set in TPIDR_EL2 at boot). */
static inline unsigned int arch_cpu_id(void)
{
	return (unsigned int)read_tpidr_el2();
}

#endif
