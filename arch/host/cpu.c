/* Host twin of the CPU index (arch/host/include/arch/cpu.h). */
#include <arch/cpu.h>
#include <stdio.h>
#include <stdlib.h>

#define CPU_UNSET	0xFFFFFFFFu

/* Per-thread: which CPU this test thread plays. */
static _Thread_local unsigned int host_cpu = CPU_UNSET;

void host_set_cpu_id(unsigned int cpu)
{
	if (cpu >= PLAT_MAX_CPUS) {
		fprintf(stderr, "ERROR: host_set_cpu_id(%u): PLAT_MAX_CPUS is %u\n", cpu,
			(unsigned int)PLAT_MAX_CPUS);
		abort();
	}
	host_cpu = cpu;
}

unsigned int arch_cpu_id(void)
{
	if (host_cpu == CPU_UNSET) {
		fprintf(stderr, "ERROR: arch_cpu_id() on a thread without host_set_cpu_id()\n");
		abort();
	}
	return host_cpu;
}
