/*
 * RMI control-plane commands: the kernel copies host parameters in through
 * the checked NS accessor, turns registers into typed messages and hands
 * them to the owning service through the IPC transport. The services check
 * the remaining failure conditions in the order of rmi.md.
 */
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <kernel/gmem.h>
#include <kernel/log.h>
#include <kernel/rmi.h>
#include <kernel/rmi_ctrl.h>
#include <string.h>

static struct ipc_granule_ref gref(uint64_t pa)
{
	struct ipc_granule_ref r = { .lease = IPC_LEASE_NEW, .pa = pa };

	return r;
}

/* A transport error on a kernel-built message is the RMM's own fault: log it. */
static uint64_t transport_failed(const char *cmd, enum ipc_status st)
{
	struct log_line l;

	log_begin(&l);
	log_str(&l, "IPC transport error ");
	log_dec(&l, (uint64_t)st);
	log_str(&l, " in ");
	log_str(&l, cmd);
	log_end(&l);
	return RMI_ERROR_INPUT;
}

void rmi_granule_delegate(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct granule_delegate_req m = { .gran = gref(req->arg[0]) };
	enum ipc_status t;
	int32_t st;

	if (!dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	t = granule_delegate(&m, &st);
	if (t != IPC_OK)
		rep->status = transport_failed("GRANULE_DELEGATE", t);
	else
		rep->status = st == GRANULE_GSTATUS_OK ? RMI_SUCCESS : RMI_ERROR_INPUT;
}

void rmi_granule_undelegate(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct granule_undelegate_req m = { .gran = gref(req->arg[0]) };
	enum ipc_status t;
	int32_t st;

	if (!dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	t = granule_undelegate(&m, &st);
	if (t != IPC_OK) {
		rep->status = transport_failed("GRANULE_UNDELEGATE", t);
		return;
	}
	if (st == GRANULE_GSTATUS_EL3_REFUSED)
		log_msg_hex("EL3 refused to undelegate a DELEGATED granule ", req->arg[0]);
	rep->status = st == GRANULE_GSTATUS_OK ? RMI_SUCCESS : RMI_ERROR_INPUT;
}

/* RmiRealmParams offsets (structures.md 4). */
#define RP_FLAGS		0x000u
#define RP_S2SZ			0x008u
#define RP_SVE_VL		0x010u
#define RP_NUM_BPS		0x018u
#define RP_NUM_WPS		0x020u
#define RP_PMU_NUM_CTRS		0x028u
#define RP_HASH_ALGO		0x030u
#define RP_RPV			0x400u
#define RP_VMID			0x800u
#define RP_RTT_BASE		0x808u
#define RP_RTT_LEVEL_START	0x810u
#define RP_RTT_NUM_START	0x818u

static uint64_t rp64(const uint64_t *w, unsigned int off)
{
	return w[off / 8u];
}

void rmi_realm_create(const struct rmi_req *req, struct rmi_reply *rep)
{
	uint64_t head[7], tail[4], rpv[8];
	struct realm_create_req m;
	enum ipc_status t;
	int32_t st;

	/* 1. params_ptr must be an NS granule we can copy (rmi.md 6). */
	if (!ns_read(req->arg[1], RP_FLAGS, head, sizeof(head)) ||
	    !ns_read(req->arg[1], RP_RPV, rpv, sizeof(rpv)) ||
	    !ns_read(req->arg[1], RP_VMID, tail, sizeof(tail))) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	/* 4 (checked early, same status): rd must be a DRAM granule. */
	if (!dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	/* Field widths as TF-RMM loads them (structures.md 4). */
	memset(&m, 0, sizeof(m));
	memcpy(m.rpv, rpv, sizeof(m.rpv));
	m.rd = gref(req->arg[0]);
	m.flags = rp64(head, RP_FLAGS);
	m.s2sz = (uint32_t)rp64(head, RP_S2SZ);
	m.sve_vl = (uint32_t)rp64(head, RP_SVE_VL);
	m.num_bps = (uint32_t)rp64(head, RP_NUM_BPS);
	m.num_wps = (uint32_t)rp64(head, RP_NUM_WPS);
	m.pmu_num_ctrs = (uint32_t)rp64(head, RP_PMU_NUM_CTRS);
	m.hash_algo = (uint32_t)(rp64(head, RP_HASH_ALGO) & 0xffu);
	m.vmid = (uint32_t)(tail[0] & 0xffffu);
	m.rtt_base = tail[(RP_RTT_BASE - RP_VMID) / 8u];
	m.rtt_level_start = tail[(RP_RTT_LEVEL_START - RP_VMID) / 8u];
	m.rtt_num_start = (uint32_t)tail[(RP_RTT_NUM_START - RP_VMID) / 8u];
	t = realm_create(&m, &st);
	rep->status = t == IPC_OK ? (uint64_t)(uint32_t)st : transport_failed("REALM_CREATE", t);
}

/* Commands whose only argument is rd. */
static bool rd_arg(const struct rmi_req *req, struct rmi_reply *rep, struct ipc_granule_ref *rd)
{
	if (!dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return false;
	}
	*rd = gref(req->arg[0]);
	return true;
}

void rmi_realm_activate(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_activate_req m;
	enum ipc_status t;
	int32_t st;

	if (!rd_arg(req, rep, &m.rd))
		return;
	t = realm_activate(&m, &st);
	rep->status = t == IPC_OK ? (uint64_t)(uint32_t)st : transport_failed("REALM_ACTIVATE", t);
}

void rmi_realm_destroy(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_destroy_req m;
	enum ipc_status t;
	int32_t st;

	if (!rd_arg(req, rep, &m.rd))
		return;
	t = realm_destroy(&m, &st);
	rep->status = t == IPC_OK ? (uint64_t)(uint32_t)st : transport_failed("REALM_DESTROY", t);
}

void rmi_rec_aux_count(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_aux_count_req m;
	struct realm_aux_count_rep r;
	enum ipc_status t;
	int32_t st;

	if (!rd_arg(req, rep, &m.rd))
		return;
	t = realm_aux_count(&m, &r, &st);
	rep->status = t == IPC_OK ? (uint64_t)(uint32_t)st : transport_failed("REC_AUX_COUNT", t);
	if (t == IPC_OK && st == 0)
		rep->out[0] = r.count;
}
