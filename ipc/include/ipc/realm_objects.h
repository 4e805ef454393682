/*
 * The part of a Realm Descriptor whose format the kernel and the realm
 * service share: the stage-2 configuration the kernel's table primitives
 * (and later REC_ENTER) read from the RD granule. The realm service owns
 * the content; the kernel only reads it through the RD lease of the message
 * in hand. Everything after it in the RD is private to the realm service.
 */
#ifndef IPC_REALM_OBJECTS_H
#define IPC_REALM_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

enum realm_lifecycle {
	REALM_NEW = 1,		/* 0 never appears: a DELEGATED granule is all zero */
	REALM_ACTIVE = 2,
	REALM_SYSTEM_OFF = 3,
};

struct rd_s2 {
	uint64_t rtt_base;	/* PA of the first root RTT */
	int32_t start_level;	/* -1..3 */
	uint32_t s2sz;		/* IPA width in bits */
	uint32_t num_roots;	/* concatenated root RTTs */
	uint32_t vmid;
	uint32_t state;		/* enum realm_lifecycle */
	uint32_t lpa2;		/* 1 if the realm uses FEAT_LPA2 */
	uint64_t rec_count;	/* RECs created so far: REC indices 0..rec_count-1 exist or existed */
	uint32_t sve;		/* 1 if the realm was created with SVE */
	uint32_t sve_len;	/* its vector length as ZCR_ELx.LEN (VL / 128 - 1) */
	uint32_t pmu_ctrs;	/* PMU event counters given to the realm; 0: no PMU */
	uint32_t pad0;
};
_Static_assert(offsetof(struct rd_s2, start_level) == 8, "rd_s2 layout");
_Static_assert(offsetof(struct rd_s2, state) == 24, "rd_s2 layout");
_Static_assert(offsetof(struct rd_s2, rec_count) == 32, "rd_s2 layout");
_Static_assert(offsetof(struct rd_s2, sve) == 40, "rd_s2 layout");
_Static_assert(sizeof(struct rd_s2) == 56, "rd_s2 layout");

/*
 * The start of a REC granule: the vCPU state the kernel's REC_ENTER path
 * (issue 5) and the realm service share. The realm service creates it.
 */
#define REC_MAX_AUX	16u

struct rec_core {
	uint64_t owner_rd;	/* PA of the realm's RD */
	uint32_t runnable;	/* RmiRecParams.flags.RUNNABLE; then PSCI CPU_ON/OFF (kernel) */
	uint32_t running;	/* set by the kernel while the REC runs on a CPU */
	uint64_t mpidr;		/* RmiRecMpidr as given */
	uint64_t index;		/* REC index within the realm */
	uint64_t pc;
	uint64_t gprs[31];	/* x0..x30 */
	uint64_t num_aux;
	uint64_t aux[REC_MAX_AUX];
};
_Static_assert(offsetof(struct rec_core, gprs) == 40, "rec_core layout");
_Static_assert(offsetof(struct rec_core, aux) == 296, "rec_core layout");
_Static_assert(sizeof(struct rec_core) == 424, "rec_core layout");

/* Entry states and RIPAS as RMI_RTT_READ_ENTRY reports them (structures.md 1.5, 1.6). */
#define RTTE_UNASSIGNED	0u
#define RTTE_ASSIGNED	1u
#define RTTE_TABLE	2u
#define RIPAS_EMPTY	0u
#define RIPAS_RAM	1u
#define RIPAS_DESTROYED	2u

#endif
