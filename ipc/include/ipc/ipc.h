/*
 * IPC core definitions shared by the kernel transport, the generated code
 * and the services. Services see only this header, the generated headers
 * of the interfaces they use, and kernel/include/kernel/svc_api.h.
 */
#ifndef IPC_IPC_H
#define IPC_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ipc_service {
	IPC_SVC_GRANULE = 1,
	IPC_SVC_REALM = 2,
	IPC_SVC_ATTEST = 3,
	IPC_SVC_COUNT = 4,	/* ids are 1..IPC_SVC_COUNT-1 */
};

/* Transport status: distinct from the services' own status codes. */
enum ipc_status {
	IPC_OK = 0,
	IPC_E_BAD_OP = 1,	/* unknown op for this service */
	IPC_E_BAD_LEN = 2,	/* message length != the op's request size */
	IPC_E_BAD_FIELD = 3,	/* reserved bits, enum range or a field predicate */
	IPC_E_BAD_REPLY = 4,	/* the service's reply failed validation */
	IPC_E_BAD_LEASE = 5,	/* a lease reference the sender does not hold */
	IPC_E_NO_SERVICE = 6,	/* no such service */
	IPC_E_QUEUE_FULL = 7,	/* non-blocking send only: queue full */
	IPC_E_SVC_FAULT = 8,	/* the service faulted or was stopped before (kernel/svc_el0.h) */
};

#define IPC_MAX_MSG		256u	/* bytes of request or reply payload */
#define IPC_MAX_LEASES		20u	/* leases one message context may hold */
#define IPC_MAX_REFS		4u	/* granule_ref / lease_fwd fields per op */
/* granule_ref.lease value: "not one of my leases; the pa field names the granule". */
#define IPC_LEASE_NEW		0xFFu

#define IPC_RIGHT_READ		1u
#define IPC_RIGHT_WRITE		2u
#define IPC_RIGHTS_RW		(IPC_RIGHT_READ | IPC_RIGHT_WRITE)

struct ipc_granule_ref {
	uint8_t lease;
	uint8_t rsvd[7];
	uint64_t pa;
};
_Static_assert(sizeof(struct ipc_granule_ref) == 16, "granule_ref layout");

struct ipc_lease_fwd {
	uint8_t lease;
	uint8_t rights;
	uint16_t rsvd;
	uint32_t offset;
	uint32_t len;
	uint32_t rsvd2;
};
_Static_assert(sizeof(struct ipc_lease_fwd) == 16, "lease_fwd layout");

struct ipc_op_meta {
	uint16_t op;
	uint16_t req_len;
	uint16_t rep_len;
	uint8_t ref_count;
	uint8_t fwd_count;
	uint16_t ref_off[IPC_MAX_REFS];
	uint16_t fwd_off[IPC_MAX_REFS];
	uint32_t grant_mask;
};

/* Provided by the kernel (or a test fake): is pa inside a DRAM bank? */
bool ipc_env_in_dram(uint64_t pa);

/* Provided by the transport: send a request and wait for the reply. */
enum ipc_status ipc_call(enum ipc_service svc, uint16_t op, const void *req, size_t req_len,
			 void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status);

#endif
