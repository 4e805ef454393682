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

#endif
