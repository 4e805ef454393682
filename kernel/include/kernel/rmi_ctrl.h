/* RMI commands served by the services (kernel/rmi_ctrl.c). */
#ifndef KERNEL_RMI_CTRL_H
#define KERNEL_RMI_CTRL_H

#include <kernel/rmi.h>

void rmi_granule_delegate(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_granule_undelegate(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_realm_create(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_realm_activate(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_realm_destroy(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rec_aux_count(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_create(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_destroy(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_fold(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_read_entry(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_map_unprotected(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_unmap_unprotected(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rtt_init_ripas(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_data_create(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_data_create_unknown(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_data_destroy(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rec_create(const struct rmi_req *req, struct rmi_reply *rep);
void rmi_rec_destroy(const struct rmi_req *req, struct rmi_reply *rep);

#endif
