/*
 * Host twin of arch/aarch64/mmu.c. The RMM's own stage 1 is an identity map
 * of simulated memory, so there are no tables to build: what stays is the
 * record of which ranges were made read-only (mmu_writable() answers from
 * it, as AT S1E2W would) and the per-CPU mapping slots, which remember what
 * each CPU mapped and in which PAS, so that arch/host/copy.c can fault an
 * access the GPT refuses.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <host_mmu.h>
#include <host_state.h>
#include <machine.h>
#include <stdio.h>
#include <stdlib.h>

#define RO_RANGES	8u

static struct {
	uint64_t base, end;
} ro[RO_RANGES];
static unsigned int ro_count;

struct slot {
	bool mapped;
	uint64_t pa;
};
static struct slot slots[PLAT_MAX_CPUS][MMU_SLOT_COUNT];

void mmu_tables_init(struct mmu_tables *m, uint64_t *pool)
{
	m->pool = pool;
	m->used = 1;
	m->slot_table = 0;
}

bool mmu_map(struct mmu_tables *m, uint64_t pa, uint64_t size, enum mmu_attr attr)
{
	(void)m;
	(void)attr;
	return (pa & (SIM_GRANULE - 1u)) == 0u && (size & (SIM_GRANULE - 1u)) == 0u;
}

bool mmu_protect(struct mmu_tables *m, uint64_t pa, uint64_t size, enum mmu_attr attr)
{
	(void)m;
	if (attr != MMU_RO && attr != MMU_TEXT)
		return true;
	if (ro_count == RO_RANGES)
		return false;
	ro[ro_count].base = pa;
	ro[ro_count].end = pa + size;
	ro_count++;
	return true;
}

bool mmu_writable(uint64_t va)
{
	for (unsigned int i = 0; i < ro_count; i++)
		if (va >= ro[i].base && va < ro[i].end)
			return false;
	return true;
}

void mmu_enable(uint64_t parange)
{
	(void)parange;
}

bool mmu_slots_init(struct mmu_tables *m, uint64_t cpu_count)
{
	(void)m;
	return cpu_count <= PLAT_MAX_CPUS;
}

static enum sim_pas slot_pas(enum mmu_slot s)
{
	return s == MMU_SLOT_NS ? SIM_PAS_NS : SIM_PAS_REALM;
}

uint64_t mmu_slot_map(const struct mmu_tables *m, unsigned int cpu, enum mmu_slot s, uint64_t pa)
{
	void *p = sim_pa_ptr(pa, SIM_GRANULE);

	(void)m;
	if (cpu != arch_cpu_id() || s >= MMU_SLOT_COUNT || p == NULL ||
	    (pa & (SIM_GRANULE - 1u)) != 0u || slots[cpu][s].mapped) {
		fprintf(stderr, "ERROR: mmu_slot_map(cpu %u, slot %d, PA 0x%llx)%s\n", cpu, (int)s,
			(unsigned long long)pa,
			s < MMU_SLOT_COUNT && cpu < PLAT_MAX_CPUS && slots[cpu][s].mapped ?
			": slot already mapped" : "");
		abort();
	}
	/*
	 * A Realm slot is only ever mapped to be read or written at once; a
	 * granule the GPT does not give the Realm PAS would take a granule
	 * protection fault there, which the RMM treats as fatal.
	 */
	if (slot_pas(s) == SIM_PAS_REALM && sim_gpt_get(pa) != SIM_PAS_REALM) {
		fprintf(stderr, "ERROR: Realm slot of CPU %u maps PA 0x%llx, not in the Realm PAS "
			"(a GPF on the first access)\n", cpu, (unsigned long long)pa);
		abort();
	}
	if (slot_pas(s) == SIM_PAS_REALM)
		sim_realm_slot_map(pa);
	slots[cpu][s].mapped = true;
	slots[cpu][s].pa = pa;
	return (uint64_t)(uintptr_t)p;
}

void mmu_slot_unmap(const struct mmu_tables *m, unsigned int cpu, enum mmu_slot s)
{
	(void)m;
	if (cpu != arch_cpu_id() || s >= MMU_SLOT_COUNT || !slots[cpu][s].mapped) {
		fprintf(stderr, "ERROR: mmu_slot_unmap(cpu %u, slot %d) of an unmapped slot\n", cpu,
			(int)s);
		abort();
	}
	slots[cpu][s].mapped = false;
	if (slot_pas(s) == SIM_PAS_REALM)
		sim_realm_slot_unmap(slots[cpu][s].pa);
}

bool host_slot_pas(uint64_t pa, enum sim_pas *pas)
{
	unsigned int cpu = arch_cpu_id();
	uint64_t g = pa & ~(SIM_GRANULE - 1u);

	for (unsigned int s = 0; s < MMU_SLOT_COUNT; s++)
		if (slots[cpu][s].mapped && slots[cpu][s].pa == g) {
			*pas = slot_pas((enum mmu_slot)s);
			return true;
		}
	return false;
}

size_t host_mmu_regions(struct sim_region *r)
{
	r[0] = (struct sim_region){ ro, sizeof(ro) };
	r[1] = (struct sim_region){ &ro_count, sizeof(ro_count) };
	r[2] = (struct sim_region){ slots, sizeof(slots) };
	return 3;
}
