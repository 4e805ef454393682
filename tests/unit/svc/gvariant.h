/*
 * One granule-service variant behind a descriptor, so test_granule_diff can
 * link "array" and "sparse" side by side: each variant (handlers.c,
 * common.c, <variant>/gstore.c, the generated granule.c and gvariant.c) is
 * partially linked into one object whose only global symbol is its
 * descriptor (tests/unit/svc.mk).
 */
#ifndef TESTS_UNIT_SVC_GVARIANT_H
#define TESTS_UNIT_SVC_GVARIANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ipc/ipc.h>

#include "granule_svc.h"

struct gvariant {
	const char *name;
	/* granule_init() over the banks with granule_table_words() of table. */
	bool (*init)(const struct granule_bank *banks, unsigned int count);
	/* granule_dispatch() on the variant's state. */
	enum ipc_status (*dispatch)(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				    size_t rep_cap, size_t *rep_len, int32_t *svc_status);
	/* gstore_get(): the stored state of a tracked granule. */
	bool (*get)(uint64_t pa, uint32_t *state);
	/* How many granules may be in a state other than UNDELEGATED at once. */
	uint64_t (*limit)(void);
	const struct ipc_op_meta *ops;
	const size_t *ops_count;
};

extern const struct gvariant gvariant_array;
extern const struct gvariant gvariant_sparse;

#endif
