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
#include <kernel/svc_el0.h>
#include <string.h>

#include <attest_state.h>
#include <granule_state.h>
#include <realm_state.h>

#ifdef SVC_EL0
#define SVC_STACK_BYTES	(5u * GRANULE_SIZE)

/*
 * The message in hand, in the service's own memory: the kernel copies the
 * request in and the reply out (services never see kernel memory).
 */
struct svc_io {
	uint8_t msg[IPC_MAX_MSG];
	uint8_t rep[IPC_MAX_MSG];
	size_t rep_len;
	int32_t status;
	/* cppcheck-suppress unusedStructMember ; filled by services_init(), read at EL0 by granule_init() */
	struct granule_bank banks[BOOT_MAX_DRAM_BANKS];
};

/* What a service has besides its state: message buffers, a guard page, a stack. */
struct svc_frame {
	_Alignas(GRANULE_SIZE) struct svc_io io;
	_Alignas(GRANULE_SIZE) uint8_t guard[GRANULE_SIZE];	/* never EL0-accessible */
	uint8_t stack[SVC_STACK_BYTES];
};
#define SVC_FRAME(name)	struct svc_frame name;

/*
 * The restart point of the attestation service (docs/decisions.md 25): its
 * state, data and bss as they stood after boot provisioning. Kernel-only:
 * EL2-only in every address space.
 */
#define SVC_PRISTINE_GROUP	(2u * GRANULE_SIZE)
struct svc_pristine {
	_Alignas(GRANULE_SIZE) struct attest_state state;
	uint8_t data[SVC_PRISTINE_GROUP];
	uint8_t bss[SVC_PRISTINE_GROUP];
	uint64_t data_len, bss_len;
	bool taken;
};
#define SVC_PRISTINE	struct svc_pristine attest_pristine;
#else
#define SVC_FRAME(name)	/* the host twin calls its services directly */
#define SVC_PRISTINE
#endif

/*
 * The services' states. Each starts on its own page and fills whole pages,
 * followed by its frame, so that each service's address space maps its own
 * pages only; the kernel never reads a state, it only passes each to its
 * own service.
 */
struct svc_states {
	_Alignas(GRANULE_SIZE) struct granule_state granule;
	SVC_FRAME(granule_frame)
	_Alignas(GRANULE_SIZE) struct realm_state realm;
	SVC_FRAME(realm_frame)
	_Alignas(GRANULE_SIZE) struct attest_state attest;
	SVC_FRAME(attest_frame)
	SVC_PRISTINE
};

/* SAFETY: only each service's own handlers touch its member, serialised by that service's run lock (kernel/ipc.c). */
static struct svc_states states __attribute__((section(".svc_state")));

#ifdef SVC_EL0
/*
 * The integer address of a member of `states`, the only object of the
 * .svc_state region (arch/aarch64/rmm.ld.S): its start plus the offset.
 */
static uint64_t state_addr(size_t off)
{
	return rmm_svc_images.state_start + off;
}

struct svc_where {
	size_t state, frame;
	struct svc_frame *f;
};

static struct svc_where where(enum ipc_service s)
{
	switch (s) {
	case IPC_SVC_GRANULE:
		return (struct svc_where){ offsetof(struct svc_states, granule),
					   offsetof(struct svc_states, granule_frame),
					   &states.granule_frame };
	case IPC_SVC_REALM:
		return (struct svc_where){ offsetof(struct svc_states, realm),
					   offsetof(struct svc_states, realm_frame),
					   &states.realm_frame };
	case IPC_SVC_ATTEST:
	default:
		return (struct svc_where){ offsetof(struct svc_states, attest),
					   offsetof(struct svc_states, attest_frame),
					   &states.attest_frame };
	}
}

#define IO_ADDR(w, field)	(state_addr((w).frame + offsetof(struct svc_frame, io) + \
					    offsetof(struct svc_io, field)))

/*
 * Run a message at EL0: request into the service's buffer, its dispatcher
 * on its stack, reply out. A reply the buffers cannot hold, or a transport
 * status the schema does not know, is malformed.
 */
static enum ipc_status run_el0(enum ipc_service s, uint16_t op, const uint8_t *msg, size_t len,
			       uint8_t *rep, size_t cap, size_t *rep_len, int32_t *st)
{
	struct svc_where w = where(s);
	struct svc_io *io = &w.f->io;
	uint64_t args[8] = { state_addr(w.state), op, IO_ADDR(w, msg), len, IO_ADDR(w, rep),
			     cap < sizeof(io->rep) ? cap : sizeof(io->rep), IO_ADDR(w, rep_len),
			     IO_ADDR(w, status) };
	uint64_t ret = 0;
	enum ipc_status t;

	memcpy(io->msg, msg, len);
	io->rep_len = 0;
	io->status = 0;
	t = svc_el0_call(s, rmm_svc_images.svc[s - 1].dispatch, args, &ret);
	if (t != IPC_OK)
		return t;
	if (ret > IPC_E_SVC_FAULT || io->rep_len > args[5]) {
		svc_el0_stop(s, "malformed reply");
		return IPC_E_BAD_REPLY;
	}
	memcpy(rep, io->rep, io->rep_len);
	*rep_len = io->rep_len;
	*st = io->status;
	return (enum ipc_status)ret;
}
#endif

static enum ipc_status run_granule(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				   size_t cap, size_t *rep_len, int32_t *st)
{
#ifdef SVC_EL0
	return run_el0(IPC_SVC_GRANULE, op, msg, len, rep, cap, rep_len, st);
#else
	return granule_dispatch(&states.granule, op, msg, len, rep, cap, rep_len, st);
#endif
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
#ifdef SVC_EL0
	t = run_el0(IPC_SVC_REALM, op, msg, len, rep, cap, rep_len, st);
#else
	t = realm_dispatch(&states.realm, op, msg, len, rep, cap, rep_len, st);
#endif
	if (l != NULL)
		realm_unlock(rd);
	return t;
}

static enum ipc_status run_attest(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				  size_t cap, size_t *rep_len, int32_t *st)
{
#ifdef SVC_EL0
	return run_el0(IPC_SVC_ATTEST, op, msg, len, rep, cap, rep_len, st);
#else
	return attest_dispatch(&states.attest, op, msg, len, rep, cap, rep_len, st);
#endif
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

#ifdef SVC_EL0
/* Each service's address space (kernel/ipc_kernel.h): cold boot, MMU off, before the seal. */
bool services_map(struct rmm_config *c, uint64_t table_pa, uint64_t table_bytes)
{
	struct mmu_tables *m = &c->mmu;
	bool ok = true;

	/* every page some service opens to EL0 is not global in any space (arch/mmu.h) */
	for (unsigned int s = IPC_SVC_GRANULE; ok && s < IPC_SVC_COUNT; s++) {
		const struct svc_image *im = &rmm_svc_images.svc[s - 1];

		ok = mmu_set_ng(m, im->text_start, im->text_end - im->text_start) &&
		     mmu_set_ng(m, im->rodata_start, im->rodata_end - im->rodata_start) &&
		     mmu_set_ng(m, im->data_start, im->data_end - im->data_start) &&
		     mmu_set_ng(m, im->bss_start, im->bss_end - im->bss_start);
	}
	ok = ok && mmu_set_ng(m, rmm_svc_images.state_start,
			      rmm_svc_images.state_end - rmm_svc_images.state_start) &&
	     mmu_set_ng(m, table_pa, table_bytes);
	for (unsigned int s = IPC_SVC_GRANULE; ok && s < IPC_SVC_COUNT; s++) {
		struct svc_where w = where((enum ipc_service)s);
		uint64_t f = state_addr(w.frame);
		struct svc_area a = {
			.start = state_addr(w.state),
			.stack_lo = f + offsetof(struct svc_frame, stack),
			.stack_hi = f + sizeof(struct svc_frame),
		};
		bool granule = s == IPC_SVC_GRANULE;

		ok = svc_el0_space_build(m, (enum ipc_service)s, &a, granule ? table_pa : 0u,
					 granule ? table_pa + table_bytes : 0u, &c->svc[s]);
	}
	return ok;
}

void services_snapshot(void)
{
	const struct svc_image *im = &rmm_svc_images.svc[IPC_SVC_ATTEST - 1];
	struct svc_pristine *p = &states.attest_pristine;

	p->data_len = im->data_end - im->data_start;
	p->bss_len = im->bss_end - im->bss_start;
	if (p->data_len > sizeof(p->data) || p->bss_len > sizeof(p->bss)) {
		log_msg("services: attest has no restart point (data/bss larger than kept)");
		return;
	}
	memcpy(&p->state, &states.attest, sizeof(p->state));
	memcpy(p->data, pa_mapped_ptr(im->data_start), p->data_len);
	memcpy(p->bss, pa_mapped_ptr(im->bss_start), p->bss_len);
	p->taken = true;
}

bool services_restart(enum ipc_service svc)
{
	const struct svc_image *im = &rmm_svc_images.svc[IPC_SVC_ATTEST - 1];
	const struct svc_pristine *p = &states.attest_pristine;

	/* granule and realm own authoritative state a fault may have left half-changed */
	if (svc != IPC_SVC_ATTEST || !p->taken)
		return false;
	memcpy(&states.attest, &p->state, sizeof(p->state));
	memcpy(pa_mapped_ptr(im->data_start), p->data, p->data_len);
	memcpy(pa_mapped_ptr(im->bss_start), p->bss, p->bss_len);
	return true;
}

/* Run a service's start-up function at EL0; false if it faulted. */
static bool init_el0(enum ipc_service s, const uint64_t args[8], uint64_t *ret)
{
	return svc_el0_call(s, rmm_svc_images.svc[s - 1].init, args, ret) == IPC_OK;
}
#endif

/*
 * Start the services (cold boot, MMU on). The granule table is carved from
 * the free end of the RMM's Realm window, sized from the manifest's banks.
 */
void services_init(uint64_t table_pa, uint64_t table_bytes)
{
	const struct boot_manifest_info *m = &config()->manifest;
#ifdef SVC_EL0
	struct granule_bank *banks = states.granule_frame.io.banks;
#else
	struct granule_bank banks[BOOT_MAX_DRAM_BANKS];
#endif
	uint64_t words = granule_table_words(m->granule_count);
	struct log_line l;
	bool ok;

	if (words * 8u > table_bytes)
		panic("granule table does not fit the Realm window");
	for (uint64_t i = 0; i < m->bank_count; i++) {
		banks[i].base = m->banks[i].base;
		banks[i].size = m->banks[i].size;
		banks[i].first = 0;
	}
#ifdef SVC_EL0
	{
		uint64_t ret = 0;
		uint64_t g[8] = { state_addr(where(IPC_SVC_GRANULE).state), table_pa, words,
				  IO_ADDR(where(IPC_SVC_GRANULE), banks), m->bank_count, 0, 0, 0 };
		uint64_t r[8] = { state_addr(where(IPC_SVC_REALM).state), 0, 0, 0, 0, 0, 0, 0 };
		uint64_t a[8] = { state_addr(where(IPC_SVC_ATTEST).state), 0, 0, 0, 0, 0, 0, 0 };

		ok = init_el0(IPC_SVC_GRANULE, g, &ret) && (ret & 0xffu) != 0u &&
		     init_el0(IPC_SVC_REALM, r, &ret) && init_el0(IPC_SVC_ATTEST, a, &ret);
	}
#else
	ok = granule_init(&states.granule, pa_window_u64(table_pa), words, banks,
			  (unsigned int)m->bank_count);
	realm_init(&states.realm);
	attest_init(&states.attest);
#endif
	if (!ok)
		panic("service start-up failed");
	log_begin(&l);
	log_str(&l, "services: granule (");
	log_str(&l, SERVICE_GRANULE_VARIANT);
	log_str(&l, ", ");
	log_dec(&l, words * 8u);
	log_str(&l, " bytes of table), realm, attest");
#ifdef SVC_EL0
	log_str(&l, "; each at EL0 in its own address space");
#endif
	log_end(&l);
}

uint64_t services_granule_table_bytes(uint64_t count)
{
	return granule_table_words(count) * 8u;
}
