/*
 * The kernel's narrow service-facing interface: the only kernel header a
 * service may include. Everything a service does outside its own state goes
 * through these calls or through ipc_call() (ipc/include/ipc/ipc.h).
 *
 * Leases are numbered per message: lease i is the i-th granule_ref field of
 * the request, then the lease_fwd fields follow. A granule_ref lease starts
 * as an inactive candidate (except in the granule service, the authority on
 * granule states); it becomes usable when a granule-service claim/lookup on
 * it succeeds. A lookup/claim naming IPC_LEASE_NEW and a pa appends a new
 * lease (index kapi_lease_count() - 1 after the call). A lease is usable
 * only while its message is being handled, within its range, with its rights. Today these calls
 * are function calls at EL2; with services at EL0 (issue 10) they become
 * system calls and the services do not change.
 */
#ifndef KERNEL_SVC_API_H
#define KERNEL_SVC_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kapi_status {
	KAPI_OK = 0,
	KAPI_E_LEASE = 1,	/* no such lease, not active, outside its range or rights */
	KAPI_E_DENIED = 2,	/* the calling service may not use this call */
	KAPI_E_EL3 = 3,		/* EL3 refused */
};

/* Copy bytes of a leased granule (offsets relative to the lease's range). */
enum kapi_status kapi_lease_read(unsigned int lease, size_t off, void *dst, size_t len);
enum kapi_status kapi_lease_write(unsigned int lease, size_t off, const void *src, size_t len);
/* Number of leases of the message being handled. */
unsigned int kapi_lease_count(void);
/* Zero the whole leased range. */
enum kapi_status kapi_lease_zero(unsigned int lease);

/* Granule service only: ask EL3 to move the leased granule between PASes. */
enum kapi_status kapi_gtsi_delegate(unsigned int lease);
enum kapi_status kapi_gtsi_undelegate(unsigned int lease);

/* Stage-2 primitives (the RTT format belongs to the kernel). */
enum kapi_rtt_init {
	KAPI_RTT_INIT_UNASSIGNED_EMPTY,	/* protected range: UNASSIGNED, RIPAS EMPTY */
	KAPI_RTT_INIT_UNASSIGNED_NS,	/* unprotected range: UNASSIGNED_NS */
};
/*
 * Fill entries [first, first + count) of the leased RTT granule with the
 * given initial state.
 */
enum kapi_status kapi_rtt_init(unsigned int lease, unsigned int first, unsigned int count,
			       enum kapi_rtt_init kind);
/* Number of live entries (refcount) of a leased RTT granule. */
enum kapi_status kapi_rtt_live_count(unsigned int lease, uint64_t *count);

/* Platform facts a service may need. */
uint64_t kapi_feat_reg0(void);		/* RmiFeatureRegister0 */
unsigned int kapi_vmid_bits(void);	/* 8 or 16 */

#endif
