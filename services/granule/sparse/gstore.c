/* "sparse" variant: hash table of the granules that are not UNDELEGATED. */
#include "../gstore.h"
#include "granule_state.h"

/* Load factor at most 3/4 keeps linear probes short. */
#define LOAD_NUM	3u
#define LOAD_DEN	4u
#define STATE_MASK	0xffull

static uint64_t slot_key(uint64_t slot)
{
	return slot >> 8;	/* granule index + 1; 0 = empty */
}

static uint64_t home(const struct granule_state *st, uint64_t key)
{
	return ((key * 0x9E3779B97F4A7C15ull) >> 20) & (st->capacity - 1u);
}

uint64_t granule_table_words(uint64_t count)
{
	/*
	 * Room for one granule in 16 to be delegated at once (256 MB of every
	 * 4 GB): about 0.7 bytes per granule of DRAM against the array's 1.
	 */
	uint64_t want = count / 16u * LOAD_DEN / LOAD_NUM + 1u, cap = 64;

	while (cap < want)
		cap *= 2u;
	return cap;
}

bool granule_init(struct granule_state *st, uint64_t *table, uint64_t words,
		  const struct granule_bank *banks, unsigned int bank_count)
{
	uint64_t cap = 64;

	if (!granule_banks_set(&st->banks, banks, bank_count))
		return false;
	while (cap * 2u <= words)
		cap *= 2u;
	if (cap > words)
		return false;
	st->slots = table;
	st->capacity = cap;
	st->used = 0;
	for (uint64_t i = 0; i < cap; i++)
		st->slots[i] = 0;
	return true;
}

/* Slot holding key, or the empty slot where it would go. */
static uint64_t find(const struct granule_state *st, uint64_t key)
{
	uint64_t i = home(st, key);

	while (st->slots[i] != 0u && slot_key(st->slots[i]) != key)
		i = (i + 1u) & (st->capacity - 1u);
	return i;
}

bool gstore_get(const struct granule_state *st, uint64_t pa, uint32_t *state)
{
	uint64_t idx, s;

	if (!granule_index(&st->banks, pa, &idx))
		return false;
	s = st->slots[find(st, idx + 1u)];
	*state = s == 0u ? 0u : (uint32_t)(s & STATE_MASK);
	return true;
}

bool gstore_can_set(const struct granule_state *st, uint64_t pa, uint32_t state)
{
	uint64_t idx;

	if (!granule_index(&st->banks, pa, &idx))
		return false;
	if (state == 0u || st->slots[find(st, idx + 1u)] != 0u)
		return true;	/* removal or update in place */
	return (st->used + 1u) * LOAD_DEN <= st->capacity * LOAD_NUM;
}

/* Backward-shift deletion: keep every later key reachable from its home. */
static void remove_at(struct granule_state *st, uint64_t i)
{
	uint64_t mask = st->capacity - 1u, j = i;

	for (;;) {
		uint64_t h;

		j = (j + 1u) & mask;
		if (st->slots[j] == 0u)
			break;
		h = home(st, slot_key(st->slots[j]));
		/* move j back to i unless its home lies cyclically in (i, j] */
		if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
			st->slots[i] = st->slots[j];
			i = j;
		}
	}
	st->slots[i] = 0;
	st->used--;
}

void gstore_set(struct granule_state *st, uint64_t pa, uint32_t state)
{
	uint64_t idx, i;

	if (!gstore_can_set(st, pa, state) || !granule_index(&st->banks, pa, &idx))
		return;
	i = find(st, idx + 1u);
	if (state == 0u) {
		if (st->slots[i] != 0u)
			remove_at(st, i);
		return;
	}
	if (st->slots[i] == 0u)
		st->used++;
	st->slots[i] = ((idx + 1u) << 8) | state;
}
