/*
 * Concurrency tests of the IPC transport (kernel/ipc.c, unchanged): host
 * threads play CPUs (host_set_cpu_id()). Built twice: with ASan+UBSan and
 * with ThreadSanitizer (then a last test fails if TSan reported anything).
 *
 *   backpressure: a full queue makes senders wait; nothing is dropped or
 *                 overwritten; FIFO order within the queue.
 *   four_cpus:    4 CPUs x thousands of calls, nested 2 -> 1 with leases;
 *                 replies match, services never run twice at once, stats add up.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <arch/cpu.h>

#include "harness.h"

#ifdef __SANITIZE_THREAD__
#define STRESS_ITERS	1500u
#else
#define STRESS_ITERS	4000u
#endif
#define TIMEOUT_MS	20000u

static void assert_no_hfail(void)
{
	if (h_failures() != 0)
		fail_msg("%lu check(s) failed in a handler or worker; first: %s", h_failures(),
			 h_first_failure());
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* Poll cond(arg) every millisecond for up to TIMEOUT_MS. */
static bool wait_for(bool (*cond)(const void *), const void *arg)
{
	uint64_t end = now_ms() + TIMEOUT_MS;

	while (!cond(arg)) {
		if (now_ms() > end)
			return false;
		usleep(1000);
	}
	return true;
}

/* ================= backpressure ================= */

/*
 * One busy in the handler (run at once, the fast path: it takes no queue
 * slot), IPC_QUEUE_DEPTH that fill the queue meanwhile, one that must wait.
 */
#define BP_SENDERS	((int)IPC_QUEUE_DEPTH + 2)
#define BP_LAST		(BP_SENDERS - 1)

struct sender {
	pthread_t thread;
	unsigned int cpu;
	uint32_t mode;
	uint64_t seq;
	enum ipc_status rc;
	int32_t st;
	struct tgran_echo_rep rep;
	bool done;
};

static void *sender_main(void *p)
{
	struct sender *s = p;
	struct tgran_echo_req q;

	host_set_cpu_id(s->cpu);
	memset(&q, 0, sizeof(q));
	q.seq = s->seq;
	q.cpu = s->cpu;
	q.mode = s->mode;
	s->st = -1;
	s->rc = tgran_echo(&q, &s->rep, &s->st);
	__atomic_store_n(&s->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static bool gate_has_waiter(const void *arg)
{
	(void)arg;
	return h_gate_waiters() == 1u;
}

/* The sender's message sits in the queue (a copy of its sequence number is in .bss). */
static bool seq_in_queue(const void *arg)
{
	const struct sender *s = arg;
	uint64_t seq = s->seq;
	uint8_t *hit;

	return h_scan_image(&seq, sizeof(seq), &hit, 1) > 0;
}

static bool queue_full_seen(const void *arg)
{
	const struct ipc_stats *before = arg;
	struct ipc_stats now;

	ipc_stats_get(&now);
	return now.queue_full_waits > before->queue_full_waits;
}

static unsigned int done_count(const struct sender *s)
{
	unsigned int n = 0;

	for (int i = 0; i < BP_SENDERS; i++)
		n += __atomic_load_n(&s[i].done, __ATOMIC_SEQ_CST) ? 1u : 0u;
	return n;
}

static void test_backpressure(void **state)
{
	/* on the heap: nothing of the messages may sit in .data/.bss except the queue */
	struct sender *s = test_calloc(BP_SENDERS, sizeof(*s));
	uint64_t *log = test_calloc(16, sizeof(*log));
	struct ipc_stats a, b, d;
	struct h_svc_info i0, i1;
	unsigned long echoes = h_calls(H_TG_ECHO);
	const char *timeout = NULL;
	unsigned long blocked_echoes = 0;
	unsigned int blocked_done = 0;
	bool blocked_s4_queued = false;
	uint64_t nonce = (uint64_t)now_ms() << 20;

	(void)state;
	h_reset_failures();
	h_svc_get(IPC_SVC_GRANULE, &i0);
	for (int i = 0; i < BP_SENDERS; i++) {
		s[i].cpu = (unsigned int)i;
		s[i].mode = i == 0 ? 1u : 0u;
		s[i].seq = UINT64_C(0xB9E5000000000000) | nonce | (uint64_t)i;
	}
	ipc_stats_get(&a);
	h_echo_log_start(log, 16);
	h_gate_close();

	/* CPU 0's message runs and blocks in the handler: service 1 is busy */
	pthread_create(&s[0].thread, NULL, sender_main, &s[0]);
	if (!wait_for(gate_has_waiter, NULL))
		timeout = "CPU 0's handler never blocked";
	/* CPUs 1..IPC_QUEUE_DEPTH fill the queue, one after the other (FIFO order is known) */
	for (int i = 1; i < BP_LAST && timeout == NULL; i++) {
		pthread_create(&s[i].thread, NULL, sender_main, &s[i]);
		if (!wait_for(seq_in_queue, &s[i]))
			timeout = "a sender's message never appeared in the queue";
	}
	/* the queue holds IPC_QUEUE_DEPTH messages: the last CPU must wait */
	if (timeout == NULL) {
		pthread_create(&s[BP_LAST].thread, NULL, sender_main, &s[BP_LAST]);
		if (!wait_for(queue_full_seen, &a))
			timeout = "the last CPU never saw a full queue";
	}
	if (timeout == NULL) {
		usleep(100 * 1000);
		blocked_echoes = h_calls(H_TG_ECHO) - echoes;
		blocked_done = done_count(s);
		blocked_s4_queued = seq_in_queue(&s[BP_LAST]);
	}
	/* assert only after the gate is open again: a failed test must not leave threads blocked */
	h_gate_open();
	for (int i = 0; i < BP_SENDERS; i++)
		if (s[i].thread != 0)
			pthread_join(s[i].thread, NULL);
	h_echo_log_stop();
	if (timeout != NULL)
		fail_msg("%s", timeout);
	/* while service 1 was busy: one handler ran, nobody got a reply, the last message was not queued */
	assert_int_equal(blocked_echoes, 1);
	assert_int_equal(blocked_done, 0);
	assert_false(blocked_s4_queued);

	ipc_stats_get(&b);
	d = h_stats_delta(&a, &b);
	assert_int_equal(d.calls, BP_SENDERS);
	assert_int_equal(d.transport_errors, 0);
	assert_true(d.queue_full_waits > 0);
	/* every sender got its own reply: nothing dropped or overwritten */
	for (int i = 0; i < BP_SENDERS; i++) {
		assert_int_equal(s[i].rc, IPC_OK);
		assert_int_equal(s[i].st, 0);
		assert_int_equal(s[i].rep.seq, s[i].seq);
		assert_int_equal(s[i].rep.cpu, s[i].cpu);
	}
	/* FIFO: handled in the order the queue was filled */
	assert_int_equal(h_echo_log_len(), BP_SENDERS);
	for (int i = 0; i < BP_SENDERS; i++)
		assert_int_equal(log[i], s[i].seq);
	/* the CPU holding the run lock ran the queued messages of the others */
	for (int i = 1; i < BP_LAST; i++)
		assert_int_equal(s[i].rep.ran_on, 0);
	assert_int_equal(h_calls(H_TG_ECHO), echoes + BP_SENDERS);
	h_svc_get(IPC_SVC_GRANULE, &i1);
	assert_int_equal(i1.overlaps, i0.overlaps);
	assert_int_equal(i1.dispatches, i0.dispatches + BP_SENDERS);
	test_free(log);
	test_free(s);
	assert_no_hfail();
}

/* ================= 4 CPUs ================= */

#define NCPUS		4u
#define S_RELAY		8u
#define S_FWD		9u
#define RELAY_X		UINT64_C(0x5a5a5a5a5a5a5a5a)

static bool lease_is(unsigned int i, uint64_t pa, uint8_t rights, uint32_t off, uint32_t len)
{
	const struct ipc_lease *l = ipc_current_lease(i);

	return l != NULL && l->pa == pa && l->rights == rights && l->offset == off && l->len == len;
}

static enum ipc_status claim(struct ipc_granule_ref g, struct tgran_claim_rep *r, int32_t *s)
{
	struct tgran_claim_req c;

	memset(&c, 0, sizeof(c));
	c.g = g;
	return tgran_claim(&c, r, s);
}

/* Service 2: activate lease 0 through service 1, then echo through service 1. */
static int32_t s2_relay(const struct tsvc2_run_req *req, struct tsvc2_run_rep *rep)
{
	struct tgran_claim_rep cr;
	struct tgran_echo_req eq;
	struct tgran_echo_rep er;
	int32_t s = -1;

	HCHECK(ipc_current_service() == IPC_SVC_REALM);
	HCHECK(ipc_current_lease_count() == 2);
	HCHECK(lease_is(0, req->r0.pa, 0, 0, 4096));
	HCHECK(claim(h_ref_lease(0), &cr, &s) == IPC_OK && s == 0);
	HCHECK(cr.pa == req->r0.pa && cr.rights == IPC_RIGHTS_RW && cr.count == 1);
	HCHECK(lease_is(0, req->r0.pa, IPC_RIGHTS_RW, 0, 4096));
	memset(&eq, 0, sizeof(eq));
	eq.seq = req->seq ^ RELAY_X;
	eq.cpu = req->cpu;
	memset(&er, 0, sizeof(er));
	HCHECK(tgran_echo(&eq, &er, &s) == IPC_OK && s == 0);
	HCHECK(er.seq == eq.seq && er.cpu == eq.cpu);
	/* our context survived the nested call */
	HCHECK(ipc_current_service() == IPC_SVC_REALM);
	HCHECK(ipc_current_lease_count() == 2);
	HCHECK(lease_is(0, req->r0.pa, IPC_RIGHTS_RW, 0, 4096));
	HCHECK(lease_is(1, req->r1.pa, 0, 0, 4096));
	rep->value = er.seq;
	return 0;
}

/* Service 2: append a lease through service 1, forward a slice of it to service 1. */
static int32_t s2_fwd(const struct tsvc2_run_req *req, struct tsvc2_run_rep *rep)
{
	struct tgran_claim_rep cr;
	struct tgran_peek_req pq;
	struct tgran_peek_rep pr;
	uint64_t pa = h_pa(req->seq * 7u + 3u);
	uint32_t off = (uint32_t)(req->seq % 16u) * 0x100u;
	int32_t s = -1;

	HCHECK(claim(h_ref_new(pa), &cr, &s) == IPC_OK && s == 0);
	HCHECK(ipc_current_lease_count() == 3);
	HCHECK(lease_is(2, pa, IPC_RIGHTS_RW, 0, 4096));
	memset(&pq, 0, sizeof(pq));
	pq.f = h_fwd(2, IPC_RIGHT_READ, off, 0x100);
	memset(&pr, 0, sizeof(pr));
	HCHECK(tgran_peek(&pq, &pr, &s) == IPC_OK && s == 0);
	HCHECK(pr.pa == pa && pr.offset == off && pr.len == 0x100 &&
	       pr.rights == IPC_RIGHT_READ && pr.count == 1);
	HCHECK(ipc_current_service() == IPC_SVC_REALM);
	rep->value = pa + off;
	return 0;
}

struct worker {
	pthread_t thread;
	unsigned int cpu;
	unsigned int iters;
	unsigned long n[4];		/* calls of each kind */
	unsigned long helped;		/* direct echoes run by another CPU */
	unsigned long mismatched;	/* replies that did not match their request */
};

static void *worker_main(void *p)
{
	struct worker *w = p;

	host_set_cpu_id(w->cpu);
	for (unsigned int i = 0; i < w->iters; i++) {
		uint64_t seq = ((uint64_t)w->cpu << 40) | i;
		int32_t s = -1;
		unsigned int kind = (i + w->cpu) % 4u;
		bool ok = false;

		w->n[kind]++;
		switch (kind) {
		case 0: {	/* kernel -> 1 */
			struct tgran_echo_req q = { .seq = seq, .cpu = w->cpu };
			struct tgran_echo_rep r;

			memset(&r, 0, sizeof(r));
			ok = tgran_echo(&q, &r, &s) == IPC_OK && s == 0 && r.seq == seq &&
			     r.cpu == w->cpu;
			if (r.ran_on != w->cpu)
				w->helped++;
			break;
		}
		case 1:		/* kernel -> 2 -> 1, 1 */
		case 3: {	/* kernel -> 2 -> 1 (append), 1 (forward) */
			struct tsvc2_run_req q;
			struct tsvc2_run_rep r;

			memset(&q, 0, sizeof(q));
			q.scenario = kind == 1u ? S_RELAY : S_FWD;
			q.cpu = w->cpu;
			q.seq = seq;
			q.r0 = h_ref_new(h_pa(seq));
			q.r1 = h_ref_new(h_pa(seq + 1u));
			memset(&r, 0, sizeof(r));
			ok = tsvc2_run(&q, &r, &s) == IPC_OK && s == 0 && r.seq == seq;
			if (kind == 1u)
				ok = ok && r.value == (seq ^ RELAY_X);
			else
				ok = ok && r.value == h_pa(seq * 7u + 3u) + (seq % 16u) * 0x100u;
			break;
		}
		default: {	/* kernel -> 1, malformed: refused by the decoder */
			struct tgran_echo_req q = { .seq = seq, .cpu = w->cpu, .mode = 2 };
			struct tgran_echo_rep r;

			ok = tgran_echo(&q, &r, &s) == IPC_E_BAD_FIELD;
			break;
		}
		}
		if (!ok)
			w->mismatched++;
		/* back in the kernel on this CPU: no service, no leases */
		HCHECK(ipc_current_service() == 0 && ipc_current_lease(0) == NULL);
	}
	return NULL;
}

static void test_four_cpus(void **state)
{
	struct worker *w = test_calloc(NCPUS, sizeof(*w));
	struct ipc_stats a, b, d;
	struct h_svc_info s1a, s1b, s2a, s2b;
	unsigned long h0[H_COUNT], n[4] = { 0 }, helped = 0, mismatched = 0;
	uint64_t t0;

	(void)state;
	h_reset_failures();
	h_set_s2(S_RELAY, s2_relay);
	h_set_s2(S_FWD, s2_fwd);
	h_set_window(100);	/* widen the time a message is "inside" its service */
	for (int i = 0; i < H_COUNT; i++)
		h0[i] = h_calls((enum h_handler)i);
	h_svc_get(IPC_SVC_GRANULE, &s1a);
	h_svc_get(IPC_SVC_REALM, &s2a);
	ipc_stats_get(&a);
	t0 = now_ms();
	for (unsigned int c = 0; c < NCPUS; c++) {
		w[c].cpu = c;
		w[c].iters = STRESS_ITERS;
		pthread_create(&w[c].thread, NULL, worker_main, &w[c]);
	}
	for (unsigned int c = 0; c < NCPUS; c++)
		pthread_join(w[c].thread, NULL);
	h_set_window(0);
	ipc_stats_get(&b);
	h_svc_get(IPC_SVC_GRANULE, &s1b);
	h_svc_get(IPC_SVC_REALM, &s2b);
	d = h_stats_delta(&a, &b);

	for (unsigned int c = 0; c < NCPUS; c++) {
		for (int k = 0; k < 4; k++)
			n[k] += w[c].n[k];
		helped += w[c].helped;
		mismatched += w[c].mismatched;
	}
	print_message("four_cpus: %u calls/CPU in %llu ms; %lu of %lu direct calls ran on "
		      "another CPU; queue_full_waits %llu; service 1 ran on CPUs 0x%llx, "
		      "service 2 on 0x%llx\n", STRESS_ITERS,
		      (unsigned long long)(now_ms() - t0), helped, n[0],
		      (unsigned long long)d.queue_full_waits, (unsigned long long)s1b.ran_on,
		      (unsigned long long)s2b.ran_on);
	assert_no_hfail();
	/* every reply matched its request */
	assert_int_equal(mismatched, 0);
	/* one message at a time per service */
	assert_int_equal(s1b.overlaps - s1a.overlaps, 0);
	assert_int_equal(s2b.overlaps - s2a.overlaps, 0);
	assert_int_equal(s1b.inside, 0);
	assert_int_equal(s2b.inside, 0);
	/* only the 4 CPUs ran services */
	assert_int_equal(s1b.ran_on & ~UINT64_C(0xf), s1a.ran_on & ~UINT64_C(0xf));
	/* counters add up: n0 + 3 n1 + n2 + 3 n3 calls, n2 transport errors */
	assert_int_equal(d.calls, n[0] + 3 * n[1] + n[2] + 3 * n[3]);
	assert_int_equal(d.transport_errors, n[2]);
	assert_int_equal(h_calls(H_TG_ECHO) - h0[H_TG_ECHO], n[0] + n[1]);
	assert_int_equal(h_calls(H_TG_CLAIM) - h0[H_TG_CLAIM], n[1] + n[3]);
	assert_int_equal(h_calls(H_TG_PEEK) - h0[H_TG_PEEK], n[3]);
	assert_int_equal(h_calls(H_S2_RUN) - h0[H_S2_RUN], n[1] + n[3]);
	assert_int_equal(s1b.dispatches - s1a.dispatches, n[0] + 2 * n[1] + n[2] + 2 * n[3]);
	assert_int_equal(s2b.dispatches - s2a.dispatches, n[1] + n[3]);
	{
		unsigned long other = 0;

		for (int i = 0; i < H_COUNT; i++)
			if (i != H_TG_ECHO && i != H_TG_CLAIM && i != H_TG_PEEK && i != H_S2_RUN)
				other += h_calls((enum h_handler)i) - h0[i];
		assert_int_equal(other, 0);
	}
	test_free(w);
}

/*
 * Twice as many CPUs as queue slots, all sending to service 1 at once: the
 * queue is contended and often full, and still every sender gets the reply
 * to its own message (none lost or overwritten) and the service never runs
 * twice at once.
 */
#define OVER_CPUS	8u
#define OVER_ITERS	(STRESS_ITERS / 2u)

static void *over_main(void *p)
{
	struct worker *w = p;

	host_set_cpu_id(w->cpu);
	for (unsigned int i = 0; i < w->iters; i++) {
		struct tgran_echo_req q = { .seq = ((uint64_t)w->cpu << 40) | i, .cpu = w->cpu };
		struct tgran_echo_rep r;
		int32_t s = -1;

		memset(&r, 0, sizeof(r));
		w->n[0]++;
		if (tgran_echo(&q, &r, &s) != IPC_OK || s != 0 || r.seq != q.seq || r.cpu != w->cpu)
			w->mismatched++;
		if (r.ran_on != w->cpu)
			w->helped++;
	}
	return NULL;
}

static void test_oversubscribed(void **state)
{
	struct worker *w = test_calloc(OVER_CPUS, sizeof(*w));
	struct ipc_stats a, b, d;
	struct h_svc_info s1a, s1b;
	unsigned long echoes = h_calls(H_TG_ECHO), mismatched = 0, helped = 0;

	(void)state;
	h_reset_failures();
	h_svc_get(IPC_SVC_GRANULE, &s1a);
	ipc_stats_get(&a);
	for (unsigned int c = 0; c < OVER_CPUS; c++) {
		w[c].cpu = c;
		w[c].iters = OVER_ITERS;
		pthread_create(&w[c].thread, NULL, over_main, &w[c]);
	}
	for (unsigned int c = 0; c < OVER_CPUS; c++) {
		pthread_join(w[c].thread, NULL);
		mismatched += w[c].mismatched;
		helped += w[c].helped;
	}
	ipc_stats_get(&b);
	h_svc_get(IPC_SVC_GRANULE, &s1b);
	d = h_stats_delta(&a, &b);
	print_message("oversubscribed: %u CPUs x %u calls; %lu ran on another CPU; "
		      "queue_full_waits %llu\n", OVER_CPUS, OVER_ITERS, helped,
		      (unsigned long long)d.queue_full_waits);
	assert_no_hfail();
	assert_int_equal(mismatched, 0);
	assert_int_equal(d.calls, OVER_CPUS * OVER_ITERS);
	assert_int_equal(d.transport_errors, 0);
	assert_int_equal(h_calls(H_TG_ECHO) - echoes, OVER_CPUS * OVER_ITERS);
	assert_int_equal(s1b.overlaps, s1a.overlaps);
	test_free(w);
}

#ifdef __SANITIZE_THREAD__
/* Called by the sanitizer runtime for every report (overrides its weak default). */
static unsigned long tsan_reports;
static char tsan_first[256];
void __sanitizer_report_error_summary(const char *summary);
void __sanitizer_report_error_summary(const char *summary)
{
	if (tsan_reports++ == 0)
		snprintf(tsan_first, sizeof(tsan_first), "%s", summary);
	fprintf(stderr, "%s\n", summary);
}

static void test_tsan_no_reports(void **state)
{
	(void)state;
	if (tsan_reports != 0)
		fail_msg("ThreadSanitizer made %lu report(s) during the tests above; first: %s%s",
			 tsan_reports, tsan_first,
			 strstr(tsan_first, "kernel/ipc.c") != NULL ?
			 " (KNOWN BUG: kernel/ipc.c accesses msg_slot.state both with and without "
			 "atomics, see the reports above)" : "");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_four_cpus),
		cmocka_unit_test(test_oversubscribed),
#ifdef __SANITIZE_THREAD__
		cmocka_unit_test(test_tsan_no_reports),
#endif
	};

	host_set_cpu_id(31);	/* the test thread itself never calls the transport */
	h_init();
	h_watchdog(120);
	return cmocka_run_group_tests_name("ipc_conc", tests, NULL, NULL);
}
