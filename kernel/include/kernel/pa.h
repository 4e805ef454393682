/*
 * Physical-address access: the one module that turns integers into
 * pointers for memory that is not a C object (the EL3 shared page, device
 * registers). All such casts in the kernel live in kernel/pa.c.
 */
#ifndef KERNEL_PA_H
#define KERNEL_PA_H

#include <stddef.h>
#include <stdint.h>

/* Copy n 64-bit words from physical address pa (identity-mapped or MMU off). */
void pa_read_words(uint64_t pa, uint64_t *dst, size_t n);
void pa_write_words(uint64_t pa, const uint64_t *src, size_t n);
uint32_t pa_mmio_read32(uint64_t pa);
/*
 * Pointer to mapped memory at virtual address va: a per-CPU mapping slot
 * (arch/mmu.h), or an EL0 service's own memory after kernel/svc_el0.c has
 * checked the range.
 */
uint8_t *pa_mapped_ptr(uint64_t va);
/* Pointer to RMM-private memory at pa (cold boot: the granule table, the MMU's .pgtables). */
uint64_t *pa_window_u64(uint64_t pa);
void pa_mmio_write32(uint64_t pa, uint32_t v);

#endif
