/* Stage-2 translation table (RTT) entry format and primitives (structures.md 10). */
#ifndef KERNEL_S2_H
#define KERNEL_S2_H

#include <stdbool.h>
#include <stdint.h>

#define S2_ENTRIES		512u
#define S2TTE_UNASSIGNED_EMPTY	0x0ull
#define S2TTE_UNASSIGNED_RAM	0x20ull
#define S2TTE_UNASSIGNED_DESTROYED 0x40ull
#define S2TTE_NS		(1ull << 55)
#define S2TTE_UNASSIGNED_NS	S2TTE_NS
#define S2TTE_HIPAS_ASSIGNED	(1ull << 2)
#define S2TTE_TYPE_MASK		3ull
#define S2TTE_TYPE_TABLE	3ull

struct kapi_rtte;
struct rd_s2;

/* Live entry for the RTT refcount: TABLE or protected ASSIGNED (rmi.md 1). */
bool s2tte_counts_live(uint64_t e);
/* Number of live entries of one RTT (its refcount). */
uint32_t s2_live_entries(const uint64_t tbl[S2_ENTRIES]);
/* Bytes of IPA space one entry at `level` maps. */
uint64_t s2_map_size(int32_t level);
void s2tte_decode(uint64_t e, int32_t level, struct kapi_rtte *out);
uint64_t s2tte_encode(const struct kapi_rtte *e);
/* Walk the realm's tables for ipa down to level 3; the entry reached. */
bool s2_translate(const struct rd_s2 *c, uint64_t ipa, struct kapi_rtte *out);
/* Replace the entry at exactly `level` (which must still be expect_raw), with TLBI as needed. */
bool s2_set(const struct rd_s2 *c, uint64_t ipa, int32_t level, uint64_t expect_raw,
	    const struct kapi_rtte *e);

#endif
