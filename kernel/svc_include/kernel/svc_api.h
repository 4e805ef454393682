/*
 * The kernel's narrow service-facing interface: the only kernel header a
 * service may include. Everything a service does outside its own state goes
 * through these calls or through ipc_call() (ipc/include/ipc/ipc.h).
 *
 * Leases are numbered per message: lease i is the i-th granule_ref field of
 * the request, then the lease_fwd fields follow. A granule_ref lease starts
 * as an inactive candidate (except in the granule service, the authority on
 * granule states); it becomes usable when a granule-service claim/lookup on
 * it succeeds. A lookup/claim naming IPC_LEASE_NEW and a pa appends a new
 * lease (index kapi_lease_count() - 1 after the call). A lease is usable
 * only while its message is being handled, within its range, with its rights. Today these calls
 * are function calls at EL2; with services at EL0 (issue 10) they become
 * system calls and the services do not change.
 */
#ifndef KERNEL_SVC_API_H
#define KERNEL_SVC_API_H

#include <ipc/realm_objects.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kapi_status {
	KAPI_OK = 0,
	KAPI_E_LEASE = 1,	/* no such lease, not active, outside its range or rights */
	KAPI_E_DENIED = 2,	/* the calling service may not use this call */
	KAPI_E_EL3 = 3,		/* EL3 refused */
};

/* Copy bytes of a leased granule (offsets relative to the lease's range). */
enum kapi_status kapi_lease_read(unsigned int lease, size_t off, void *dst, size_t len);
enum kapi_status kapi_lease_write(unsigned int lease, size_t off, const void *src, size_t len);
/* Number of leases of the message being handled. */
unsigned int kapi_lease_count(void);
/* Zero the whole leased range. */
enum kapi_status kapi_lease_zero(unsigned int lease);

/* Granule service only: ask EL3 to move the leased granule between PASes. */
enum kapi_status kapi_gtsi_delegate(unsigned int lease);
enum kapi_status kapi_gtsi_undelegate(unsigned int lease);

/*
 * Granule service only: the leased granule has just become a REC (is_rec),
 * or is about to stop being one. The kernel keeps a registry of RECs from
 * these calls so that REC_ENTER, its hot path, checks its REC without a
 * message (kernel/rec.h).
 */
enum kapi_status kapi_rec_mark(unsigned int lease, bool is_rec);

/* Stage-2 primitives (the RTT format belongs to the kernel). */
enum kapi_rtt_init {
	KAPI_RTT_INIT_UNASSIGNED_EMPTY,	/* protected range: UNASSIGNED, RIPAS EMPTY */
	KAPI_RTT_INIT_UNASSIGNED_NS,	/* unprotected range: UNASSIGNED_NS */
};
/*
 * Fill entries [first, first + count) of the leased RTT granule with the
 * given initial state.
 */
enum kapi_status kapi_rtt_init(unsigned int lease, unsigned int first, unsigned int count,
			       enum kapi_rtt_init kind);
/* Number of live entries (refcount) of a leased RTT granule. */
enum kapi_status kapi_rtt_live_count(unsigned int lease, uint64_t *count);

/*
 * Stage-2 (RTT) primitives. rd_lease is an active lease on the realm's RD:
 * the kernel reads the realm's stage-2 configuration (ipc/realm_objects.h)
 * from it and walks that realm's tables only.
 */
struct kapi_rtte {
	int32_t level;		/* level of this entry */
	uint32_t state;		/* RTTE_UNASSIGNED / RTTE_ASSIGNED / RTTE_TABLE */
	uint32_t ripas;		/* RIPAS of a protected entry */
	uint32_t ns;		/* 1: unprotected entry (UNASSIGNED_NS / ASSIGNED_NS) */
	uint64_t addr;		/* ASSIGNED: output PA; ASSIGNED_NS: host descriptor; TABLE: RTT PA */
	uint64_t raw;		/* stored encoding: the token kapi_s2_set() compares */
};

/* Walk towards `level` and report the entry at the deepest level reached. */
enum kapi_status kapi_s2_read(unsigned int rd_lease, uint64_t ipa, int32_t level,
			      struct kapi_rtte *out);
/*
 * Replace the entry at exactly `level` for ipa, which must still be
 * expect_raw, by the encoding of *e (state, ripas, ns, addr). Removing or
 * changing a valid mapping is done break-before-make with TLB invalidation
 * for the realm's VMID.
 */
enum kapi_status kapi_s2_set(unsigned int rd_lease, uint64_t ipa, int32_t level,
			     uint64_t expect_raw, const struct kapi_rtte *e);
/* Fill the leased new RTT of `level` with the unfolded parent entry. */
enum kapi_status kapi_s2_unfold(unsigned int rtt_lease, int32_t level,
				const struct kapi_rtte *parent);

/* What the RTT below the TABLE entry at (ipa, level - 1) holds. */
struct kapi_rtt_scan {
	uint64_t rtt;		/* PA of that RTT */
	uint32_t live;		/* TABLE and protected ASSIGNED entries */
	uint32_t foldable;	/* 1: the parent entry could become `fold` */
	struct kapi_rtte fold;	/* the folded parent entry (level - 1) */
	uint32_t fold_level_err; /* 1: foldable, but only into a level-0 block */
};
enum kapi_status kapi_s2_scan(unsigned int rd_lease, uint64_t ipa, int32_t level,
			      struct kapi_rtt_scan *out);
/* SkipNonLive (rmi.md 1): ipa if its entry is live, else the next live one in its RTT. */
enum kapi_status kapi_s2_next_live(unsigned int rd_lease, uint64_t ipa, uint64_t *top);

/* Copy the NS granule src into the leased granule (DATA_CREATE); KAPI_E_LEASE
 * on a bad lease, KAPI_E_DENIED if src is not an NS DRAM granule or faults. */
enum kapi_status kapi_copy_from_ns(unsigned int lease, uint64_t src);

/*
 * Hold the leased granule alone (kernel/rec.h, REC_CLAIM_CHANGE): while held,
 * no CPU enters, reads or changes it as a REC. For REC_DESTROY and for
 * REC_CREATE (held from before the granule becomes a REC until its content
 * is written). KAPI_E_DENIED if anyone else holds it. Released with
 * kapi_rec_unhold.
 */
enum kapi_status kapi_rec_hold(unsigned int rec_lease);
void kapi_rec_unhold(unsigned int rec_lease);

/* Platform facts a service may need. */
/* len bytes from the CPU's random number generator (FEAT_RNG); KAPI_E_DENIED without one. */
enum kapi_status kapi_random(void *buf, size_t len);

uint64_t kapi_feat_reg0(void);		/* RmiFeatureRegister0 */
unsigned int kapi_vmid_bits(void);	/* 8 or 16 */

#endif
