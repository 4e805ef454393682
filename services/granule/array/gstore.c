/* "array" variant: O(1) lookup, one byte of table per granule of DRAM. */
#include "../gstore.h"
#include "granule_state.h"

uint64_t granule_table_words(uint64_t count)
{
	return (count + 7u) / 8u;
}

bool granule_init(struct granule_state *st, uint64_t *table, uint64_t words,
		  const struct granule_bank *banks, unsigned int bank_count)
{
	if (!granule_banks_set(&st->banks, banks, bank_count) ||
	    words < granule_table_words(st->banks.total))
		return false;
	st->table = table;
	for (uint64_t i = 0; i < granule_table_words(st->banks.total); i++)
		st->table[i] = 0;	/* every granule UNDELEGATED */
	return true;
}

bool gstore_get(const struct granule_state *st, uint64_t pa, uint32_t *state)
{
	uint64_t i;

	if (!granule_index(&st->banks, pa, &i))
		return false;
	*state = (uint32_t)(st->table[i / 8u] >> (8u * (i % 8u))) & 0xffu;
	return true;
}

bool gstore_can_set(const struct granule_state *st, uint64_t pa, uint32_t state)
{
	uint64_t i;

	(void)state;
	return granule_index(&st->banks, pa, &i);
}

void gstore_set(struct granule_state *st, uint64_t pa, uint32_t state)
{
	uint64_t i, shift;

	if (!granule_index(&st->banks, pa, &i))
		return;
	shift = 8u * (i % 8u);
	st->table[i / 8u] = (st->table[i / 8u] & ~(0xffull << shift)) | ((uint64_t)state << shift);
}
