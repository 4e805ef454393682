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

/* The realm service's status goes to the host as is (status | index << 8). */
/* st is read after the call (argument evaluation order is unspecified in C). */
static bool call_ok(const char *cmd, enum ipc_status t, const int32_t *st, struct rmi_reply *rep)
{
	rep->status = t == IPC_OK ? (uint64_t)(uint32_t)*st : transport_failed(cmd, t);
	return t == IPC_OK;
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
	(void)call_ok("REALM_CREATE", realm_create(&m, &st), &st, rep);
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
	int32_t st;

	if (!rd_arg(req, rep, &m.rd))
		return;
	(void)call_ok("REALM_ACTIVATE", realm_activate(&m, &st), &st, rep);
}

void rmi_realm_destroy(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_destroy_req m;
	int32_t st;

	if (!rd_arg(req, rep, &m.rd))
		return;
	(void)call_ok("REALM_DESTROY", realm_destroy(&m, &st), &st, rep);
}

void rmi_rec_aux_count(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_aux_count_req m;
	struct realm_aux_count_rep r;
	int32_t st;

	if (!rd_arg(req, rep, &m.rd))
		return;
	if (call_ok("REC_AUX_COUNT", realm_aux_count(&m, &r, &st), &st, rep) && st == 0)
		rep->out[0] = r.count;
}

/* ---- stage-2 tables and data (rmi.md 14-24) ---- */

void rmi_rtt_create(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_create_req m;
	int32_t st = 0;

	if (!rd_arg(req, rep, &m.rd))
		return;
	if (!dram_granule_valid(req->arg[1])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.rtt = gref(req->arg[1]);
	m.ipa = req->arg[2];
	m.level = req->arg[3];
	(void)call_ok("RTT_CREATE", realm_rtt_create(&m, &st), &st, rep);
}

void rmi_rtt_destroy(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_destroy_req m;
	struct realm_rtt_destroy_rep r = { 0 };
	int32_t st = 0;

	if (!rd_arg(req, rep, &m.rd))
		return;
	m.ipa = req->arg[1];
	m.level = req->arg[2];
	if (call_ok("RTT_DESTROY", realm_rtt_destroy(&m, &r, &st), &st, rep)) {
		rep->out[0] = st == 0 ? r.rtt : 0u;
		rep->out[1] = r.top;
	}
}

void rmi_rtt_fold(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_fold_req m;
	struct realm_rtt_fold_rep r = { 0 };
	int32_t st = 0;

	if (!rd_arg(req, rep, &m.rd))
		return;
	m.ipa = req->arg[1];
	m.level = req->arg[2];
	if (call_ok("RTT_FOLD", realm_rtt_fold(&m, &r, &st), &st, rep) && st == 0)
		rep->out[0] = r.rtt;
}

void rmi_rtt_read_entry(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_read_entry_req m;
	struct realm_rtt_read_entry_rep r = { 0 };
	int32_t st = 0;

	if (!rd_arg(req, rep, &m.rd))
		return;
	m.ipa = req->arg[1];
	m.level = req->arg[2];
	if (call_ok("RTT_READ_ENTRY", realm_rtt_read_entry(&m, &r, &st), &st, rep) && st == 0) {
		rep->out[0] = r.walk_level;
		rep->out[1] = r.state;
		rep->out[2] = r.desc;
		rep->out[3] = r.ripas;
	}
}

void rmi_rtt_map_unprotected(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_map_unprotected_req m;
	int32_t st = 0;
	int64_t level = (int64_t)req->arg[2];

	if (level < 1 || level > 3) {
		rep->status = RMI_ERROR_INPUT;	/* checked before the rd (rmi.md 17) */
		return;
	}
	if (!rd_arg(req, rep, &m.rd))
		return;
	m.ipa = req->arg[1];
	m.level = req->arg[2];
	m.desc = req->arg[3];
	(void)call_ok("RTT_MAP_UNPROTECTED", realm_rtt_map_unprotected(&m, &st), &st, rep);
}

void rmi_rtt_unmap_unprotected(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_unmap_unprotected_req m;
	struct realm_rtt_unmap_unprotected_rep r = { 0 };
	int32_t st = 0;

	if (!rd_arg(req, rep, &m.rd))
		return;
	m.ipa = req->arg[1];
	m.level = req->arg[2];
	if (call_ok("RTT_UNMAP_UNPROTECTED", realm_rtt_unmap_unprotected(&m, &r, &st), &st, rep))
		rep->out[0] = r.top;
}

void rmi_rtt_init_ripas(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rtt_init_ripas_req m;
	struct realm_rtt_init_ripas_rep r = { 0 };
	int32_t st = 0;

	if (req->arg[2] <= req->arg[1]) {
		rep->status = RMI_ERROR_INPUT;	/* size_valid comes first (rmi.md 20) */
		return;
	}
	if (!rd_arg(req, rep, &m.rd))
		return;
	m.base = req->arg[1];
	m.top = req->arg[2];
	if (call_ok("RTT_INIT_RIPAS", realm_rtt_init_ripas(&m, &r, &st), &st, rep) && st == 0)
		rep->out[0] = r.top;
}

void rmi_data_create(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_data_create_req m;
	int32_t st = 0;

	/* 1. flags, 2. src must be a DRAM granule (its state is checked by the service) */
	if (req->arg[4] > 1u || !dram_granule_valid(req->arg[3]) ||
	    !dram_granule_valid(req->arg[1]) || !dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.rd = gref(req->arg[0]);
	m.data = gref(req->arg[1]);
	m.ipa = req->arg[2];
	m.src = req->arg[3];
	m.flags = req->arg[4];
	(void)call_ok("DATA_CREATE", realm_data_create(&m, &st), &st, rep);
}

void rmi_data_create_unknown(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_data_create_unknown_req m;
	int32_t st = 0;

	if (!dram_granule_valid(req->arg[1]) || !rd_arg(req, rep, &m.rd)) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.data = gref(req->arg[1]);
	m.ipa = req->arg[2];
	(void)call_ok("DATA_CREATE_UNKNOWN", realm_data_create_unknown(&m, &st), &st, rep);
}

void rmi_data_destroy(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_data_destroy_req m;
	struct realm_data_destroy_rep r = { 0 };
	int32_t st = 0;

	if (!rd_arg(req, rep, &m.rd))
		return;
	m.ipa = req->arg[1];
	if (call_ok("DATA_DESTROY", realm_data_destroy(&m, &r, &st), &st, rep)) {
		rep->out[0] = st == 0 ? r.data : 0u;
		rep->out[1] = r.top;
	}
}

/* ---- RECs (rmi.md 10-11) ---- */

/* RmiRecParams offsets (structures.md 5). */
#define RECP_FLAGS	0x000u
#define RECP_MPIDR	0x100u
#define RECP_PC		0x200u
#define RECP_GPRS	0x300u
#define RECP_NUM_AUX	0x800u

void rmi_rec_create(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rec_create_req m;
	uint64_t w[1 + 16];
	int32_t st = 0;

	memset(&m, 0, sizeof(m));
	/* 1. params_ptr: NS page copied once */
	if (!ns_read(req->arg[2], RECP_FLAGS, &m.flags, 8) ||
	    !ns_read(req->arg[2], RECP_MPIDR, &m.mpidr, 8) ||
	    !ns_read(req->arg[2], RECP_PC, &m.pc, 8) ||
	    !ns_read(req->arg[2], RECP_GPRS, m.gprs, sizeof(m.gprs)) ||
	    !ns_read(req->arg[2], RECP_NUM_AUX, w, sizeof(w))) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.num_aux = w[0];
	memcpy(m.aux, &w[1], sizeof(m.aux));
	/* rd and rec must be DRAM granules (same status as the service's step 4) */
	if (!dram_granule_valid(req->arg[0]) || !dram_granule_valid(req->arg[1])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.rd = gref(req->arg[0]);
	m.rec = gref(req->arg[1]);
	(void)call_ok("REC_CREATE", realm_rec_create(&m, &st), &st, rep);
}

void rmi_rec_destroy(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rec_destroy_req m;
	int32_t st = 0;

	if (!dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.rec = gref(req->arg[0]);
	(void)call_ok("REC_DESTROY", realm_rec_destroy(&m, &st), &st, rep);
}
