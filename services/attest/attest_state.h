/* Attestation service state. */
#ifndef SERVICES_ATTEST_STATE_H
#define SERVICES_ATTEST_STATE_H

#include <stdint.h>

struct attest_state {
	uint64_t measurements;	/* hash operations performed (statistics) */
};

void attest_init(struct attest_state *st);

#endif
