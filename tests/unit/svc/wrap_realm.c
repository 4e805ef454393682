/* Counting wrappers of the realm service handlers (see handler_count.h). */
#include <ipc/realm.h>

#include "handler_count.h"

unsigned int hc_realm;

HC_WRAP(hc_realm, int32_t, realm_handle_create,
	(struct realm_state *st, const struct realm_create_req *req), (st, req))
HC_WRAP(hc_realm, int32_t, realm_handle_activate,
	(struct realm_state *st, const struct realm_activate_req *req), (st, req))
HC_WRAP(hc_realm, int32_t, realm_handle_destroy,
	(struct realm_state *st, const struct realm_destroy_req *req), (st, req))
HC_WRAP(hc_realm, int32_t, realm_handle_aux_count,
	(struct realm_state *st, const struct realm_aux_count_req *req,
	 struct realm_aux_count_rep *rep), (st, req, rep))
