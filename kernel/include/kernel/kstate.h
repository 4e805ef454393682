/*
 * The kernel's run-time state: one container, one owner (practice 3 of
 * docs/safety.md). Everything the kernel changes after cold boot lives here,
 * each module's part in its own member; the configuration, written once at
 * boot and read-only afterwards, lives apart (kernel/config.h), and so do the
 * services' states (kernel/services.c). kernel/kstate.c defines the one
 * object; modules reach their member through kstate().
 */
#ifndef KERNEL_KSTATE_H
#define KERNEL_KSTATE_H

#include <ipc/ipc.h>
#include <kernel/ipc_kernel.h>
#include <kernel/spinlock.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- kernel/ipc.c: the transport ---- */
enum slot_state {
	SLOT_FREE = 0,
	SLOT_QUEUED,
	SLOT_RUNNING,
	SLOT_DONE,
};

struct ipc_msg {
	uint16_t op;
	uint16_t len;
	uint32_t lease_count;
	uint8_t body[IPC_MAX_MSG];
	struct ipc_lease leases[IPC_MAX_LEASES];
};

struct ipc_result {
	enum ipc_status tstatus;
	int32_t svc_status;
	size_t rep_len;
	uint8_t rep[IPC_MAX_MSG];
};

struct msg_slot {
	uint32_t state;
	struct ipc_msg msg;
	struct ipc_result res;
};

struct svc_queue {
	struct spinlock lock;	/* head, tail, slot states */
	struct spinlock run;	/* held while a CPU runs this service */
	uint32_t head;		/* oldest queued message */
	uint32_t tail;		/* next slot to fill */
	struct msg_slot slot[IPC_QUEUE_DEPTH];
};

#define IPC_MAX_HOLDS	2u	/* RECs one message may hold at once (kapi_rec_hold) */

struct ipc_ctx {
	enum ipc_service svc;
	uint32_t lease_count;
	struct ipc_lease leases[IPC_MAX_LEASES];
	uint32_t hold_count;		/* RECs this message holds: released if it faults */
	uint64_t holds[IPC_MAX_HOLDS];
};

struct cpu_ipc {
	uint32_t depth;		/* 0: the kernel itself */
	struct ipc_ctx ctx[IPC_MAX_DEPTH];
};

struct ipc_state {
	struct svc_queue queues[IPC_SVC_COUNT];	/* under each queue's locks */
	struct cpu_ipc cpus[PLAT_MAX_CPUS];	/* each CPU touches only its own */
	struct ipc_stats stats;			/* atomics only */
};

/* ---- kernel/rec.c: who holds which REC ---- */

/*
 * Claims on REC granules, by PA (kernel/rec.h): at most one runner (REC_ENTER,
 * RTT_SET_RIPAS, PSCI_COMPLETE changing a REC's run state), any number of
 * readers (PSCI_COMPLETE reading its target), or else one changer (the realm
 * service creating or destroying the REC) alone. Dense: entries [0, count)
 * are in use. Not keyed by CPU: a CPU running a REC may also run another
 * CPU's service message that holds a second REC (run to completion on any
 * CPU), and PSCI_COMPLETE holds two RECs at once.
 */
#define REC_CLAIMS	(3u * PLAT_MAX_CPUS + 2u)

struct rec_claim {
	uint64_t pa;
	uint32_t readers;
	uint8_t runner;
	uint8_t changer;
	uint8_t pad[2];
};

struct rec_claims {
	struct spinlock lock;
	uint32_t count;
	struct rec_claim e[REC_CLAIMS];
};

/* ---- kernel/rec.c: one owner at a time of each realm's tables ---- */

/*
 * Realms whose stage-2 tables (and the memory they map) someone is using
 * right now, by RD PA (kernel/rec.h, realm_lock()): the realm service for
 * each message it runs, the kernel around each walk of a realm's tables and
 * the access to realm memory it leads to. Dense: [0, count) are held. At
 * most one per CPU: nobody holds one across an IPC call it makes.
 */
#define REALM_LOCKS	(PLAT_MAX_CPUS + 1u)

struct realm_locks {
	struct spinlock lock;
	uint32_t count;
	uint64_t rd[REALM_LOCKS];
};

/* ---- kernel/svc_el0.c: services at EL0 ---- */

/* A service's EL0 registers, laid out as arch/aarch64/realm_entry.S saves them. */
struct svc_el0_regs {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t pc;
	uint64_t pstate;
	uint64_t esr;
	uint64_t far;
	/* cppcheck-suppress unusedStructMember ; saved by realm_entry.S, meaningless for EL0 */
	uint64_t hpfar;
};

/* One service's run state: used by whoever holds its run lock (kernel/ipc.c). */
struct svc_run {
	struct svc_el0_regs regs;
	bool stopped;			/* faulted once: refused from then on (atomics only) */
	uint64_t faults;		/* faults seen (statistics) */
	uint64_t budget_lost;		/* messages whose budget a host interrupt ended (statistics) */
};

/* ---- the container ---- */

struct kernel_state {
	struct ipc_state ipc;		/* kernel/ipc.c */
	struct rec_claims claims;	/* kernel/rec.c, under claims.lock */
	struct realm_locks realms;	/* kernel/rec.c, under realms.lock */
	struct svc_run svc[IPC_SVC_COUNT];	/* kernel/svc_el0.c, under each service's run lock */
	struct spinlock console_lock;	/* kernel/log.c */
	bool config_sealed;		/* kernel/config.c, atomics only */
};

/* The object itself (kernel/kstate.c); use kstate(). Inline: one adrp/add per use. */
extern struct kernel_state kernel_state_obj;

static inline struct kernel_state *kstate(void)
{
	return &kernel_state_obj;
}

#endif
