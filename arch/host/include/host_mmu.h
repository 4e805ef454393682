/* Host only: what arch/host/mmu.c tells arch/host/copy.c about the slots. */
#ifndef HOST_MMU_H
#define HOST_MMU_H

#include <machine.h>
#include <stdbool.h>
#include <stdint.h>

/* If a slot of the calling CPU maps the granule of pa, its PAS. */
bool host_slot_pas(uint64_t pa, enum sim_pas *pas);

#endif
