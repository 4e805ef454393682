/*
 * Services at EL0: their address spaces, entry and exit, the system calls
 * they make, and containment when one misbehaves (kernel/svc_el0.h).
 *
 * A service runs one message at a time under its run lock (kernel/ipc.c),
 * so one register set per service suffices. Entering it is a call: the
 * kernel saves its own callee-saved state on its stack (arch_el0_run, the
 * same code that enters realms), erets to EL0, and every exception the
 * service takes comes back as the return of that call. A system call is
 * served and the service resumed; its reply ends the call; anything else —
 * an abort, an undefined instruction, a call with arguments outside its
 * own memory, running past its budget — stops the service (the attestation
 * service restarts at its next message, kernel/services.c).
 */
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <arch/barrier.h>
#include <kernel/config.h>
#include <kernel/ipc_kernel.h>
#include <kernel/kstate.h>
#include <kernel/log.h>
#include <kernel/pa.h>
#include <kernel/svc_api.h>
#include <kernel/svc_el0.h>
#include <kernel/syscall.h>
#include <string.h>

/* arch/aarch64/realm_entry.S: enter EL0/EL1 with *r, return the vector kind of the exit. */
uint64_t arch_el0_run(struct svc_el0_regs *r);

#define VEC_LOWER_SYNC	8u
#define VEC_LOWER_IRQ	9u
#define ESR_EC(esr)	(((esr) >> 26) & 0x3fu)
#define EC_SVC64	0x15u
#define SPSR_EL0T	0x340ull	/* EL0t, D, A, F masked: IRQs come in (the budget) */
#define SPSR_I		0x80ull
#define CNTHP_ENABLE	1ull
/* CNTHCTL_EL2 (E2H=1): EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN: EL0 reaches no counter or timer. */
#define CNTHCTL_EL0_ANY	((1ull << 0) | (1ull << 1) | (1ull << 8) | (1ull << 9))
/* How long one message may run, kernel calls and nested messages included. */
#ifndef SVC_BUDGET_MS
#define SVC_BUDGET_MS	1000u
#endif

static const char *const svc_names[IPC_SVC_COUNT] = { "?", "granule", "realm", "attest" };

static struct svc_run *run(enum ipc_service s)
{
	return &kstate()->svc[s];
}

bool svc_el0_stopped(enum ipc_service svc)
{
	return __atomic_load_n(&run(svc)->stopped, __ATOMIC_ACQUIRE);
}

/* ---- address spaces (cold boot) ---- */

bool svc_el0_space_build(struct mmu_tables *m, enum ipc_service svc, const struct svc_area *a,
			 uint64_t extra_start, uint64_t extra_end, struct svc_space *out)
{
	const struct svc_image *im = &rmm_svc_images.svc[svc - 1];
	unsigned int root;
	bool ok;

	ok = mmu_space_new(m, &root) &&
	     mmu_space_map(m, root, im->text_start, im->text_end - im->text_start, MMU_EL0_TEXT) &&
	     mmu_space_map(m, root, im->rodata_start, im->rodata_end - im->rodata_start, MMU_EL0_RO) &&
	     mmu_space_map(m, root, im->data_start, im->data_end - im->data_start, MMU_EL0_RW) &&
	     mmu_space_map(m, root, im->bss_start, im->bss_end - im->bss_start, MMU_EL0_RW) &&
	     mmu_space_map(m, root, a->start, a->stack_lo - GRANULE_SIZE - a->start, MMU_EL0_RW) &&
	     mmu_space_map(m, root, a->stack_lo, a->stack_hi - a->stack_lo, MMU_EL0_RW) &&
	     (extra_start == extra_end ||
	      mmu_space_map(m, root, extra_start, extra_end - extra_start, MMU_EL0_RW));
	if (!ok)
		return false;
	out->ttbr = mmu_space_ttbr(root, (uint16_t)svc);
	out->entry = im->text_start;
	out->stack_top = a->stack_hi;
	/* in the order pointer arguments most often point to */
	out->rw[0][0] = a->stack_lo;		/* the stack (its guard page excluded) */
	out->rw[0][1] = a->stack_hi;
	out->rw[1][0] = a->start;		/* state and message buffers */
	out->rw[1][1] = a->stack_lo - GRANULE_SIZE;
	out->rw[2][0] = im->bss_start;
	out->rw[2][1] = im->bss_end;
	out->rw[3][0] = im->data_start;
	out->rw[3][1] = im->data_end;
	out->ro[0] = im->rodata_start;
	out->ro[1] = im->rodata_end;
	/* the extra region (granule table) is the service's alone: no call passes it */
	return true;
}

/* ---- system calls ---- */

static bool in(uint64_t a, uint64_t len, const uint64_t r[2])
{
	return a >= r[0] && a <= r[1] && len <= r[1] - a;
}

/*
 * A pointer argument: [a, a + len) must lie in the calling service's own
 * memory (writable, or also its rodata when only read), aligned to align.
 */
static uint8_t *uptr(enum ipc_service s, uint64_t a, uint64_t len, bool write, uint64_t align,
		     bool *bad)
{
	const struct svc_space *sp = &config()->svc[s];
	bool ok;

	if (len == 0u)
		return NULL;	/* nothing is accessed (memcpy of 0 bytes is never made) */
	ok = !write && in(a, len, sp->ro);
	for (unsigned int i = 0; !ok && i < SVC_RANGES_RW; i++)
		ok = in(a, len, sp->rw[i]);
	if (!ok || (a & (align - 1u)) != 0u) {
		*bad = true;
		return NULL;
	}
	return pa_mapped_ptr(a);
}

/* ipc_call() from a service: every pointer checked, results copied out. */
static uint64_t sys_ipc_call(enum ipc_service s, const uint64_t *x, bool *bad)
{
	const uint8_t *req = uptr(s, x[2], x[3], false, 1, bad);
	uint8_t *rep = uptr(s, x[4], x[5], true, 1, bad);
	uint8_t *rep_len_p = uptr(s, x[6], sizeof(size_t), true, sizeof(size_t), bad);
	uint8_t *st_p = uptr(s, x[7], sizeof(int32_t), true, sizeof(int32_t), bad);
	size_t rep_len = 0;
	int32_t st = 0;
	enum ipc_status t;

	if (*bad)
		return 0;
	if (x[0] == 0u || x[0] >= IPC_SVC_COUNT)
		return IPC_E_NO_SERVICE;
	t = ipc_call((enum ipc_service)x[0], (uint16_t)x[1], req, x[3], rep, x[5], &rep_len, &st);
	if (t == IPC_OK) {
		memcpy(rep_len_p, &rep_len, sizeof(rep_len));
		memcpy(st_p, &st, sizeof(st));
	}
	return t;
}

/*
 * An output or in-out argument: the service's bytes are read first and
 * written back after the call, so that, as with a call in place, a kernel
 * call that writes nothing leaves the service's object as it was (and no
 * kernel stack byte reaches EL0). An input argument is only read.
 */
static uint8_t *arg_in(enum ipc_service s, uint64_t a, void *local, size_t n, bool write,
		       bool *bad)
{
	uint8_t *p = uptr(s, a, n, write, 8, bad);

	if (!*bad)
		memcpy(local, p, n);
	return p;
}

static uint64_t sys_s2(enum ipc_service s, uint64_t nr, const uint64_t *x, bool *bad)
{
	struct kapi_rtte e;
	struct kapi_rtt_scan scan;
	uint64_t v;
	uint8_t *p;
	enum kapi_status st;

	switch (nr) {
	case SYS_S2_READ:
		p = arg_in(s, x[3], &e, sizeof(e), true, bad);
		if (*bad)
			return 0;
		st = kapi_s2_read((unsigned int)x[0], x[1], (int32_t)x[2], &e);
		memcpy(p, &e, sizeof(e));
		return st;
	case SYS_S2_SET:
		(void)arg_in(s, x[4], &e, sizeof(e), false, bad);
		return *bad ? 0 : kapi_s2_set((unsigned int)x[0], x[1], (int32_t)x[2], x[3], &e);
	case SYS_S2_UNFOLD:
		(void)arg_in(s, x[2], &e, sizeof(e), false, bad);
		return *bad ? 0 : kapi_s2_unfold((unsigned int)x[0], (int32_t)x[1], &e);
	case SYS_S2_SCAN:
		p = arg_in(s, x[3], &scan, sizeof(scan), true, bad);
		if (*bad)
			return 0;
		st = kapi_s2_scan((unsigned int)x[0], x[1], (int32_t)x[2], &scan);
		memcpy(p, &scan, sizeof(scan));
		return st;
	case SYS_S2_NEXT_LIVE:
	default:
		p = arg_in(s, x[2], &v, sizeof(v), true, bad);
		if (*bad)
			return 0;
		st = kapi_s2_next_live((unsigned int)x[0], x[1], &v);
		memcpy(p, &v, sizeof(v));
		return st;
	}
}

/* Serve system call nr of service s; *bad if it may not be made as asked. */
static uint64_t syscall(enum ipc_service s, uint64_t nr, const uint64_t *x, bool *bad)
{
	uint64_t v;
	uint8_t *p;
	enum kapi_status st;

	switch (nr) {
	case SYS_IPC_CALL:
		return sys_ipc_call(s, x, bad);
	case SYS_IN_DRAM:
		return ipc_env_in_dram(x[0]);
	case SYS_LEASE_READ:
		p = uptr(s, x[2], x[3], true, 1, bad);
		return *bad ? 0 : kapi_lease_read((unsigned int)x[0], x[1], p, x[3]);
	case SYS_LEASE_WRITE:
		p = uptr(s, x[2], x[3], false, 1, bad);
		return *bad ? 0 : kapi_lease_write((unsigned int)x[0], x[1], p, x[3]);
	case SYS_LEASE_COUNT:
		return kapi_lease_count();
	case SYS_LEASE_ZERO:
		return kapi_lease_zero((unsigned int)x[0]);
	case SYS_GTSI_DELEGATE:
		return kapi_gtsi_delegate((unsigned int)x[0]);
	case SYS_GTSI_UNDELEGATE:
		return kapi_gtsi_undelegate((unsigned int)x[0]);
	case SYS_RTT_INIT:
		if ((uint32_t)x[3] > KAPI_RTT_INIT_UNASSIGNED_NS)
			return KAPI_E_DENIED;
		return kapi_rtt_init((unsigned int)x[0], (unsigned int)x[1], (unsigned int)x[2],
				     (uint32_t)x[3] == 0u ? KAPI_RTT_INIT_UNASSIGNED_EMPTY
							  : KAPI_RTT_INIT_UNASSIGNED_NS);
	case SYS_RTT_LIVE_COUNT:
		p = arg_in(s, x[1], &v, sizeof(v), true, bad);
		if (*bad)
			return 0;
		st = kapi_rtt_live_count((unsigned int)x[0], &v);
		memcpy(p, &v, sizeof(v));
		return st;
	case SYS_S2_READ:
	case SYS_S2_SET:
	case SYS_S2_UNFOLD:
	case SYS_S2_SCAN:
	case SYS_S2_NEXT_LIVE:
		return sys_s2(s, nr, x, bad);
	case SYS_COPY_FROM_NS:
		return kapi_copy_from_ns((unsigned int)x[0], x[1]);
	case SYS_REC_HOLD:
		return kapi_rec_hold((unsigned int)x[0]);
	case SYS_REC_UNHOLD:
		kapi_rec_unhold((unsigned int)x[0]);
		return 0;
	case SYS_RANDOM:
		p = uptr(s, x[0], x[1], true, 1, bad);
		return *bad ? 0 : kapi_random(p, x[1]);
	case SYS_FEAT_REG0:
		return kapi_feat_reg0();
	case SYS_VMID_BITS:
		return kapi_vmid_bits();
	case SYS_REC_MARK:
		return kapi_rec_mark((unsigned int)x[0], (x[1] & 0xffu) != 0u);
	default:
		*bad = true;
		return 0;
	}
}

/* ---- entry, exit, containment ---- */

/* Stop service s and say why (its name, the syndrome, the address). */
static void stop(enum ipc_service s, const char *why, const struct svc_el0_regs *r)
{
	struct log_line l;

	__atomic_store_n(&run(s)->stopped, true, __ATOMIC_RELEASE);
	run(s)->faults++;
	kapi_release_holds();
	log_begin(&l);
	log_str(&l, "service ");
	log_str(&l, svc_names[s]);
	log_str(&l, " stopped: ");
	log_str(&l, why);
	log_str(&l, ", ESR ");
	log_hex(&l, r->esr);
	log_str(&l, " FAR ");
	log_hex(&l, r->far);
	log_str(&l, " ELR ");
	log_hex(&l, r->pc);
	log_end(&l);
}

void svc_el0_stop(enum ipc_service svc, const char *why)
{
	stop(svc, why, &run(svc)->regs);
}

enum ipc_status svc_el0_call(enum ipc_service svc, uint64_t fn, const uint64_t args[8],
			     uint64_t *ret)
{
	const struct svc_space *sp = &config()->svc[svc];
	struct svc_el0_regs *r = &run(svc)->regs;
	uint64_t prev = read_ttbr0_el2(), hcr = read_hcr_el2(), cptr = read_cptr_el2();
	uint64_t hctl, pmuser;
	enum ipc_status t = IPC_E_SVC_FAULT;
	uint64_t hp_ctl, hp_cval, start, deadline;
	struct log_line l;

	if (svc_el0_stopped(svc)) {
		if (!services_restart(svc))
			return IPC_E_SVC_FAULT;
		__atomic_store_n(&run(svc)->stopped, false, __ATOMIC_RELEASE);
		log_begin(&l);
		log_str(&l, "service ");
		log_str(&l, svc_names[svc]);
		log_str(&l, " restarted from its boot snapshot");
		log_end(&l);
	}
	/*
	 * Services reached while a REC is being handled (RSI calls answered by
	 * a service) find the realm's HCR and FP traps: run them in the EL2&0
	 * regime with FP/SIMD trapped, so they never see a realm's registers.
	 */
	if (hcr != HCR_RMM)
		crit_write_hcr_el2(HCR_RMM);
	if (cptr != 0u)
		write_cptr_el2(0);
	/*
	 * EL0 gets no timer, counter or PMU of its own: under E2H and TGE the
	 * EL0 timer registers are the EL2 ones (the budget's), and the host or
	 * a realm may have left them, or the PMU, open to EL0.
	 */
	hctl = read_cnthctl_el2();
	pmuser = read_pmuserenr_el0();
	if ((hctl & CNTHCTL_EL0_ANY) != 0u)
		write_cnthctl_el2(hctl & ~CNTHCTL_EL0_ANY);
	if (pmuser != 0u)
		write_pmuserenr_el0(0);
	/* written out: a loop here cost 40 instructions a message */
	r->x[0] = args[0];
	r->x[1] = args[1];
	r->x[2] = args[2];
	r->x[3] = args[3];
	r->x[4] = args[4];
	r->x[5] = args[5];
	r->x[6] = args[6];
	r->x[7] = args[7];
	r->x[9] = fn;
	r->sp_el0 = sp->stack_top;
	r->pc = sp->entry;
	r->pstate = SPSR_EL0T;
	/*
	 * The budget: the EL2 physical timer, saved (the host's, or the budget
	 * of the message this one is nested in) and set to this message's
	 * deadline. The interrupt stops a service that runs past it; the host
	 * gets its timer back as it was.
	 */
	hp_ctl = read_cnthp_ctl_el2();
	hp_cval = read_cnthp_cval_el2();
	start = read_cntpct_el0();
	deadline = start + read_cntfrq_el0() / 1000u * SVC_BUDGET_MS;
	write_cnthp_cval_el2(deadline);
	write_cnthp_ctl_el2(CNTHP_ENABLE);

	/* SAFETY: the space maps the kernel exactly as the kernel's own root does (kernel/svc_el0.h). */
	crit_write_ttbr0_el2(sp->ttbr);
	isb();
	for (;;) {
		uint64_t kind = arch_el0_run(r);
		bool bad = false;
		uint64_t v;

		if (kind == VEC_LOWER_IRQ && read_cntpct_el0() >= deadline) {
			stop(svc, "over its budget", r);
			break;
		}
		if (kind == VEC_LOWER_IRQ) {
			/*
			 * An interrupt for the host, which only the host can take:
			 * the rest of this message runs with interrupts masked,
			 * and so without a budget (docs/decisions.md 25).
			 */
			r->pstate |= SPSR_I;
			run(svc)->budget_lost++;
			continue;
		}
		if (kind != VEC_LOWER_SYNC || ESR_EC(r->esr) != EC_SVC64) {
			stop(svc, kind == VEC_LOWER_SYNC ? "fault" : "exception", r);
			break;
		}
		if ((r->esr & 0xffffu) == SYS_REPLY) {
			*ret = r->x[0];
			t = IPC_OK;
			break;
		}
		v = syscall(svc, r->esr & 0xffffu, r->x, &bad);
		if (bad) {
			stop(svc, "bad system call", r);
			break;
		}
		r->x[0] = v;	/* a nested call has come back to this space already */
	}
	/*
	 * Back to the saved timer. Nested in another service's message (a
	 * service's call to a service), that is the caller's budget: it is
	 * moved on by the time spent here, which was not the caller's.
	 */
	write_cnthp_ctl_el2(0);
	write_cnthp_cval_el2(ipc_depth() > 1u ? hp_cval + (read_cntpct_el0() - start) : hp_cval);
	write_cnthp_ctl_el2(hp_ctl);
	if ((hctl & CNTHCTL_EL0_ANY) != 0u)
		write_cnthctl_el2(hctl);
	if (pmuser != 0u)
		write_pmuserenr_el0(pmuser);
	crit_write_ttbr0_el2(prev);
	if (hcr != HCR_RMM)
		crit_write_hcr_el2(hcr);
	if (cptr != 0u)
		write_cptr_el2(cptr);
	isb();
	return t;
}
