/*
 * The RMM's entry points (kernel/boot.c). head.S enters kernel_cold_boot()
 * and kernel_warm_boot(), which never return: each runs its *_init() part
 * and then the RMI loop, which hands every request EL3 delivers to
 * rmi_handle(). The host build (platform/host) calls the *_init() parts and
 * rmi_handle() itself.
 */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

#include <kernel/smc.h>
#include <stdint.h>

void kernel_cold_init(uint64_t cpu, uint64_t if_version, uint64_t cpu_count, uint64_t shared_pa);
void kernel_warm_init(uint64_t cpu);

/*
 * One RMI request: r holds x0..x7 as EL3 delivered them and receives the
 * answer to hand back (x0 = RMM_REQ_COMPLETE, x1 = status, x2..x5 outputs).
 */
void rmi_handle(struct smc_regs *r);

#endif
