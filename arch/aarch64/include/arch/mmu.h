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
	/* a service's own pages in its address space (not global, EL2 never executes them) */
	MMU_EL0_TEXT,	/* EL0 read-only, executable at EL0 */
	MMU_EL0_RO,	/* EL0 read-only */
	MMU_EL0_RW,	/* EL0 read-write, never executable */
};

/* Addresses of the image sections, filled in by the linker script. */
struct image_layout {
	uint64_t text_start, text_end;
	uint64_t rodata_start, rodata_end;
	uint64_t data_start, data_end;
	uint64_t ro_after_boot_start, ro_after_boot_end;
	uint64_t pgtables_start, pgtables_end;
	uint64_t stacks_start, stacks_end;
	uint64_t image_end;
};
extern const struct image_layout rmm_image_layout;

/*
 * Where the tables stand. The tables themselves are the linker's .pgtables
 * region (POOL_TABLES pages, arch/layout.h); this record of them is built at
 * cold boot and then kept in the sealed, read-only configuration, so after
 * boot only the slot entries (below) change.
 */
struct mmu_tables {
	uint64_t *pool;			/* the .pgtables region, POOL_TABLES tables */
	unsigned int used;		/* tables taken; table 0 is the root */
	unsigned int slot_table;	/* index of the slot L3 table */
};

/* Start with an empty pool (pool: the .pgtables region, from kernel/pa.h). */
void mmu_tables_init(struct mmu_tables *m, uint64_t *pool);

/* Identity-map [pa, pa + size) (page aligned). Cold boot only. */
bool mmu_map(struct mmu_tables *m, uint64_t pa, uint64_t size, enum mmu_attr attr);

/*
 * Change the attributes of pages mapped before (break-before-make, TLBs of
 * all CPUs invalidated). False, with nothing changed, if a page is unmapped.
 */
bool mmu_protect(struct mmu_tables *m, uint64_t pa, uint64_t size, enum mmu_attr attr);

/* Would an EL2 store to va succeed? Asked of the MMU (AT S1E2W), not of the tables. */
bool mmu_writable(uint64_t va);

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

/*
 * Address spaces of EL0 services (kernel/svc_el0.h), cold boot, MMU off.
 * A space starts as a copy of the kernel's root; mapping a page in it first
 * gives the space private copies of the tables on the page's path, so the
 * kernel's map and the other spaces never change. Pages mapped with
 * different rights in different spaces must not be global: mmu_set_ng()
 * makes the kernel's own entries for them not global before any copy.
 */
bool mmu_set_ng(struct mmu_tables *m, uint64_t pa, uint64_t size);
bool mmu_space_new(struct mmu_tables *m, unsigned int *root);
bool mmu_space_map(struct mmu_tables *m, unsigned int root, uint64_t pa, uint64_t size,
		   enum mmu_attr attr);
/* The TTBR0_EL2 value of a space. */
uint64_t mmu_space_ttbr(unsigned int root, uint16_t asid);

/* Build the slot table (cold boot, before mmu_enable). */
bool mmu_slots_init(struct mmu_tables *m, uint64_t cpu_count);
/* Map pa into the calling CPU's slot s; returns the slot VA. */
uint64_t mmu_slot_map(const struct mmu_tables *m, unsigned int cpu, enum mmu_slot s, uint64_t pa);
void mmu_slot_unmap(const struct mmu_tables *m, unsigned int cpu, enum mmu_slot s);

#endif
