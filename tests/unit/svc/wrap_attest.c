/* Counting wrappers of the attestation service handlers (see handler_count.h). */
#include <ipc/attest.h>

#include "handler_count.h"

unsigned int hc_attest;

HC_WRAP(hc_attest, int32_t, attest_handle_rim_init,
	(struct attest_state *st, const struct attest_rim_init_req *req), (st, req))
HC_WRAP(hc_attest, int32_t, attest_handle_read,
	(struct attest_state *st, const struct attest_read_req *req,
	 struct attest_read_rep *rep), (st, req, rep))
