/*
 * The service side of the EL0 ABI, linked into every service (services/
 * services.mk): the entry trampoline, first in the service's text, and one
 * system-call stub per kernel call. Each stub is `svc #nr; ret`: the kernel
 * reads nr from the syndrome, takes the arguments from x0..x7 and returns
 * its result in x0 (kernel/svc_el0.c).
 */
#include <kernel/syscall.h>

	/*
	 * The kernel enters a service here with x0..x7 = arguments and x9 =
	 * the function to run, on the service's own stack; the function's
	 * result goes back with SYS_REPLY, after which the kernel never
	 * resumes this context (brk: a resumption would be a kernel bug).
	 */
	.section .text.svc_entry, "ax"
	.globl	svc_el0_start
	/* SAFETY: runs at EL0 in the service's own address space; x9 is a service entry point set by the kernel. */
svc_el0_start:
	blr	x9
	svc	#SYS_REPLY
	brk	#0

	/* SAFETY: a system call: the kernel checks every argument against the calling service's own memory and leases. */
	.macro	syscall name, nr
	.section .text.\name, "ax"
	.globl	\name
	.type	\name, %function
\name:
	svc	#\nr
	ret
	.endm

	/* SAFETY: one stub per call of kernel/svc_api.h (and ipc_call, ipc_env_in_dram), numbered by kernel/syscall.h. */
	syscall	ipc_call, SYS_IPC_CALL
	syscall	ipc_env_in_dram, SYS_IN_DRAM
	syscall	kapi_lease_read, SYS_LEASE_READ
	syscall	kapi_lease_write, SYS_LEASE_WRITE
	syscall	kapi_lease_count, SYS_LEASE_COUNT
	syscall	kapi_lease_zero, SYS_LEASE_ZERO
	syscall	kapi_gtsi_delegate, SYS_GTSI_DELEGATE
	syscall	kapi_gtsi_undelegate, SYS_GTSI_UNDELEGATE
	syscall	kapi_rtt_init, SYS_RTT_INIT
	syscall	kapi_rtt_live_count, SYS_RTT_LIVE_COUNT
	syscall	kapi_s2_read, SYS_S2_READ
	syscall	kapi_s2_set, SYS_S2_SET
	syscall	kapi_s2_unfold, SYS_S2_UNFOLD
	syscall	kapi_s2_scan, SYS_S2_SCAN
	syscall	kapi_s2_next_live, SYS_S2_NEXT_LIVE
	syscall	kapi_copy_from_ns, SYS_COPY_FROM_NS
	syscall	kapi_rec_hold, SYS_REC_HOLD
	syscall	kapi_rec_unhold, SYS_REC_UNHOLD
	syscall	kapi_random, SYS_RANDOM
	syscall	kapi_feat_reg0, SYS_FEAT_REG0
	syscall	kapi_vmid_bits, SYS_VMID_BITS
	syscall	kapi_rec_mark, SYS_REC_MARK
