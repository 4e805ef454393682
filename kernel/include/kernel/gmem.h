/*
 * Access to memory outside the RMM image, through per-CPU mapping slots:
 * gmem_* for granules in the Realm PAS (delegated granules; a fault there
 * is a broken invariant), ns_* for host memory (the one checked accessor
 * for non-secure memory: range-checked, copied by value, fault-tolerant,
 * never returns a pointer).
 */
#ifndef KERNEL_GMEM_H
#define KERNEL_GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void gmem_read(uint64_t pa, size_t off, void *dst, size_t len);
void gmem_write(uint64_t pa, size_t off, const void *src, size_t len);
void gmem_zero(uint64_t pa, size_t off, size_t len);

/*
 * Move part of the SVE register file (at the current vector length) to or
 * from the granule pa, a REC_AUX granule of the REC this CPU runs: the
 * register file goes straight to the granule, never through a pointer the
 * caller holds.
 */
/*
 * The FP/SIMD register file (q0..q31, FPSR, FPCR: GMEM_FP_BYTES) saved into
 * or loaded from the granule at pa + off (16-byte aligned), in place.
 */
#define GMEM_FP_BYTES	528u
void gmem_fp_save(uint64_t pa, size_t off);
void gmem_fp_load(uint64_t pa, size_t off);

enum gmem_sve_part { GMEM_SVE_Z_LO, GMEM_SVE_Z_HI, GMEM_SVE_P_FFR };
void gmem_sve_save(uint64_t pa, enum gmem_sve_part part);
void gmem_sve_load(uint64_t pa, enum gmem_sve_part part);

/* Is [pa, pa + 4 KB) a granule of one of the manifest's DRAM banks? */
bool dram_granule_valid(uint64_t pa);
/* Its index among all DRAM granules, banks in manifest order (false if not one). */
bool dram_granule_index(uint64_t pa, uint64_t *idx);

/*
 * Copy len bytes at offset off of the NS granule pa into dst (or out of src).
 * off and len must be multiples of 8 within the granule. False, with dst
 * unspecified, if pa is not a DRAM granule or the access faults (the granule
 * is not in the NS PAS, e.g. delegated, the RMM's own or the EL3 shared page).
 */
bool ns_read(uint64_t pa, size_t off, void *dst, size_t len);
bool ns_write(uint64_t pa, size_t off, const void *src, size_t len);

#endif
