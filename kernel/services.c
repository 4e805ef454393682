/*
 * The service table: which services exist, their state objects (each on
 * pages of its own) and their start-up. The implementation of
 * each service is chosen at build time (make SERVICE_<name>=<variant>).
 */
#include <arch/layout.h>
#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <kernel/config.h>
#include <kernel/ipc_kernel.h>
#include <kernel/log.h>
#include <kernel/pa.h>
#include <kernel/panic.h>
#include <kernel/rec.h>

#include <attest_state.h>
#include <granule_state.h>
#include <realm_state.h>

/*
 * The services' states. Each starts on its own page and fills whole pages,
 * so that each can be mapped into its own service alone (issue 10); the
 * kernel never reads them, it only passes each to its own dispatcher.
 */
struct svc_states {
	_Alignas(GRANULE_SIZE) struct granule_state granule;
	_Alignas(GRANULE_SIZE) struct realm_state realm;
	_Alignas(GRANULE_SIZE) struct attest_state attest;
};

/* SAFETY: only each service's own handlers touch its member, serialised by that service's run lock (kernel/ipc.c). */
static struct svc_states states __attribute__((section(".svc_state")));

static enum ipc_status run_granule(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				   size_t cap, size_t *rep_len, int32_t *st)
{
	return granule_dispatch(&states.granule, op, msg, len, rep, cap, rep_len, st);
}

/*
 * Every realm-service message runs holding the realm lock of its first
 * granule (the RD for every op that touches a realm's tables or memory;
 * kernel/rec.h), so the kernel never walks a table the service is changing.
 */
static enum ipc_status run_realm(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				 size_t cap, size_t *rep_len, int32_t *st)
{
	const struct ipc_lease *l = ipc_current_lease(0);
	uint64_t rd = l != NULL ? l->pa : 0u;
	enum ipc_status t;

	if (l != NULL)
		realm_lock(rd);
	t = realm_dispatch(&states.realm, op, msg, len, rep, cap, rep_len, st);
	if (l != NULL)
		realm_unlock(rd);
	return t;
}

static enum ipc_status run_attest(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				  size_t cap, size_t *rep_len, int32_t *st)
{
	return attest_dispatch(&states.attest, op, msg, len, rep, cap, rep_len, st);
}

static const struct ipc_service_desc services[IPC_SVC_COUNT] = {
	[IPC_SVC_GRANULE] = { "granule", granule_ops, &granule_ops_count, run_granule },
	[IPC_SVC_REALM] = { "realm", realm_ops, &realm_ops_count, run_realm },
	[IPC_SVC_ATTEST] = { "attest", attest_ops, &attest_ops_count, run_attest },
};

const struct ipc_service_desc *services_get(enum ipc_service svc)
{
	if (svc == 0 || svc >= IPC_SVC_COUNT)
		return NULL;
	return &services[svc];
}

/*
 * Start the services (cold boot, MMU on). The granule table is carved from
 * the free end of the RMM's Realm window, sized from the manifest's banks.
 */
void services_init(uint64_t table_pa, uint64_t table_bytes)
{
	const struct boot_manifest_info *m = &config()->manifest;
	struct granule_bank banks[BOOT_MAX_DRAM_BANKS];
	uint64_t words = granule_table_words(m->granule_count);
	struct log_line l;

	if (words * 8u > table_bytes)
		panic("granule table does not fit the Realm window");
	for (uint64_t i = 0; i < m->bank_count; i++) {
		banks[i].base = m->banks[i].base;
		banks[i].size = m->banks[i].size;
		banks[i].first = 0;
	}
	if (!granule_init(&states.granule, pa_window_u64(table_pa), words, banks,
			  (unsigned int)m->bank_count))
		panic("granule service start-up failed");
	realm_init(&states.realm);
	attest_init(&states.attest);
	log_begin(&l);
	log_str(&l, "services: granule (");
	log_str(&l, SERVICE_GRANULE_VARIANT);
	log_str(&l, ", ");
	log_dec(&l, words * 8u);
	log_str(&l, " bytes of table), realm, attest");
	log_end(&l);
}

uint64_t services_granule_table_bytes(uint64_t count)
{
	return granule_table_words(count) * 8u;
}
