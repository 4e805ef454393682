#include "common.h"

bool granule_banks_set(struct granule_banks *b, const struct granule_bank *banks,
		       unsigned int count)
{
	uint64_t first = 0;

	if (count == 0u || count > GRANULE_SVC_MAX_BANKS)
		return false;
	for (unsigned int i = 0; i < count; i++) {
		b->bank[i].base = banks[i].base;
		b->bank[i].size = banks[i].size;
		b->bank[i].first = first;
		first += banks[i].size / 4096u;
	}
	b->count = count;
	b->total = first;
	return true;
}

bool granule_index(const struct granule_banks *b, uint64_t pa, uint64_t *idx)
{
	if ((pa & 0xfffu) != 0u)
		return false;
	for (unsigned int i = 0; i < b->count; i++) {
		if (pa >= b->bank[i].base && pa - b->bank[i].base < b->bank[i].size) {
			*idx = b->bank[i].first + (pa - b->bank[i].base) / 4096u;
			return true;
		}
	}
	return false;
}
