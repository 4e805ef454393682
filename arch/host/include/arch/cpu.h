/*
 * Host twin of arch/aarch64/include/arch/cpu.h, for unit tests.
 *
 * On the target the linear CPU index lives in TPIDR_EL2 (set at boot). On
 * the host every test thread plays one CPU and names it with
 * host_set_cpu_id() before it enters kernel code; the index is thread-local.
 * A thread that has not set it, or an index >= PLAT_MAX_CPUS, aborts on its
 * first arch_cpu_id() (a test bug, never a silent CPU 0).
 * Implementation: arch/host/cpu.c.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

/* Linear index of the calling CPU (the calling thread's host_set_cpu_id()). */
unsigned int arch_cpu_id(void);

/* Host only: make the calling thread CPU cpu (0 .. PLAT_MAX_CPUS-1). */
void host_set_cpu_id(unsigned int cpu);

#endif
