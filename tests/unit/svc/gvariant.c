/*
 * The descriptor of one granule-service variant (gvariant.h), compiled with
 * that variant's include path (-Iservices/granule/<variant>) and
 * -DGVARIANT_NAME=gvariant_<variant>.
 */
#include <ipc/granule.h>

#include "granule_state.h"
#include "gstore.h"
#include "gvariant.h"

#ifndef GVARIANT_NAME
#error "define GVARIANT_NAME"
#endif
#define STR2(x) #x
#define STR(x) STR2(x)

static struct granule_state st;
static uint64_t table[4096];

static bool init(const struct granule_bank *banks, unsigned int count)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < count; i++)
		total += banks[i].size / 4096u;
	if (granule_table_words(total) > sizeof(table) / sizeof(table[0]))
		return false;
	return granule_init(&st, table, granule_table_words(total), banks, count);
}

static enum ipc_status dispatch(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t rep_cap, size_t *rep_len, int32_t *svc_status)
{
	return granule_dispatch(&st, op, msg, len, rep, rep_cap, rep_len, svc_status);
}

static bool get(uint64_t pa, uint32_t *state)
{
	return gstore_get(&st, pa, state);
}

/* Only the sparse state has a capacity (load factor 3/4, sparse/gstore.c). */
static uint64_t limit(void)
{
#ifdef GVARIANT_IS_sparse
	return st.capacity * 3u / 4u;
#else
	return UINT64_MAX;
#endif
}

const struct gvariant GVARIANT_NAME = {
	.name = STR(GVARIANT_NAME),
	.init = init,
	.dispatch = dispatch,
	.get = get,
	.limit = limit,
	.ops = granule_ops,
	.ops_count = &granule_ops_count,
};
