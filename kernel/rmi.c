/* RMI command table and the commands the core answers itself. */
#include <kernel/config.h>
#include <kernel/rmi.h>
#include <kernel/rec.h>
#include <kernel/rmi_ctrl.h>
#include <stddef.h>

typedef void (*rmi_handler)(const struct rmi_req *req, struct rmi_reply *rep);

static void rmi_version(const struct rmi_req *req, struct rmi_reply *rep)
{
	/* Lowest and highest supported revisions are reported whatever the request. */
	rep->out[0] = RMI_ABI_VERSION;
	rep->out[1] = RMI_ABI_VERSION;
	rep->status = req->arg[0] == RMI_ABI_VERSION ? RMI_SUCCESS : RMI_ERROR_INPUT;
}

static void rmi_features(const struct rmi_req *req, struct rmi_reply *rep)
{
	rep->status = RMI_SUCCESS;
	rep->out[0] = req->arg[0] == 0u ? config()->feat_reg0 : 0u;
}

/* Indexed by fnum - 0x150; a NULL slot is not a v1.0 command. */
static const rmi_handler rmi_table[RMI_FNUM_LAST - RMI_FNUM_FIRST + 1u] = {
	[0x150 - RMI_FNUM_FIRST] = rmi_version,
	[0x151 - RMI_FNUM_FIRST] = rmi_granule_delegate,
	[0x152 - RMI_FNUM_FIRST] = rmi_granule_undelegate,
	[0x153 - RMI_FNUM_FIRST] = rmi_data_create,
	[0x154 - RMI_FNUM_FIRST] = rmi_data_create_unknown,
	[0x155 - RMI_FNUM_FIRST] = rmi_data_destroy,
	[0x157 - RMI_FNUM_FIRST] = rmi_realm_activate,
	[0x158 - RMI_FNUM_FIRST] = rmi_realm_create,
	[0x159 - RMI_FNUM_FIRST] = rmi_realm_destroy,
	[0x15A - RMI_FNUM_FIRST] = rmi_rec_create,
	[0x15B - RMI_FNUM_FIRST] = rmi_rec_destroy,
	[0x15C - RMI_FNUM_FIRST] = rmi_rec_enter,
	[0x15D - RMI_FNUM_FIRST] = rmi_rtt_create,
	[0x15E - RMI_FNUM_FIRST] = rmi_rtt_destroy,
	[0x15F - RMI_FNUM_FIRST] = rmi_rtt_map_unprotected,
	[0x161 - RMI_FNUM_FIRST] = rmi_rtt_read_entry,
	[0x162 - RMI_FNUM_FIRST] = rmi_rtt_unmap_unprotected,
	[0x164 - RMI_FNUM_FIRST] = rmi_psci_complete,
	[0x165 - RMI_FNUM_FIRST] = rmi_features,
	[0x166 - RMI_FNUM_FIRST] = rmi_rtt_fold,
	[0x167 - RMI_FNUM_FIRST] = rmi_rec_aux_count,
	[0x168 - RMI_FNUM_FIRST] = rmi_rtt_init_ripas,
	[0x169 - RMI_FNUM_FIRST] = rmi_rtt_set_ripas,
};

void rmi_dispatch(const struct rmi_req *req, struct rmi_reply *rep)
{
	uint64_t fid = req->fid & ~RMI_SVE_HINT;
	uint64_t fnum = fid & 0xffffu;
	rmi_handler h = NULL;

	rep->status = SMC_UNKNOWN;
	rep->out[0] = 0;
	rep->out[1] = 0;
	rep->out[2] = 0;
	rep->out[3] = req->arg[3];	/* SMCCC: hand back the caller's x4 */

	if ((fid & ~0xffffull) == 0xC4000000ull && fnum >= RMI_FNUM_FIRST &&
	    fnum <= RMI_FNUM_LAST)
		h = rmi_table[fnum - RMI_FNUM_FIRST];
	if (h != NULL)
		h(req, rep);
}
