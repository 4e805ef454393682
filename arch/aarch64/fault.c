/* Recognising faults inside the fault-tolerant copy routine. */
#include <arch/copy.h>

extern const uint64_t arch_copy_nofault_range[3];

uint64_t arch_copy_fault_fixup(uint64_t elr)
{
	if (elr >= arch_copy_nofault_range[0] && elr < arch_copy_nofault_range[1])
		return arch_copy_nofault_range[2];
	return 0;
}
