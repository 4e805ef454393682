/*
 * A misbehaving attestation service, for the containment tests only
 * (make SERVICE_attest=faulty; tests/nshost/test_containment.c). It is the
 * real service behind a wrapper of its dispatcher: a REALM_CREATE with 3
 * watchpoints makes its rim_init misbehave in the way num_bps selects
 * (1..5), one with 2 watchpoints and 1, 3 or 4 breakpoints in the sixth,
 * seventh or eighth way; every other message goes to the real service. Lives outside services/ because it does on purpose
 * what services never may (turn integers into pointers).
 */
#include <ipc/attest.h>
#include <kernel/svc_api.h>
#include <attest_state.h>
#include <stdint.h>
#include <string.h>

#undef attest_dispatch	/* services.mk renamed the real one attest_dispatch_real */

enum ipc_status attest_dispatch(struct attest_state *st, uint16_t op, const uint8_t *msg,
				size_t len, uint8_t *rep, size_t cap, size_t *rep_len,
				int32_t *status);


enum mode {
	MODE_READ_KERNEL = 1,	/* read the kernel's memory: a permission fault */
	MODE_WRITE_RODATA = 2,	/* write its own read-only data: a permission fault */
	MODE_BAD_STATUS = 3,	/* reply with a transport status that does not exist */
	MODE_LONG_REPLY = 4,	/* reply longer than the buffer it was given */
	MODE_BAD_CALL = 5,	/* a system call pointing at the kernel's memory */
	MODE_UNDEFINED = 6,	/* an undefined instruction (brk) */
	MODE_LOOP = 7,		/* never reply */
	MODE_COUNTER = 8,	/* read the virtual counter (EL0 gets no timer or counter) */
};

static const uint64_t rodata_word = 0x61746f6c6c;

static enum ipc_status misbehave(uint32_t mode, size_t cap, size_t *rep_len)
{
	/* SAFETY: deliberately unsafe: this test variant must fault. */
	volatile uint64_t *kernel = (volatile uint64_t *)(uintptr_t)RMM_BASE;
	/* SAFETY: deliberately unsafe: the const is dropped to write read-only memory. */
	volatile uint64_t *ro = (volatile uint64_t *)(uintptr_t)&rodata_word;

	switch (mode) {
	case MODE_READ_KERNEL:
		return (enum ipc_status)(*kernel & 0xffu);
	case MODE_WRITE_RODATA:
		*ro = 0;
		return IPC_OK;
	case MODE_BAD_STATUS:
		return (enum ipc_status)77;
	case MODE_LONG_REPLY:
		*rep_len = cap + 1u;
		return IPC_OK;
	case MODE_BAD_CALL:
		/* SAFETY: deliberately unsafe: the kernel must refuse this buffer. */
		return kapi_random((void *)(uintptr_t)RMM_BASE, 8) == KAPI_OK ? IPC_OK : IPC_E_BAD_OP;
	case MODE_LOOP:
		for (volatile uint64_t n = 0;; n++)
			;
	case MODE_COUNTER: {
		uint64_t v;

		/* SAFETY: deliberately unsafe: EL0 may not read the counter, this must trap. */
		__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
		return (enum ipc_status)(v & 0xffu);
	}
	case MODE_UNDEFINED:
	default:
		__builtin_trap();
	}
}

enum ipc_status attest_dispatch(struct attest_state *st, uint16_t op, const uint8_t *msg,
				size_t len, uint8_t *rep, size_t cap, size_t *rep_len,
				int32_t *status)
{
	struct attest_rim_init_req r;

	if (op == ATTEST_OP_RIM_INIT && len == sizeof(r)) {
		memcpy(&r, msg, sizeof(r));
		if (r.num_wps == 3u)
			return misbehave(r.num_bps, cap, rep_len);
		if (r.num_wps == 2u && r.num_bps == 1u)
			return misbehave(MODE_UNDEFINED, cap, rep_len);
		if (r.num_wps == 2u && r.num_bps == 3u)
			return misbehave(MODE_LOOP, cap, rep_len);
		if (r.num_wps == 2u && r.num_bps == 4u)
			return misbehave(MODE_COUNTER, cap, rep_len);
	}
	return attest_dispatch_real(st, op, msg, len, rep, cap, rep_len, status);
}
