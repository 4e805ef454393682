/*
 * A realm service that faults once asked to, for the quarantine test only
 * (make SERVICE_realm=faulty; tests/nshost/test_zz_quarantine.c): the real
 * service behind a wrapper of its dispatcher. A REALM_CREATE with 2
 * breakpoints and 2 watchpoints makes it read the kernel's memory before
 * it does anything; every other message goes to the real service.
 */
#include <ipc/realm.h>
#include <realm_state.h>
#include <stdint.h>
#include <string.h>

#undef realm_dispatch	/* services.mk renamed the real one realm_dispatch_real */

enum ipc_status realm_dispatch(struct realm_state *st, uint16_t op, const uint8_t *msg,
			       size_t len, uint8_t *rep, size_t cap, size_t *rep_len,
			       int32_t *status);

enum ipc_status realm_dispatch(struct realm_state *st, uint16_t op, const uint8_t *msg,
			       size_t len, uint8_t *rep, size_t cap, size_t *rep_len,
			       int32_t *status)
{
	struct realm_create_req r;

	if (op == REALM_OP_CREATE && len == sizeof(r)) {
		memcpy(&r, msg, sizeof(r));
		if (r.num_bps == 2u && r.num_wps == 2u) {
			/* SAFETY: deliberately unsafe: this test variant must fault. */
			const volatile uint64_t *kernel = (const volatile uint64_t *)(uintptr_t)RMM_BASE;

			return (enum ipc_status)(*kernel & 0xffu);
		}
	}
	return realm_dispatch_real(st, op, msg, len, rep, cap, rep_len, status);
}
