/*
 * Test harness for the IPC transport (kernel/ipc.c, compiled unchanged for
 * the host): host versions of what the kernel links against (panic,
 * plat_console_write, ipc_env_in_dram), a service registry (services_get)
 * built from generated code, instrumented handlers, and helpers.
 *
 * Registry (as the transport sees it):
 *   service 1: ipc/example.toml + tests/unit/ipc/tgran.toml (both declare
 *              IPC_SVC_GRANULE; an op is routed to the schema defining it)
 *   service 2: tests/unit/ipc/tsvc2.toml (handler runs a test scenario)
 *   service 3: tests/unit/ipc/tsvc3.toml (re-forwards a lease to service 1)
 *
 * Handlers never use CMocka asserts (a longjmp out of kernel/ipc.c would
 * leave a run lock held): they record failures with HCHECK(), and the test
 * thread checks h_failures() afterwards. The same holds for worker threads.
 */
#ifndef TESTS_UNIT_IPC_HARNESS_H
#define TESTS_UNIT_IPC_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ipc/example.h>
#include <ipc/tgran.h>
#include <ipc/tsvc2.h>
#include <ipc/tsvc3.h>
#include <kernel/ipc_kernel.h>

/* The fake DRAM bank of ipc_env_in_dram(). */
#define H_DRAM_BASE	UINT64_C(0x80000000)
#define H_DRAM_SIZE	UINT64_C(0x40000000)

/* Set up the registry; call once, before any test, on the main thread. */
void h_init(void);

/* Kill the process with an error after seconds (a hang must fail, not block make). */
void h_watchdog(unsigned int seconds);

/* ---- failures recorded where CMocka cannot assert ---- */
void h_fail(const char *file, int line, const char *what);
#define HCHECK(c) ((c) ? (void)0 : h_fail(__FILE__, __LINE__, #c))
unsigned long h_failures(void);
const char *h_first_failure(void);
void h_reset_failures(void);

/* ---- handler invocations (the generated server code called the handler) ---- */
enum h_handler {
	H_EX_PING, H_EX_SCALARS, H_EX_ARRAYS, H_EX_MAP, H_EX_MAX_REFS, H_EX_STATUS, H_EX_BULK,
	H_TG_ECHO, H_TG_CLAIM, H_TG_CLAIM2, H_TG_PEEK,
	H_S2_RUN, H_S2_TAKE,
	H_S3_REFWD,
	H_COUNT
};
unsigned long h_calls(enum h_handler h);
unsigned long h_all_calls(void);	/* sum over every handler */

/* ---- per-service instrumentation in the dispatch wrapper ---- */
struct h_svc_info {
	unsigned long dispatches;	/* messages that reached the service (decoded or not) */
	unsigned long overlaps;		/* entries while another message of it was inside */
	unsigned int inside;		/* 1 while a message of the service is being handled */
	uint64_t ran_on;		/* bit c: CPU c ran a message of this service */
	const uint8_t *last_msg;	/* the msg buffer the transport passed to dispatch */
};
/* Atomic snapshot of one service's counters. */
void h_svc_get(enum ipc_service svc, struct h_svc_info *out);
/* Spin iterations inside the "inside" window of every dispatch (widens races). */
void h_set_window(unsigned int spins);
/* Unregister (false) or register (true) a service: services_get() returns NULL. */
void h_set_registered(enum ipc_service svc, bool on);

/* ---- knobs and records of the handlers ---- */
struct h_cfg {
	int32_t ping_status, scalars_status, map_status, max_refs_status, claim2_status;
	struct example_status_rep status_rep;	/* reply of example_handle_status */
	uint8_t bulk_fill;			/* every reply byte of example_handle_bulk */
	bool overlong_reply;			/* a dispatch claims a reply longer than its buffer */
};
extern struct h_cfg h_cfg;		/* set by the test thread between calls only */

#define H_REC_LEASES	IPC_MAX_LEASES
struct h_lease_rec {
	unsigned int count;			/* ipc_current_lease_count() */
	struct ipc_lease lease[H_REC_LEASES];	/* copies of ipc_current_lease(i) */
	bool null_past_end;			/* ipc_current_lease(count) == NULL */
	enum ipc_service svc;			/* ipc_current_service() */
};
/* Last request decoded by example_handle_scalars and lease tables seen by handlers. */
extern struct example_scalars_req h_last_scalars;
extern struct h_lease_rec h_rec_map, h_rec_max_refs, h_rec_claim2, h_rec_s2;
extern uint64_t h_last_claim_req_pa;	/* req->g.pa as tgran_handle_claim decoded it */

/* Hooks called inside handlers (NULL: none). */
extern void (*h_ping_hook)(void);
extern void (*h_bulk_hook)(const struct example_bulk_req *req);
/* Service 2 scenarios, by tsvc2_run_req.scenario; the return value is the service status. */
typedef int32_t (*h_s2_fn)(const struct tsvc2_run_req *req, struct tsvc2_run_rep *rep);
void h_set_s2(unsigned int scenario, h_s2_fn fn);
/* Snapshot the current lease table (used by scenarios and handlers). */
void h_snap_leases(struct h_lease_rec *r);

/* ---- the gate tgran echo mode 1 blocks on ---- */
void h_gate_close(void);
void h_gate_open(void);
unsigned int h_gate_waiters(void);	/* handlers currently blocked on the gate */

/* Echo log: order in which tgran_handle_echo saw sequence numbers. */
void h_echo_log_start(uint64_t *buf, size_t cap);	/* buf on the heap, not in .bss */
size_t h_echo_log_len(void);
void h_echo_log_stop(void);

/* ---- memory of the test executable ---- */
/*
 * Find every copy of pat[0..n) in the executable's writable segments (.data,
 * .bss: where kernel/ipc.c's static queues live). Stores up to max addresses
 * in hits, returns the number found. Does not see stacks or the heap.
 */
size_t h_scan_image(const void *pat, size_t n, uint8_t **hits, size_t max);
/* Overwrite n bytes at a hit of h_scan_image with val (test of copy-out). */
void h_poke_image(uint8_t *at, size_t n, uint8_t val);
/* Restore n bytes at a hit from src. */
void h_restore_image(uint8_t *at, const uint8_t *src, size_t n);
bool h_in_image(const void *p);		/* inside a writable segment of the executable */
bool h_on_my_stack(const void *p);	/* inside the calling thread's stack */

/* Little helpers to build raw messages. */
struct ipc_granule_ref h_ref_new(uint64_t pa);
struct ipc_granule_ref h_ref_lease(uint8_t idx);
struct ipc_lease_fwd h_fwd(uint8_t lease, uint8_t rights, uint32_t off, uint32_t len);
/* Granule number i of the fake DRAM. */
static inline uint64_t h_pa(uint64_t i)
{
	return H_DRAM_BASE + (i % (H_DRAM_SIZE / 4096u)) * 4096u;
}

/* Stats difference b - a. */
struct ipc_stats h_stats_delta(const struct ipc_stats *a, const struct ipc_stats *b);

#endif
