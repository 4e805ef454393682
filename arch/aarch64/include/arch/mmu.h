/*
 * EL2&0 stage-1 translation for the RMM itself: an identity map built once
 * at cold boot, 4 KB pages, 39-bit VA, W^X enforced by SCTLR_EL2.WXN.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>

enum mmu_attr {
	MMU_TEXT,	/* read-only, executable */
	MMU_RO,		/* read-only, never executable */
	MMU_RW,		/* read-write, never executable */
	MMU_DEVICE,	/* device nGnRE, read-write, never executable */
};

/* Addresses of the image sections, filled in by the linker script. */
struct image_layout {
	uint64_t text_start, text_end;
	uint64_t rodata_start, rodata_end;
	uint64_t data_start, data_end;
	uint64_t pgtables_start, pgtables_end;
	uint64_t stacks_start, stacks_end;
	uint64_t image_end;
};
extern const struct image_layout rmm_image_layout;

/* Identity-map [pa, pa + size) (page aligned). Cold boot only, MMU off. */
bool mmu_map(uint64_t pa, uint64_t size, enum mmu_attr attr);

/* Turn the MMU on for the calling CPU with the tables built so far. */
void mmu_enable(uint64_t parange);

/*
 * Per-CPU mapping slots: a granule is mapped at a CPU-private VA for the
 * duration of one access and unmapped (local TLBI) right after. Realm slots
 * map with the Realm PAS, the NS slot with the NS PAS, so a granule in the
 * wrong PAS faults (GPF) instead of being touched.
 */
enum mmu_slot {
	MMU_SLOT_REALM0,
	MMU_SLOT_REALM1,
	MMU_SLOT_NS,
	MMU_SLOT_COUNT,
};

/* Build the slot table (cold boot, before mmu_enable). */
bool mmu_slots_init(uint64_t cpu_count);
/* Map pa into the calling CPU's slot s; returns the slot VA. */
uint64_t mmu_slot_map(unsigned int cpu, enum mmu_slot s, uint64_t pa);
void mmu_slot_unmap(unsigned int cpu, enum mmu_slot s);

#endif
