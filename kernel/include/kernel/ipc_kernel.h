/*
 * Kernel side of the IPC transport (the service-facing side is ipc_call()
 * in ipc/include/ipc/ipc.h and the kapi_* calls in kernel/svc_api.h).
 */
#ifndef KERNEL_IPC_KERNEL_H
#define KERNEL_IPC_KERNEL_H

#include <ipc/ipc.h>
#include <stdbool.h>
#include <stdint.h>

#define IPC_QUEUE_DEPTH		4u	/* messages in flight per service */
#define IPC_MAX_DEPTH		4u	/* kernel + nested service calls per CPU */

/* A lease: a granule (or a range of one) lent to the message being handled. */
struct ipc_lease {
	uint64_t pa;
	uint32_t offset;
	uint32_t len;
	uint8_t rights;		/* 0: candidate, usable only by the granule service */
};

/* One registered service (kernel/services.c). */
struct ipc_service_desc {
	const char *name;
	const struct ipc_op_meta *ops;
	const size_t *ops_count;
	enum ipc_status (*dispatch)(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				    size_t rep_cap, size_t *rep_len, int32_t *svc_status);
};

/* Provided by kernel/services.c. */
const struct ipc_service_desc *services_get(enum ipc_service svc);
/* Start the services; the granule table lives at [table_pa, table_pa + table_bytes). */
void services_init(uint64_t table_pa, uint64_t table_bytes);
/* Bytes of granule table the configured granule service needs for count granules. */
uint64_t services_granule_table_bytes(uint64_t count);

/* The lease table of the message the calling CPU is handling (NULL in the kernel). */
struct ipc_lease *ipc_current_lease(unsigned int idx);
/* Number of leases of the message being handled. */
unsigned int ipc_current_lease_count(void);
/* The service whose message the calling CPU is handling (0 in the kernel). */
enum ipc_service ipc_current_service(void);
/* How many messages the calling CPU is handling, one inside the other (0: none). */
unsigned int ipc_depth(void);
/* The context of the message the calling CPU is handling (NULL in the kernel). */
struct ipc_ctx *ipc_current_ctx(void);
/* Release the RECs the message in hand still holds (kernel/kapi.c): it faulted. */
void kapi_release_holds(void);
/*
 * Services at EL0 only (kernel/services.c): cold boot, MMU off, before the
 * seal: build each service's address space into the configuration.
 */
struct rmm_config;
bool services_map(struct rmm_config *c, uint64_t table_pa, uint64_t table_bytes);

/* Transport counters (benchmarks and tests). */
struct ipc_stats {
	uint64_t calls;
	uint64_t transport_errors;
	uint64_t queue_full_waits;
};
void ipc_stats_get(struct ipc_stats *out);

#endif
