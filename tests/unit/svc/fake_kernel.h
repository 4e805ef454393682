/*
 * Fake of the kernel side a service sees (kernel/svc_include/kernel/svc_api.h
 * and ipc/include/ipc/ipc.h), for host unit tests of one service at a time.
 *
 * - "Physical memory": up to FK_MAX_GRANULES granules of 4 KB spread over
 *   FK_MAX_BANKS DRAM banks at fake PAs (default: one bank of 64 granules at
 *   0x80000000). ipc_env_in_dram() answers from these banks. Every granule
 *   has a fake GPT entry (NS / REALM / SECURE) that kapi_gtsi_* move the way
 *   EL3 does (el3.md: delegate NS -> REALM, undelegate REALM -> NS, anything
 *   else is refused).
 * - Message contexts: depth 0 is the kernel (no leases). fk_begin() pushes
 *   the context of a message being handled by a service; the test then adds
 *   that message's leases with fk_lease_add(). The kapi_lease_* calls apply
 *   the rules of svc_api.h and kernel/kapi.c: lease index < count, active,
 *   all the rights asked for, [off, off + len) inside the lease's range;
 *   gtsi: granule service only, read-write lease of the whole granule.
 * - ipc_call(): the transport of kernel/ipc.c (build_leases(), grant()),
 *   either routed to a real service's dispatch function registered with
 *   fk_register(), or answered by a script (fk_script()). Every call is
 *   recorded (fk_call()).
 * - Stage-2 primitives (kapi_s2_*): a walker over the fake memory using the
 *   software RTTE encoding of structures.md 10.3, starting from the rd_s2
 *   configuration (ipc/realm_objects.h) in the leased RD; kapi_copy_from_ns
 *   copies from a fake granule whose PAS is NS.
 * - Counters of every fake call and failure injection (fk_inject()).
 */
#ifndef TESTS_UNIT_SVC_FAKE_KERNEL_H
#define TESTS_UNIT_SVC_FAKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ipc/ipc.h>
#include <kernel/svc_api.h>

#define FK_GRANULE		4096u
#define FK_MAX_GRANULES		256u
#define FK_MAX_BANKS		4u
#define FK_MAX_DEPTH		8u
#define FK_MAX_CALLS		512u	/* recorded ipc_call()s (later ones are counted only) */
#define FK_MAX_SCRIPT		32u

#define FK_DRAM_BASE		0x80000000ull
#define FK_DEFAULT_GRANULES	64u
/* RmiFeatureRegister0 of QEMU max: S2SZ 52, LPA2, SVE (VL 15), 6 BPs, 4 WPs, 6 PMU counters. */
#define FK_DEFAULT_FEAT_REG0	0x0000028f34317f34ull
#define FK_DEFAULT_VMID_BITS	16u

/* Software RTTE encoding (structures.md 10.3). */
#define FK_RTTE_UNASSIGNED_EMPTY	0x0ull
#define FK_RTTE_UNASSIGNED_RAM		0x20ull
#define FK_RTTE_UNASSIGNED_DESTROYED	0x40ull
#define FK_RTTE_UNASSIGNED_NS		(1ull << 55)
#define FK_RTTE_HIPAS_ASSIGNED		(1ull << 2)
#define FK_RTTE_TABLE			3ull

struct fk_bank {
	uint64_t base;
	uint64_t granules;
};

enum fk_pas {
	FK_PAS_NS = 0,
	FK_PAS_REALM,
	FK_PAS_SECURE,
};

struct fk_lease {
	uint64_t pa;
	uint32_t offset;
	uint32_t len;
	uint8_t rights;		/* IPC_RIGHT_* */
	bool active;		/* false: inactive candidate (svc_api.h) */
};

/* Fake functions, for counters and failure injection. */
enum fk_fn {
	FK_LEASE_READ,
	FK_LEASE_WRITE,
	FK_LEASE_COUNT,
	FK_LEASE_ZERO,
	FK_GTSI_DELEGATE,
	FK_GTSI_UNDELEGATE,
	FK_RTT_INIT,
	FK_RTT_LIVE_COUNT,
	FK_S2_READ,
	FK_S2_SET,
	FK_S2_UNFOLD,
	FK_S2_SCAN,
	FK_S2_NEXT_LIVE,
	FK_COPY_FROM_NS,
	FK_REC_HOLD,
	FK_FEAT_REG0,
	FK_VMID_BITS,
	FK_IN_DRAM,
	FK_IPC_CALL,
	FK_RANDOM,
	FK_REC_MARK,
	FK_FN_COUNT,
};

/* ---- set-up ---- */
/* Back to defaults: one bank, zeroed memory, every granule NS, no contexts,
 * no services, no script, counters and injections cleared. */
void fk_reset(void);
/* Lay out DRAM (memory zeroed, all NS). Total granules <= FK_MAX_GRANULES. */
void fk_set_banks(const struct fk_bank *banks, unsigned int count);
void fk_set_feat_reg0(uint64_t v);
void fk_set_vmid_bits(unsigned int bits);

/* ---- memory ---- */
/* Host pointer to the byte at pa, NULL if pa is not in a fake bank. */
uint8_t *fk_mem(uint64_t pa);
bool fk_is_zero(uint64_t pa, size_t len);
void fk_fill(uint64_t pa, uint8_t byte, size_t len);
uint64_t fk_read64(uint64_t pa);
/* Whether the granule service last told the kernel pa is a REC (kapi_rec_mark). */
bool fk_rec_marked(uint64_t pa);
void fk_write64(uint64_t pa, uint64_t v);
enum fk_pas fk_pas(uint64_t pa);
void fk_set_pas(uint64_t pa, enum fk_pas pas);

/* ---- message contexts and leases ---- */
/* Push the context of a message being handled by svc (no leases yet). */
void fk_begin(enum ipc_service svc);
void fk_end(void);
unsigned int fk_depth(void);
/* Add a lease to the current message context; returns its index. */
unsigned int fk_lease_add(uint64_t pa, uint32_t offset, uint32_t len, uint8_t rights,
			  bool active);
struct fk_lease *fk_lease(unsigned int idx);
unsigned int fk_lease_count(void);

/* ---- counters and failure injection ---- */
unsigned int fk_calls(enum fk_fn fn);
unsigned int fk_fails(enum fk_fn fn);	/* calls that returned an error */
void fk_clear_counters(void);
/*
 * Let the next `skip` calls of fn behave normally, then make `times` calls
 * fail (times < 0: every later call): kapi_gtsi_* return KAPI_E_EL3, the
 * other kapi calls KAPI_E_LEASE, ipc_call IPC_E_QUEUE_FULL.
 */
void fk_inject(enum fk_fn fn, unsigned int skip, int times);

/* ---- IPC ---- */
typedef enum ipc_status (*fk_dispatch_fn)(uint16_t op, const uint8_t *msg, size_t len,
					  uint8_t *rep, size_t rep_cap, size_t *rep_len,
					  int32_t *svc_status);
/*
 * Make svc reachable through ipc_call() with its op metadata. dispatch NULL:
 * scripted only (calls not matched by fk_script() answer IPC_OK, status 0
 * and a zeroed reply of the op's size).
 */
void fk_register(enum ipc_service svc, const struct ipc_op_meta *ops, size_t ops_count,
		 fk_dispatch_fn dispatch);

struct fk_answer {
	enum ipc_status tstatus;	/* transport status returned by ipc_call */
	int32_t svc_status;		/* handler status (when tstatus == IPC_OK) */
	size_t rep_len;
	uint8_t rep[IPC_MAX_MSG];
};
/*
 * Answer the nth (0-based, counted from fk_reset()) ipc_call() to (svc, op)
 * with *a instead of routing it to the service; op 0 matches every op.
 * The lease side effects follow the answer as they would a real reply.
 */
void fk_script(enum ipc_service svc, uint16_t op, unsigned int nth, const struct fk_answer *a);
/* Shorthand: answer with transport status t and service status s, no reply. */
void fk_script_status(enum ipc_service svc, uint16_t op, unsigned int nth, enum ipc_status t,
		      int32_t s);

struct fk_call_rec {
	enum ipc_service svc;
	uint16_t op;
	enum ipc_service caller;	/* 0: the kernel */
	unsigned int depth;		/* caller's depth */
	size_t req_len;
	uint8_t req[IPC_MAX_MSG];	/* as delivered: granule_ref pa filled by the transport */
	enum ipc_status tstatus;
	int32_t svc_status;
	bool scripted;			/* answered by the script, not a service */
	bool delivered;			/* reached the service (or the script) */
};
unsigned int fk_ncalls(void);		/* ipc_call()s since fk_reset() or fk_clear_calls() */
const struct fk_call_rec *fk_call(unsigned int i);
void fk_clear_calls(void);
/* Number of recorded calls to (svc, op) (op 0: any op). */
unsigned int fk_count_calls(enum ipc_service svc, uint16_t op);

#endif
