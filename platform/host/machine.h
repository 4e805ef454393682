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

/*
 * Fault injection in the simulated EL3 (issue 8 item 4): the next count
 * calls of one EL3 function (SIM_FAIL_FOREVER: every call until cleared
 * with count 0) fail with code, one of the RMM-EL3 interface's error codes
 * (el3.md 5), without doing anything. sim_el3_calls() counts the calls of
 * the function EL3 has seen (failed or not).
 */
enum sim_el3_fn { SIM_EL3_GTSI_DELEGATE, SIM_EL3_GTSI_UNDELEGATE, SIM_EL3_RAK,
		  SIM_EL3_PLAT_TOKEN, SIM_EL3_FNS };
#define SIM_E_RMM_UNK		(-1)
#define SIM_E_RMM_BAD_ADDR	(-2)
#define SIM_E_RMM_BAD_PAS	(-3)
#define SIM_E_RMM_NOMEM		(-4)
#define SIM_E_RMM_INVAL		(-5)
#define SIM_E_RMM_AGAIN		(-6)
#define SIM_FAIL_FOREVER	0xffffffffu
void sim_el3_fail(enum sim_el3_fn fn, unsigned int count, int64_t code);
unsigned int sim_el3_calls(enum sim_el3_fn fn);
/*
 * The same from a string, for a fresh machine set up before cold boot
 * (ATOLL_SIM_EL3_FAIL): "fn[:count[:code]]" separated by commas, fn one of
 * gtsi_delegate, gtsi_undelegate, rak, plat_token; count "forever" or a
 * number (default forever), code a negative number (default -1). False,
 * nothing set, on a malformed spec.
 */
bool sim_el3_fail_spec(const char *spec);
/*
 * EL3 answering wrongly instead of failing: the RAK call reports 32 bytes
 * instead of 48; the platform token comes as a hunk larger than the shared
 * buffer, as an empty token, or as hunks that never end. In a spec:
 * "odd:rak_size", "odd:plat_huge", "odd:plat_empty", "odd:plat_endless".
 */
enum sim_el3_odd { SIM_ODD_NONE, SIM_ODD_RAK_SIZE, SIM_ODD_PLAT_HUGE, SIM_ODD_PLAT_EMPTY,
		   SIM_ODD_PLAT_ENDLESS };
void sim_el3_misbehave(enum sim_el3_odd how);

/* Whether the RMM's recent console output (at least the last 32 KB) contains s. */
bool sim_console_seen(const char *s);

/*
 * ---- Realm execution (issue 8): scripted ----
 * arch_realm_run() hands the realm's registers (kernel/rec.c struct
 * realm_regs, the layout realm_entry.S uses) to the script and returns the
 * exception kind it chooses, with the syndrome in esr/far/hpfar, as the
 * exception vectors would. With no script set, a realm run ends the program.
 */
struct sim_vcpu {
	uint64_t x[31];
	uint64_t sp_el0, pc, pstate;
	uint64_t esr, far, hpfar;
};
_Static_assert(offsetof(struct sim_vcpu, sp_el0) == 248u && offsetof(struct sim_vcpu, hpfar) == 288u,
	       "kernel/rec.c struct realm_regs");
#define SIM_EXC_SYNC	8u
#define SIM_EXC_IRQ	9u
#define SIM_EXC_FIQ	10u
#define SIM_EXC_SERROR	11u
typedef uint64_t (*sim_realm_fn)(struct sim_vcpu *v);
void sim_realm_script(sim_realm_fn fn);
/*
 * Stage-2 translation of ipa through the tables the calling CPU has loaded
 * (VTTBR_EL2, VTCR_EL2): the PA, and whether the descriptor is an NS one;
 * false on a translation fault, with the level of the last table read.
 */
bool sim_realm_translate(uint64_t ipa, uint64_t *pa, bool *ns, int *level);

/*
 * ---- Snapshots (the RMI fuzzer, tests/fuzz/fuzz_rmi.c) ----
 * sim_machine_regions() names every mutable byte the simulation keeps
 * outside DRAM: the GPT, the slot maps, EL3's fault plan, the CPUs'
 * registers, FP files and slot mappings. sim_dram_save/restore copy
 * simulated memory whatever its ASan poison; restore rewrites only the 4 KB
 * chunks that differ, poisons each granule again by the GPT (restore the
 * GPT first) and returns how many chunks it rewrote.
 */
struct sim_region {
	void *p;
	size_t len;
};
size_t sim_machine_regions(struct sim_region *r, size_t max);
void sim_dram_save(uint64_t pa, void *dst, size_t len);
size_t sim_dram_restore(uint64_t pa, const void *src, size_t len);
/* The host arch layer's own state (arch/host), for sim_machine_regions(). */
size_t host_arch_regions(struct sim_region *r, size_t max);

/*
 * ---- The realm's processor (issue 8): a realm program in C ----
 * sim_realm_program() makes every REC run a program, on a thread of its
 * own per REC, against a simulated R-EL1: what the program does that the
 * hardware would trap (SMC, HVC, WFx, trapped system registers, FP/SVE
 * while CPTR_EL2 traps them, stage-2 faults of data accesses and
 * instruction fetches, and physical interrupts from the realm's timers)
 * becomes an exit to the RMM with the syndrome the hardware gives; what
 * it would not trap runs on the simulated CPU (memory through the realm's
 * stage 2, the timers, the GIC's list registers, the FP/SVE files). An
 * exception the RMM injects (or one the realm takes by itself) runs the
 * program's handlers, then the program goes on after the instruction.
 * The kernel, unchanged, cannot tell the difference between a program
 * and the firmware's payload.
 */
struct sim_realm_prog {
	void (*main)(uint64_t x0);		/* a REC whose PC is 0 */
	void (*secondary)(uint64_t x0);		/* a REC whose PC is secondary_pc (PSCI CPU_ON) */
	uint64_t secondary_pc;
	void (*sync_el1)(uint64_t esr, uint64_t far);	/* synchronous exception at EL1 */
	void (*irq_el1)(void);				/* IRQ at EL1 */
};
void sim_realm_program(const struct sim_realm_prog *p);
/* Called after every exit a realm program makes, on the CPU that ran it (NULL: none). */
void sim_realm_observe(void (*fn)(unsigned int cpu, const struct sim_vcpu *v, uint64_t kind));

enum rcpu_reg {
	RCPU_ID_AA64PFR0, RCPU_ID_AA64PFR1, RCPU_ID_AA64MMFR0, RCPU_ID_AA64ZFR0, RCPU_ID_AA64DFR0,
	RCPU_PMCR, RCPU_PMCCNTR, RCPU_DBGBVR0, RCPU_ICC_SGI1R, RCPU_ICC_PMR, RCPU_ICC_IGRPEN1,
	RCPU_ICC_IAR1, RCPU_ICC_EOIR1, RCPU_CNTVCT, RCPU_CNTV_CTL, RCPU_CNTV_CVAL, RCPU_CPACR,
	RCPU_ZCR_EL1, RCPU_PMSELR, RCPU_PMXEVTYPER, RCPU_PMXEVCNTR, RCPU_PMCNTENSET, RCPU_PMSWINC,
	RCPU_PMINTENSET, RCPU_PMOVSSET, RCPU_PMOVSCLR, RCPU_REGS
};
/* x[0..11] in and out, as a real SMC #0 would leave them. */
void rcpu_smc(uint64_t x[12]);
void rcpu_hvc(void);
void rcpu_wfi(void);
uint64_t rcpu_load(uint64_t va, unsigned int size);
void rcpu_store(uint64_t va, unsigned int size, uint64_t v);
uint64_t rcpu_mrs(enum rcpu_reg r);
void rcpu_msr(enum rcpu_reg r, uint64_t v);
/* FP: d9 = d9 + d9 after d9 = bits (bits == 0: only read d9); SVE RDVL and SME RDSVL (0 if UNDEFINED). */
uint64_t rcpu_fp_d9(uint64_t bits, bool set);
uint64_t rcpu_rdvl(void);
/* SVE: Z<n> / P<n> at the current vector length, read or written. */
void rcpu_sve(unsigned int n, bool pred, uint8_t *buf, bool write);
uint64_t rcpu_rdsvl(void);
/* Branch to va and execute what is there (the payload's realm_try_exec): false if it faulted. */
bool rcpu_exec(uint64_t va);
/* DAIF.I cleared, then set again: a pending virtual IRQ is taken in between. */
void rcpu_irq_window(void);
/* A physical FIQ (SIM_EXC_FIQ) or an SError with syndrome esr (SIM_EXC_SERROR) taken to EL2. */
void rcpu_async(uint64_t kind, uint64_t esr);

/* The calling CPU's FP register d<n> (the NS host's FP/SIMD state is the CPU's). */
uint64_t sim_fp_d(unsigned int n);
void sim_fp_set_d(unsigned int n, uint64_t v);
/*
 * The calling CPU's SVE registers at the simulated maximum vector length:
 * z<n> (SIM_SVE_VL_BYTES bytes) and p<n> (an eighth of that),
 * read or written; a NULL buffer is skipped.
 */
void sim_sve_access(unsigned int n, uint8_t *z, uint8_t *p, bool write);
/* The calling CPU's PMU as the NS host sets it (event counter 0, its type, PMSELR_EL0), or reads it. */
void sim_pmu_host(uint64_t *ctr0, uint64_t *type0, uint64_t *sel, bool write);

#endif
