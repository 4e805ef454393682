#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS, MAP_NORESERVE */
/*
 * The simulated machine (platform/host/machine.h): DRAM is one anonymous
 * mapping, the GPT one byte per granule, and the RMM is booted the way
 * TF-A's RMMD boots it: the boot manifest (v0.3) in the shared page, then
 * kernel_cold_init() on CPU 0; the other CPUs warm-boot when they first
 * come up. One RMI request is rmi_handle() on the calling thread's CPU.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/entry.h>
#include <kernel/log.h>
#include <machine.h>
#include <sched.h>
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define GRANULES	(SIM_DRAM_SIZE / SIM_GRANULE)
#define IF_VERSION	0x4ull		/* RMM-EL3 interface v0.4 */
#define MANIFEST_V03	0x3ull

static uint8_t *dram;
static uint8_t *gpt;
/* Realm-slot mappings per granule, and the lock that keeps them, the GPT's changes and the poison in step. */
static uint16_t *slot_maps;
static bool gpt_locked;

/*
 * A spinlock, not a mutex: a CPU of the simulation should not sleep in the
 * middle of an RMM call (it may hold a REC claim another CPU retries on).
 */
static void gpt_lock(void)
{
	for (unsigned int spins = 1; __atomic_exchange_n(&gpt_locked, true, __ATOMIC_ACQUIRE);
	     spins++)
		if ((spins % 64u) == 0u)
			sched_yield();
}

static void gpt_unlock(void)
{
	__atomic_store_n(&gpt_locked, false, __ATOMIC_RELEASE);
}

/*
 * Where the image's sections would be (the host's C objects are elsewhere;
 * these ranges only need to be page aligned, inside the RMM's window and in
 * order): the stacks that cold boot paints and the granule table after
 * image_end live in simulated memory.
 */
#define IMG(off)	((uint64_t)RMM_BASE + (off))
const struct image_layout rmm_image_layout = {
	.text_start = IMG(0x00000), .text_end = IMG(0x40000),
	.rodata_start = IMG(0x40000), .rodata_end = IMG(0x50000),
	.ro_after_boot_start = IMG(0x50000), .ro_after_boot_end = IMG(0x52000),
	.data_start = IMG(0x52000), .data_end = IMG(0x60000),
	.pgtables_start = IMG(0x60000), .pgtables_end = IMG(0x80000),
	.stacks_start = IMG(0x80000), .stacks_end = IMG(0x1a0000),
	.image_end = IMG(0x1a0000),
};
_Static_assert(0x1a0000 - 0x80000 >= PLAT_MAX_CPUS * 9 * 4096, "stacks of every CPU");

void sim_machine_init(void)
{
	dram = mmap(NULL, SIM_DRAM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	gpt = calloc(GRANULES, 1);
	slot_maps = calloc(GRANULES, sizeof(slot_maps[0]));
	if (dram == MAP_FAILED || gpt == NULL || slot_maps == NULL) {
		fprintf(stderr, "ERROR: cannot map %llu bytes of simulated DRAM\n",
			(unsigned long long)SIM_DRAM_SIZE);
		abort();
	}
	/* TF-A gives the RMM's window and the shared page after it to the Realm PAS. */
	for (uint64_t pa = RMM_BASE; pa <= SIM_SHARED_PA; pa += SIM_GRANULE)
		gpt[(pa - SIM_DRAM_BASE) / SIM_GRANULE] = SIM_PAS_REALM;
}

void *sim_pa_ptr(uint64_t pa, size_t len)
{
	if (pa < SIM_DRAM_BASE || pa - SIM_DRAM_BASE > SIM_DRAM_SIZE ||
	    len > SIM_DRAM_SIZE - (pa - SIM_DRAM_BASE))
		return NULL;
	return &dram[pa - SIM_DRAM_BASE];
}

bool sim_ptr_pa(const void *p, uint64_t *pa)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)dram;

	if (a < b || a - b >= SIM_DRAM_SIZE)
		return false;
	*pa = SIM_DRAM_BASE + (a - b);
	return true;
}

enum sim_pas sim_gpt_get(uint64_t pa)
{
	if (pa < SIM_DRAM_BASE || pa - SIM_DRAM_BASE >= SIM_DRAM_SIZE)
		return SIM_PAS_ROOT;
	return (enum sim_pas)__atomic_load_n(&gpt[(pa - SIM_DRAM_BASE) / SIM_GRANULE],
					      __ATOMIC_ACQUIRE);
}

static uint64_t gidx(uint64_t pa)
{
	return (pa - SIM_DRAM_BASE) / SIM_GRANULE;
}

static bool rmm_own(uint64_t pa)
{
	return pa >= RMM_BASE && pa <= SIM_SHARED_PA;
}

bool sim_gpt_move(uint64_t pa, enum sim_pas from, enum sim_pas to)
{
	uint8_t want = (uint8_t)from;
	bool ok;

	if (pa < SIM_DRAM_BASE || pa - SIM_DRAM_BASE >= SIM_DRAM_SIZE)
		return false;
	gpt_lock();
	ok = __atomic_compare_exchange_n(&gpt[gidx(pa)], &want, (uint8_t)to, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	if (ok && !rmm_own(pa) && slot_maps[gidx(pa)] == 0u) {
		void *p = &dram[pa - SIM_DRAM_BASE];

		if (to == SIM_PAS_REALM)
			ASAN_POISON_MEMORY_REGION(p, SIM_GRANULE);
		else
			ASAN_UNPOISON_MEMORY_REGION(p, SIM_GRANULE);
	}
	gpt_unlock();
	return ok;
}

void sim_realm_slot_map(uint64_t pa)
{
	gpt_lock();
	if (slot_maps[gidx(pa)]++ == 0u)
		ASAN_UNPOISON_MEMORY_REGION(&dram[pa - SIM_DRAM_BASE], SIM_GRANULE);
	gpt_unlock();
}

void sim_realm_slot_unmap(uint64_t pa)
{
	gpt_lock();
	if (--slot_maps[gidx(pa)] == 0u && gpt[gidx(pa)] == SIM_PAS_REALM && !rmm_own(pa))
		ASAN_POISON_MEMORY_REGION(&dram[pa - SIM_DRAM_BASE], SIM_GRANULE);
	gpt_unlock();
}

bool sim_copy_if_pas(uint64_t pa, enum sim_pas pas, void *dst, const void *src, size_t len)
{
	bool ok;

	gpt_lock();
	ok = sim_gpt_get(pa) == pas;
	if (ok)
		memcpy(dst, src, len);
	gpt_unlock();
	return ok;
}

size_t sim_machine_regions(struct sim_region *r, size_t max)
{
	if (max < 2u)
		abort();
	r[0] = (struct sim_region){ gpt, GRANULES };
	r[1] = (struct sim_region){ slot_maps, GRANULES * sizeof(slot_maps[0]) };
	return 2u + host_arch_regions(&r[2], max - 2u);
}

/* Poison [pa, pa + len) again granule by granule, as sim_gpt_move() leaves it. */
static void repoison(uint64_t pa, size_t len)
{
	for (uint64_t g = pa & ~(SIM_GRANULE - 1u); g < pa + len; g += SIM_GRANULE) {
		void *p = &dram[g - SIM_DRAM_BASE];

		if (gpt[gidx(g)] == SIM_PAS_REALM && !rmm_own(g) && slot_maps[gidx(g)] == 0u)
			ASAN_POISON_MEMORY_REGION(p, SIM_GRANULE);
		else
			ASAN_UNPOISON_MEMORY_REGION(p, SIM_GRANULE);
	}
}

void sim_dram_save(uint64_t pa, void *dst, size_t len)
{
	void *p = sim_pa_ptr(pa, len);

	if (p == NULL || (pa & (SIM_GRANULE - 1u)) != 0u)
		abort();
	ASAN_UNPOISON_MEMORY_REGION(p, len);
	memcpy(dst, p, len);
	repoison(pa, len);
}

size_t sim_dram_restore(uint64_t pa, const void *src, size_t len)
{
	uint8_t *p = sim_pa_ptr(pa, len);
	const uint8_t *s = src;
	size_t n = 0;

	if (p == NULL || (pa & (SIM_GRANULE - 1u)) != 0u)
		abort();
	ASAN_UNPOISON_MEMORY_REGION(p, len);
	for (size_t off = 0; off < len; off += SIM_GRANULE) {
		size_t c = len - off < SIM_GRANULE ? len - off : SIM_GRANULE;

		if (memcmp(&p[off], &s[off], c) != 0) {
			memcpy(&p[off], &s[off], c);
			n++;
		}
	}
	repoison(pa, len);
	return n;
}

void sim_set_cpu(unsigned int cpu)
{
	host_set_cpu_id(cpu);
}

/* The boot manifest v0.3 (el3.md 4): one DRAM bank, no console. */
static void write_manifest(void)
{
	uint64_t *w = sim_pa_ptr(SIM_SHARED_PA, SIM_GRANULE);
	uint64_t banks = SIM_SHARED_PA + 8u * 8u;

	memset(w, 0, SIM_GRANULE);
	w[0] = MANIFEST_V03;
	w[2] = 1;			/* DRAM banks */
	w[3] = banks;
	w[8] = SIM_DRAM_BASE;
	w[9] = SIM_DRAM_SIZE;
	w[4] = 0u - (w[2] + w[3] + w[8] + w[9]);	/* the checksum sums to 0 */
}

void sim_rmm_cold_boot(unsigned int cpu_count)
{
	write_manifest();
	sim_set_cpu(0);
	kernel_cold_init(0, IF_VERSION, cpu_count, SIM_SHARED_PA);
}

void sim_rmm_warm_boot(unsigned int cpu)
{
	sim_set_cpu(cpu);
	kernel_warm_init(cpu);
}

void sim_rmm_rmi(const uint64_t in[8], uint64_t out[8])
{
	struct smc_regs r;

	memcpy(r.x, in, sizeof(r.x));
	rmi_handle(&r);
	/* EL3 hands x1..x5 of RMM_REQ_COMPLETE back to the caller as x0..x4. */
	for (unsigned int i = 0; i < 5u; i++)
		out[i] = r.x[i + 1u];
	for (unsigned int i = 5; i < 8u; i++)
		out[i] = in[i];
}

/*
 * The console: the RMM's log lines go to stderr when ATOLL_SIM_LOG is set,
 * and the last 32 to 64 KB of them are kept for sim_console_seen().
 */
#define CONSOLE_KEEP	65536u
static char console_buf[CONSOLE_KEEP + 1u];
static size_t console_len;
static bool console_locked;

void plat_console_write(const char *s, size_t len)
{
	static int on = -1;
	size_t n;

	if (on < 0)
		on = getenv("ATOLL_SIM_LOG") != NULL;
	if (on)
		fwrite(s, 1, len, stderr);
	while (__atomic_exchange_n(&console_locked, true, __ATOMIC_ACQUIRE))
		sched_yield();
	if (len > CONSOLE_KEEP - console_len && console_len > CONSOLE_KEEP / 2u) {
		memmove(console_buf, &console_buf[console_len - CONSOLE_KEEP / 2u], CONSOLE_KEEP / 2u);
		console_len = CONSOLE_KEEP / 2u;
	}
	n = len < CONSOLE_KEEP - console_len ? len : CONSOLE_KEEP - console_len;
	memcpy(&console_buf[console_len], s, n);
	console_len += n;
	__atomic_store_n(&console_locked, false, __ATOMIC_RELEASE);
}

bool sim_console_seen(const char *s)
{
	bool seen;

	while (__atomic_exchange_n(&console_locked, true, __ATOMIC_ACQUIRE))
		sched_yield();
	console_buf[console_len] = '\0';
	seen = strstr(console_buf, s) != NULL;
	__atomic_store_n(&console_locked, false, __ATOMIC_RELEASE);
	return seen;
}
