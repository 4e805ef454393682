/*
 * The simulated machine of the host build (issue 8): what the RMM's host
 * arch layer (arch/host) and the NS test host (tests/nshost/host_sim.c)
 * share. One DRAM bank of simulated physical memory (an array), a granule
 * protection table (one PAS per 4 KB granule) that EL3's GTSI calls flip,
 * and the calls that boot the RMM and hand it one RMI request.
 */
#ifndef HOST_MACHINE_H
#define HOST_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DRAM as TF-A's QEMU port describes it with -m 2G. */
#define SIM_DRAM_BASE		0x40000000ull
#define SIM_DRAM_SIZE		0x80000000ull
/* EL3's shared page: the granule after the RMM's window (as on QEMU). */
#define SIM_SHARED_PA		((uint64_t)RMM_BASE + (uint64_t)RMM_SIZE)
#define SIM_SVE_VL_BYTES	64u
#define SIM_GRANULE		4096ull

enum sim_pas {
	SIM_PAS_NS = 0,
	SIM_PAS_REALM,
	SIM_PAS_ROOT,
};

/* Map the memory, set up the GPT (the RMM window and shared page Realm, the rest NS). */
void sim_machine_init(void);

/* Pointer to [pa, pa + len) of simulated memory; NULL if not wholly in DRAM. */
void *sim_pa_ptr(uint64_t pa, size_t len);
/* The PA of a pointer into simulated memory; false if it is not one. */
bool sim_ptr_pa(const void *p, uint64_t *pa);

/* The PAS of the granule at pa (SIM_PAS_ROOT outside DRAM). */
enum sim_pas sim_gpt_get(uint64_t pa);
/* Atomically move the granule at pa from PAS from to PAS to; false if it was not in from. */
bool sim_gpt_move(uint64_t pa, enum sim_pas from, enum sim_pas to);

/*
 * Under ASan, a granule delegated to the Realm PAS is poisoned except while
 * some CPU has it mapped in a Realm slot (arch/host/mmu.c calls these), so
 * an RMM access to realm memory outside a slot mapping (a stale slot
 * pointer, an overrun into the next granule) is reported where it happens.
 * The RMM's own window is never poisoned.
 */
void sim_realm_slot_map(uint64_t pa);
void sim_realm_slot_unmap(uint64_t pa);

/*
 * Copy len bytes between dst and src if the granule at pa is in PAS pas,
 * with the GPT held still (no delegation in between); false, nothing
 * copied, if it is not (a granule protection fault).
 */
bool sim_copy_if_pas(uint64_t pa, enum sim_pas pas, void *dst, const void *src, size_t len);

/*
 * The RMM: cold boot on CPU 0 (EL3's RMM_BOOT_COMPLETE must report success
 * or the program aborts), warm boot of another CPU, and one RMI request
 * handled on the calling thread's CPU (in: x0..x7 as the NS host issued
 * them; out: x0..x4 as EL3 hands the answer back).
 */
void sim_rmm_cold_boot(unsigned int cpu_count);
void sim_rmm_warm_boot(unsigned int cpu);
void sim_rmm_rmi(const uint64_t in[8], uint64_t out[8]);

/* Make the calling thread CPU cpu (arch/host/cpu.c). */
void sim_set_cpu(unsigned int cpu);

/* The reset value of an ID register as the RMM sees it (by name, for the NS host). */
enum sim_id { SIM_ID_MMFR0, SIM_ID_PFR0, SIM_ID_DFR0, SIM_ID_DFR1, SIM_ID_PMCR, SIM_ID_MIDR,
	      SIM_ID_ZFR0 };
uint64_t sim_id_reg(enum sim_id which);

#endif
