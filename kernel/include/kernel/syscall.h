/*
 * The EL0 service ABI: system-call numbers (the SVC instruction's
 * immediate) of the calls of kernel/svc_api.h and ipc_call(), made by a
 * service at EL0 (arch/aarch64/el0_abi.S). Arguments and the result travel
 * in x0..x7 / x0 as in a procedure call. Shared by assembly and C.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#define SYS_REPLY		0	/* the entry function returned: x0 is its result */
#define SYS_IPC_CALL		1
#define SYS_IN_DRAM		2	/* ipc_env_in_dram */
#define SYS_LEASE_READ		3
#define SYS_LEASE_WRITE		4
#define SYS_LEASE_COUNT		5
#define SYS_LEASE_ZERO		6
#define SYS_GTSI_DELEGATE	7
#define SYS_GTSI_UNDELEGATE	8
#define SYS_RTT_INIT		9
#define SYS_RTT_LIVE_COUNT	10
#define SYS_S2_READ		11
#define SYS_S2_SET		12
#define SYS_S2_UNFOLD		13
#define SYS_S2_SCAN		14
#define SYS_S2_NEXT_LIVE	15
#define SYS_COPY_FROM_NS	16
#define SYS_REC_HOLD		17
#define SYS_REC_UNHOLD		18
#define SYS_RANDOM		19
#define SYS_FEAT_REG0		20
#define SYS_VMID_BITS		21
#define SYS_REC_MARK		22
#define SYS_COUNT		23

#endif
