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
#include <spec/structs.h>
#include <stddef.h>
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

void rmi_realm_create(const struct rmi_req *req, struct rmi_reply *rep)
{
	/*
	 * Only these runs of RmiRealmParams are copied, the rest is ignored.
	 * rpv goes through a uint64_t buffer: ns_read() copies 8-byte words to
	 * an 8-byte aligned destination, which m.rpv need not be.
	 */
	struct rmi_realm_params_head h;
	struct rmi_realm_params_rtt t;
	uint64_t rpv[8];
	struct realm_create_req m;
	int32_t st;

	_Static_assert(sizeof(rpv) == SPEC_SIZEOF(struct rmi_realm_params, rpv) &&
		       sizeof(m.rpv) == sizeof(rpv), "rpv");
	/* 1. params_ptr must be an NS granule we can copy (rmi.md 6). */
	if (!ns_read(req->arg[1], offsetof(struct rmi_realm_params, flags), &h, sizeof(h)) ||
	    !ns_read(req->arg[1], offsetof(struct rmi_realm_params, rpv), rpv, sizeof(rpv)) ||
	    !ns_read(req->arg[1], offsetof(struct rmi_realm_params, vmid), &t, sizeof(t))) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	/* 4 (checked early, same status): rd must be a DRAM granule. */
	if (!dram_granule_valid(req->arg[0])) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	/* Field widths as TF-RMM loads them (spec/structs.toml, structures.md 4). */
	memset(&m, 0, sizeof(m));
	memcpy(m.rpv, rpv, sizeof(m.rpv));
	m.rd = gref(req->arg[0]);
	m.flags = h.flags;
	m.s2sz = h.s2sz;
	m.sve_vl = h.sve_vl;
	m.num_bps = h.num_bps;
	m.num_wps = h.num_wps;
	m.pmu_num_ctrs = h.pmu_num_ctrs;
	m.hash_algo = h.hash_algo;
	m.vmid = t.vmid;
	m.rtt_base = t.rtt_base;
	m.rtt_level_start = (uint64_t)t.rtt_level_start;	/* two's complement (ipc/realm.toml) */
	m.rtt_num_start = t.rtt_num_start;
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

void rmi_rec_create(const struct rmi_req *req, struct rmi_reply *rep)
{
	struct realm_rec_create_req m;
	struct rmi_rec_params_aux a;
	int32_t st = 0;

	_Static_assert(sizeof(m.flags) == SPEC_SIZEOF(struct rmi_rec_params, flags) &&
		       sizeof(m.mpidr) == SPEC_SIZEOF(struct rmi_rec_params, mpidr) &&
		       sizeof(m.pc) == SPEC_SIZEOF(struct rmi_rec_params, pc) &&
		       sizeof(m.gprs) == SPEC_SIZEOF(struct rmi_rec_params, gprs) &&
		       sizeof(m.aux) == sizeof(a.aux), "RmiRecParams fields");
	memset(&m, 0, sizeof(m));
	/* 1. params_ptr: NS page copied once (the fields of RmiRecParams only) */
	if (!ns_read(req->arg[2], offsetof(struct rmi_rec_params, flags), &m.flags, sizeof(m.flags)) ||
	    !ns_read(req->arg[2], offsetof(struct rmi_rec_params, mpidr), &m.mpidr, sizeof(m.mpidr)) ||
	    !ns_read(req->arg[2], offsetof(struct rmi_rec_params, pc), &m.pc, sizeof(m.pc)) ||
	    !ns_read(req->arg[2], offsetof(struct rmi_rec_params, gprs), m.gprs, sizeof(m.gprs)) ||
	    !ns_read(req->arg[2], offsetof(struct rmi_rec_params, num_aux), &a, sizeof(a))) {
		rep->status = RMI_ERROR_INPUT;
		return;
	}
	m.num_aux = a.num_aux;
	memcpy(m.aux, a.aux, sizeof(m.aux));
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
