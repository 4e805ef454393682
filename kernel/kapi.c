/* The service-facing kernel calls (kernel/svc_api.h). */
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <kernel/config.h>
#include <kernel/el3.h>
#include <kernel/gmem.h>
#include <kernel/ipc_kernel.h>
#include <kernel/kstate.h>
#include <kernel/rec.h>
#include <kernel/s2.h>
#include <kernel/svc_api.h>
#include <string.h>

/* The current message's lease idx, if active with the given rights and range. */
static const struct ipc_lease *lease_ok(unsigned int idx, uint8_t rights, size_t off, size_t len)
{
	const struct ipc_lease *l = ipc_current_lease(idx);

	if (l == NULL || (l->rights & rights) != rights || rights == 0u)
		return NULL;
	if (off > l->len || len > l->len - off)
		return NULL;
	return l;
}

enum kapi_status kapi_lease_read(unsigned int lease, size_t off, void *dst, size_t len)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHT_READ, off, len);

	if (l == NULL)
		return KAPI_E_LEASE;
	gmem_read(l->pa, l->offset + off, dst, len);
	return KAPI_OK;
}

enum kapi_status kapi_lease_write(unsigned int lease, size_t off, const void *src, size_t len)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHT_WRITE, off, len);

	if (l == NULL)
		return KAPI_E_LEASE;
	gmem_write(l->pa, l->offset + off, src, len);
	return KAPI_OK;
}

unsigned int kapi_lease_count(void)
{
	return ipc_current_lease_count();
}

enum kapi_status kapi_lease_zero(unsigned int lease)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHT_WRITE, 0, 0);

	if (l == NULL)
		return KAPI_E_LEASE;
	gmem_zero(l->pa, l->offset, l->len);
	return KAPI_OK;
}

static enum kapi_status gtsi(unsigned int lease, bool delegate)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHTS_RW, 0, GRANULE_SIZE);

	if (ipc_current_service() != IPC_SVC_GRANULE)
		return KAPI_E_DENIED;
	if (l == NULL || l->offset != 0u || l->len != GRANULE_SIZE)
		return KAPI_E_LEASE;
	return (delegate ? el3_gtsi_delegate(l->pa) : el3_gtsi_undelegate(l->pa)) == 0 ?
	       KAPI_OK : KAPI_E_EL3;
}

enum kapi_status kapi_gtsi_delegate(unsigned int lease)
{
	return gtsi(lease, true);
}

enum kapi_status kapi_gtsi_undelegate(unsigned int lease)
{
	return gtsi(lease, false);
}

enum kapi_status kapi_rtt_init(unsigned int lease, unsigned int first, unsigned int count,
			       enum kapi_rtt_init kind)
{
	uint64_t e = kind == KAPI_RTT_INIT_UNASSIGNED_NS ? S2TTE_UNASSIGNED_NS
							 : S2TTE_UNASSIGNED_EMPTY;
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHT_WRITE, 0, GRANULE_SIZE);

	if (l == NULL || l->len != GRANULE_SIZE || first > S2_ENTRIES || count > S2_ENTRIES - first)
		return KAPI_E_LEASE;
	for (unsigned int i = first; i < first + count; i++)
		gmem_write(l->pa, (size_t)i * 8u, &e, sizeof(e));
	return KAPI_OK;
}

enum kapi_status kapi_copy_from_ns(unsigned int lease, uint64_t src)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHT_WRITE, 0, GRANULE_SIZE);
	uint64_t buf[64];

	if (l == NULL || l->offset != 0u || l->len != GRANULE_SIZE)
		return KAPI_E_LEASE;
	for (size_t off = 0; off < GRANULE_SIZE; off += sizeof(buf)) {
		if (!ns_read(src, off, buf, sizeof(buf)))
			return KAPI_E_DENIED;
		gmem_write(l->pa, off, buf, sizeof(buf));
	}
	return KAPI_OK;
}

enum kapi_status kapi_rtt_live_count(unsigned int lease, uint64_t *count)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHT_READ, 0, GRANULE_SIZE);
	uint64_t tbl[S2_ENTRIES];

	if (l == NULL || l->len != GRANULE_SIZE)
		return KAPI_E_LEASE;
	gmem_read(l->pa, 0, tbl, sizeof(tbl));
	*count = s2_live_entries(tbl);
	return KAPI_OK;
}

enum kapi_status kapi_random(void *buf, size_t len)
{
	uint8_t *out = buf;

	if (((read_id_aa64isar0_el1() >> 60) & 0xfu) == 0u)
		return KAPI_E_DENIED;			/* no FEAT_RNG */
	for (size_t done = 0; done < len;) {
		uint64_t v = 0;
		size_t n = len - done < sizeof(v) ? len - done : sizeof(v);

		/* RNDR reads 0 (with NZCV.Z) when no entropy is available: read again */
		for (unsigned int tries = 0; v == 0u && tries < 64u; tries++)
			v = read_rndr();
		if (v == 0u)
			return KAPI_E_DENIED;
		memcpy(&out[done], &v, n);
		done += n;
	}
	return KAPI_OK;
}

uint64_t kapi_feat_reg0(void)
{
	return config()->feat_reg0;
}

unsigned int kapi_vmid_bits(void)
{
	return config()->vmid_bits;
}

enum kapi_status kapi_rec_mark(unsigned int lease, bool is_rec)
{
	const struct ipc_lease *l = lease_ok(lease, IPC_RIGHTS_RW, 0, GRANULE_SIZE);

	if (ipc_current_service() != IPC_SVC_GRANULE)
		return KAPI_E_DENIED;
	if (l == NULL || l->offset != 0u || l->len != GRANULE_SIZE)
		return KAPI_E_LEASE;
	rec_mark(l->pa, is_rec);
	return KAPI_OK;
}

enum kapi_status kapi_rec_hold(unsigned int rec_lease)
{
	const struct ipc_lease *l = lease_ok(rec_lease, IPC_RIGHTS_RW, 0, GRANULE_SIZE);
	struct ipc_ctx *x = ipc_current_ctx();

	if (l == NULL || l->offset != 0u || l->len != GRANULE_SIZE || x == NULL)
		return KAPI_E_LEASE;
	if (x->hold_count >= IPC_MAX_HOLDS)
		return KAPI_E_DENIED;
	if (!rec_claim(l->pa, REC_CLAIM_CHANGE))
		return KAPI_E_DENIED;
	x->holds[x->hold_count++] = l->pa;
	return KAPI_OK;
}

void kapi_rec_unhold(unsigned int rec_lease)
{
	const struct ipc_lease *l = lease_ok(rec_lease, IPC_RIGHTS_RW, 0, GRANULE_SIZE);
	struct ipc_ctx *x = ipc_current_ctx();

	if (l == NULL || x == NULL)
		return;
	for (uint32_t i = 0; i < x->hold_count; i++) {
		if (x->holds[i] != l->pa)
			continue;
		x->holds[i] = x->holds[--x->hold_count];
		rec_release(l->pa, REC_CLAIM_CHANGE);
		return;
	}
}

void kapi_release_holds(void)
{
	struct ipc_ctx *x = ipc_current_ctx();

	while (x != NULL && x->hold_count != 0u)
		rec_release(x->holds[--x->hold_count], REC_CLAIM_CHANGE);
}
