/*
 * Host twin of arch/aarch64/copy_nofault.S: a copy that "faults" (returns
 * -1, nothing copied) when either side is simulated memory mapped through a
 * slot whose PAS the GPT does not give that granule, as a granule
 * protection fault would stop the firmware's copy. Memory outside the
 * simulated DRAM (the RMM's own C objects) never faults.
 */
#include <arch/copy.h>
#include <host_mmu.h>
#include <machine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The PAS the slot mapping p expects, if p is simulated memory (else true: a C object). */
static bool slot_of(const void *p, size_t len, uint64_t *pa, enum sim_pas *pas)
{
	if (!sim_ptr_pa(p, pa))
		return false;
	if (!host_slot_pas(*pa, pas) ||
	    ((*pa + len - 1u) & ~(SIM_GRANULE - 1u)) != (*pa & ~(SIM_GRANULE - 1u))) {
		fprintf(stderr, "ERROR: arch_copy_nofault on PA 0x%llx (+%zu) outside a mapped slot\n",
			(unsigned long long)*pa, len);
		abort();
	}
	return true;
}

int arch_copy_nofault(void *dst, const void *src, size_t len)
{
	uint64_t spa, dpa;
	enum sim_pas spas, dpas;
	bool s, d;

	if (len == 0u)
		return 0;
	if ((len % 8u) != 0u || ((uintptr_t)dst % 8u) != 0u || ((uintptr_t)src % 8u) != 0u) {
		fprintf(stderr, "ERROR: arch_copy_nofault: unaligned (%p, %p, %zu)\n", dst, src, len);
		abort();
	}
	s = slot_of(src, len, &spa, &spas);
	d = slot_of(dst, len, &dpa, &dpas);
	if (s && d) {
		fprintf(stderr, "ERROR: arch_copy_nofault between two slots\n");
		abort();
	}
	if (s)
		return sim_copy_if_pas(spa, spas, dst, src, len) ? 0 : -1;
	if (d)
		return sim_copy_if_pas(dpa, dpas, dst, src, len) ? 0 : -1;
	memcpy(dst, src, len);
	return 0;
}

/* No exception ever reaches the host twin. */
uint64_t arch_copy_fault_fixup(uint64_t elr)
{
	(void)elr;
	return 0;
}
