/*
 * Reference model of the granule service (states.md 1 and the rules of
 * services/granule/handlers.c), for randomized tests: one state per tracked
 * granule, plus the fake EL3's view (a granule the fake marked SECURE is
 * never delegated) and an optional limit on granules not UNDELEGATED (the
 * sparse variant's load limit: delegate fails with BAD_ADDR beyond it).
 */
#ifndef TESTS_UNIT_SVC_GRANULE_MODEL_H
#define TESTS_UNIT_SVC_GRANULE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ipc/granule.h>

#include "fake_kernel.h"

#define GM_MAX_BANKS 4u

struct gmodel {
	uint64_t base[GM_MAX_BANKS], granules[GM_MAX_BANKS], first[GM_MAX_BANKS];
	unsigned int banks;
	uint64_t total;
	uint8_t state[FK_MAX_GRANULES];
	bool secure[FK_MAX_GRANULES];	/* EL3 refuses to delegate */
	uint64_t used;			/* granules not UNDELEGATED */
	uint64_t limit;
};

static inline void gm_init(struct gmodel *m, const struct fk_bank *b, unsigned int n,
			   uint64_t limit)
{
	memset(m, 0, sizeof(*m));
	for (unsigned int i = 0; i < n; i++) {
		m->base[i] = b[i].base;
		m->granules[i] = b[i].granules;
		m->first[i] = m->total;
		m->total += b[i].granules;
	}
	m->banks = n;
	m->limit = limit;
}

/* Index of a tracked granule, -1 if pa is not one. */
static inline long gm_index(const struct gmodel *m, uint64_t pa)
{
	if ((pa & 0xfffu) != 0u)
		return -1;
	for (unsigned int i = 0; i < m->banks; i++) {
		if (pa >= m->base[i] && (pa - m->base[i]) / 4096u < m->granules[i])
			return (long)(m->first[i] + (pa - m->base[i]) / 4096u);
	}
	return -1;
}

static inline int32_t gm_delegate(struct gmodel *m, uint64_t pa)
{
	long i = gm_index(m, pa);

	if (i < 0)
		return GRANULE_GSTATUS_BAD_ADDR;
	if (m->state[i] != GRANULE_GSTATE_UNDELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	if (m->used + 1u > m->limit)
		return GRANULE_GSTATUS_BAD_ADDR;	/* tracking structure full */
	if (m->secure[i])
		return GRANULE_GSTATUS_EL3_REFUSED;
	m->state[i] = GRANULE_GSTATE_DELEGATED;
	m->used++;
	return GRANULE_GSTATUS_OK;
}

static inline int32_t gm_undelegate(struct gmodel *m, uint64_t pa)
{
	long i = gm_index(m, pa);

	if (i < 0)
		return GRANULE_GSTATUS_BAD_ADDR;
	if (m->state[i] != GRANULE_GSTATE_DELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	m->state[i] = GRANULE_GSTATE_UNDELEGATED;
	m->used--;
	return GRANULE_GSTATUS_OK;
}

/* Only EL3 moves a granule out of or into UNDELEGATED. */
static inline int32_t gm_claim(struct gmodel *m, uint64_t pa, uint32_t from, uint32_t to)
{
	long i = gm_index(m, pa);

	if (i < 0)
		return GRANULE_GSTATUS_BAD_ADDR;
	if (m->state[i] != from || from == GRANULE_GSTATE_UNDELEGATED ||
	    to == GRANULE_GSTATE_UNDELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	m->state[i] = (uint8_t)to;
	return GRANULE_GSTATUS_OK;
}

static inline int32_t gm_lookup(const struct gmodel *m, uint64_t pa, uint32_t expect)
{
	long i = gm_index(m, pa);

	if (i < 0)
		return GRANULE_GSTATUS_BAD_ADDR;
	if (m->state[i] != expect || expect == GRANULE_GSTATE_UNDELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	return GRANULE_GSTATUS_OK;
}

/* Back to DELEGATED (zero-filled) from an object state. */
static inline int32_t gm_release(struct gmodel *m, uint64_t pa, uint32_t from)
{
	long i = gm_index(m, pa);

	if (i < 0)
		return GRANULE_GSTATUS_BAD_ADDR;
	if (m->state[i] != from || from == GRANULE_GSTATE_UNDELEGATED ||
	    from == GRANULE_GSTATE_DELEGATED)
		return GRANULE_GSTATUS_BAD_STATE;
	m->state[i] = GRANULE_GSTATE_DELEGATED;
	return GRANULE_GSTATUS_OK;
}

static inline int32_t gm_state(const struct gmodel *m, uint64_t pa, uint32_t *state)
{
	long i = gm_index(m, pa);

	if (i < 0)
		return GRANULE_GSTATUS_BAD_ADDR;
	*state = m->state[i];
	return GRANULE_GSTATUS_OK;
}

/* A small deterministic PRNG (xorshift64*), so runs are reproducible. */
static inline uint64_t gm_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

#endif
