/* Counting wrappers of the granule service handlers (see handler_count.h). */
#include <ipc/granule.h>

#include "handler_count.h"

unsigned int hc_granule;

HC_WRAP(hc_granule, int32_t, granule_handle_delegate,
	(struct granule_state *st, const struct granule_delegate_req *req), (st, req))
HC_WRAP(hc_granule, int32_t, granule_handle_undelegate,
	(struct granule_state *st, const struct granule_undelegate_req *req), (st, req))
HC_WRAP(hc_granule, int32_t, granule_handle_claim,
	(struct granule_state *st, const struct granule_claim_req *req), (st, req))
HC_WRAP(hc_granule, int32_t, granule_handle_lookup,
	(struct granule_state *st, const struct granule_lookup_req *req), (st, req))
HC_WRAP(hc_granule, int32_t, granule_handle_release,
	(struct granule_state *st, const struct granule_release_req *req), (st, req))
HC_WRAP(hc_granule, int32_t, granule_handle_state,
	(struct granule_state *st, const struct granule_state_req *req,
	 struct granule_state_rep *rep), (st, req, rep))
