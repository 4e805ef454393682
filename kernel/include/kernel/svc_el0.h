/*
 * Services at EL0 (issue 10): each service runs in the EL2&0 regime at EL0
 * with a stage-1 address space of its own (ASID = its service id). Its
 * address space is the kernel's map, in which the kernel's pages stay
 * EL2-only, with the service's own pages opened to EL0: its text (EL0 RX),
 * rodata (EL0 RO), data, bss, state, message buffers and stack (EL0 RW,
 * never executable). Other services' pages stay EL2-only, so a service
 * touching anything but its own memory takes a permission fault. Granules
 * are never mapped: a service reaches a granule only through the lease
 * calls of kernel/svc_api.h, which the kernel checks against the message in
 * hand. See docs/architecture.md, "Services at EL0".
 */
#ifndef KERNEL_SVC_EL0_H
#define KERNEL_SVC_EL0_H

#include <arch/mmu.h>
#include <ipc/ipc.h>
#include <stdbool.h>
#include <stdint.h>

/* HCR_EL2 of the RMM's own regime, E2H | TGE: services run at EL0 in it, realms leave it. */
#define HCR_RMM		((1ull << 34) | (1ull << 27))

/* A service's linker groups and entry points (arch/aarch64/rmm.ld.S). */
struct svc_image {
	uint64_t text_start, text_end;
	uint64_t rodata_start, rodata_end;
	uint64_t data_start, data_end;
	uint64_t bss_start, bss_end;
	uint64_t dispatch;	/* <name>_dispatch */
	uint64_t init;		/* <name>_init */
};
struct svc_images {
	uint64_t state_start, state_end;	/* the .svc_state region (kernel/services.c) */
	struct svc_image svc[IPC_SVC_COUNT - 1];	/* [id - 1] */
};
extern const struct svc_images rmm_svc_images;

#define SVC_RANGES_RW	4u	/* its stack, its state and message buffers, bss, data */

/* Where a service lives, fixed at cold boot (kept in the sealed configuration). */
struct svc_space {
	uint64_t ttbr;			/* TTBR0_EL2: root table | ASID << 48 */
	uint64_t entry;			/* svc_el0_start, the first word of its text */
	uint64_t stack_top;
	uint64_t rw[SVC_RANGES_RW][2];	/* [start, end) the service may write */
	uint64_t ro[2];			/* its rodata: may also be read */
};

/* A service's own part of .svc_state (kernel/services.c). */
struct svc_area {
	uint64_t start;			/* its state, then its message buffers, up to the guard page */
	uint64_t stack_lo, stack_hi;	/* the stack; the page below it is never EL0-accessible */
};

/*
 * Build service svc's address space from the kernel's tables (cold boot,
 * MMU off, before the configuration is sealed).
 */
bool svc_el0_space_build(struct mmu_tables *m, enum ipc_service svc, const struct svc_area *a,
			 uint64_t extra_start, uint64_t extra_end, struct svc_space *out);

/*
 * Run fn(args[0..7]) at EL0 in service svc's address space until it replies;
 * *ret is its x0. System calls are served on the way. IPC_E_SVC_FAULT if the
 * service faulted, made a call it may not, or was stopped before (it then
 * stays stopped: docs/decisions.md 25).
 */
enum ipc_status svc_el0_call(enum ipc_service svc, uint64_t fn, const uint64_t args[8],
			     uint64_t *ret);

/* Stop svc after the message in hand (a malformed reply, kernel/services.c). */
void svc_el0_stop(enum ipc_service svc, const char *why);

/* Whether svc was stopped after a fault. */
bool svc_el0_stopped(enum ipc_service svc);

/*
 * Provided by kernel/services.c. After a fault, the attestation service is
 * restarted at its next message from the snapshot taken at the end of cold
 * boot (services_snapshot()); granule and realm stay stopped. False if svc
 * cannot be restarted.
 */
void services_snapshot(void);
bool services_restart(enum ipc_service svc);

#endif
