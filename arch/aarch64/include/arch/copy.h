#ifndef ARCH_COPY_H
#define ARCH_COPY_H

#include <stddef.h>
#include <stdint.h>

/* Fault-tolerant copy (len multiple of 8, 8-byte aligned): 0, or -1 on a fault. */
int arch_copy_nofault(void *dst, const void *src, size_t len);

/* If a fault at elr hit arch_copy_nofault, return the fixup address (else 0). */
uint64_t arch_copy_fault_fixup(uint64_t elr);

#endif
