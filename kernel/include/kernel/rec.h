/* REC_ENTER and the running-REC claims (kernel/rec.c). */
#ifndef KERNEL_REC_H
#define KERNEL_REC_H

#include <kernel/rmi.h>
#include <stdbool.h>
#include <stdint.h>

void rmi_rec_enter(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_psci_complete(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_set_ripas(const struct rmi_req *req, struct rmi_reply *rep);

/* Claim the REC at pa (running it, or changing its run state); false if held already. */
bool rec_claim(uint64_t rec);
void rec_release(uint64_t rec);

#endif
