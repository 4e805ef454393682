/* REC_ENTER and the running-REC claims (kernel/rec.c). */
#ifndef KERNEL_REC_H
#define KERNEL_REC_H

#include <kernel/rmi.h>
#include <stdbool.h>
#include <stdint.h>

void rmi_rec_enter(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_psci_complete(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_set_ripas(const struct rmi_req *req, struct rmi_reply *rep);

/*
 * Claims on the REC granule at pa, so that no one destroys a REC another CPU
 * is reading, or enters one being created (kernel/kstate.h, struct
 * rec_claims). A claim is taken by PA before the granule's state is asked
 * of the granule service: a granule that is a REC while claimed stays one
 * until the claim is released (REC_DESTROY needs REC_CLAIM_CHANGE), and a
 * REC's content is complete once its state is REC without a changer.
 *   REC_CLAIM_RUN     one at a time; with readers, not with a changer
 *   REC_CLAIM_READ    any number; not with a changer
 *   REC_CLAIM_CHANGE  alone
 * False if the claim conflicts with one held.
 */
enum rec_claim_mode {
	REC_CLAIM_RUN,
	REC_CLAIM_READ,
	REC_CLAIM_CHANGE,
};

bool rec_claim(uint64_t rec, enum rec_claim_mode mode);
void rec_release(uint64_t rec, enum rec_claim_mode mode);

/*
 * The REC registry: which granules are RECs, as the granule service (the
 * authority on granule states) announces each change (kapi_rec_mark), so
 * that REC_ENTER checks its REC without a message. Set after the granule
 * became a REC, cleared before it stops being one.
 */
bool rec_known(uint64_t pa);
void rec_mark(uint64_t pa, bool is_rec);

/*
 * Exclusive use of a realm's stage-2 tables and the realm memory they map,
 * by RD PA: the realm service holds it for each message (kernel/services.c,
 * by the message's first granule), the kernel around each walk and the realm
 * memory access it leads to, so a table is never walked while another CPU
 * unlinks it, nor a page written after another CPU destroyed it. Never held
 * across an IPC call. Spins while someone else holds it.
 */
void realm_lock(uint64_t rd);
void realm_unlock(uint64_t rd);

#endif
