/*
 * IPC transport: one bounded queue per service, run-to-completion
 * scheduling, leases (docs/architecture.md, "IPC").
 *
 * A sender builds the message (resolving its granule references and lease
 * forwards against its own leases), enqueues it — waiting while the queue is
 * full, never dropping or overwriting — and then helps run the service until
 * its message is done. Whoever holds a service's run lock takes queued
 * messages in FIFO order, copies each out of the queue, and only then
 * decodes and validates it (generated code) before the handler sees it.
 * A service therefore runs one message at a time, on whichever CPU got its
 * run lock. When the service is idle and nothing is queued, the sender
 * takes the run lock and runs its message at once from its own copy (the
 * fast path, run_now()): same order, same checks, no queue slot. Lock
 * order: run lock of the caller's service, then of the callee's (realm ->
 * granule, realm -> attest; granule and attest call no one), then queue
 * locks, then the console lock.
 */
#include <arch/cpu.h>
#include <kernel/ipc_kernel.h>
#include <kernel/kstate.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <string.h>

#define GRANULE_BYTES	4096u

/* The transport's state: its part of the kernel container (kernel/kstate.h). */
static struct ipc_state *ipc(void)
{
	return &kstate()->ipc;
}

static struct cpu_ipc *me(void)
{
	return &ipc()->cpus[arch_cpu_id()];
}

static struct ipc_ctx *current_ctx(void)
{
	struct cpu_ipc *c = me();

	return &c->ctx[c->depth];
}

struct ipc_lease *ipc_current_lease(unsigned int idx)
{
	struct ipc_ctx *x = current_ctx();

	if (me()->depth == 0u || idx >= x->lease_count)
		return NULL;
	return &x->leases[idx];
}

enum ipc_service ipc_current_service(void)
{
	return me()->depth == 0u ? 0 : current_ctx()->svc;
}

void ipc_stats_get(struct ipc_stats *out)
{
	out->calls = __atomic_load_n(&ipc()->stats.calls, __ATOMIC_RELAXED);
	out->transport_errors = __atomic_load_n(&ipc()->stats.transport_errors, __ATOMIC_RELAXED);
	out->queue_full_waits = __atomic_load_n(&ipc()->stats.queue_full_waits, __ATOMIC_RELAXED);
}

static const struct ipc_op_meta *find_op(const struct ipc_service_desc *d, uint16_t op)
{
	for (size_t i = 0; i < *d->ops_count; i++)
		if (d->ops[i].op == op)
			return &d->ops[i];
	return NULL;
}

static uint32_t get_u32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, &b[off], sizeof(v));
	return v;
}

/*
 * Give the receiver its leases: lease i is the i-th granule_ref of the
 * request, then come the lease_fwd fields. A granule_ref either names one
 * of the sender's leases (the transport fills in its pa) or, with lease
 * IPC_LEASE_NEW, carries a pa of the sender's choosing. Only the granule
 * service, the authority on granule states, receives access to a
 * granule_ref; other receivers get it as an inactive candidate that becomes
 * usable when the granule service confirms its state (see ipc_call()).
 * A lease_fwd lends a sub-range of an active sender lease with at most its
 * rights.
 */
static enum ipc_status build_leases(enum ipc_service to, const struct ipc_op_meta *m,
				    struct ipc_msg *msg)
{
	struct ipc_ctx *from = current_ctx();
	bool kernel = me()->depth == 0u;

	msg->lease_count = 0;
	for (unsigned int i = 0; i < m->ref_count; i++) {
		size_t o = m->ref_off[i];
		uint8_t idx = msg->body[o];
		struct ipc_lease *l = &msg->leases[msg->lease_count++];

		if (idx == IPC_LEASE_NEW) {
			memcpy(&l->pa, &msg->body[o + 8u], 8);
		} else {
			if (kernel || idx >= from->lease_count)
				return IPC_E_BAD_LEASE;
			l->pa = from->leases[idx].pa;
			memcpy(&msg->body[o + 8u], &l->pa, 8);
		}
		l->offset = 0;
		l->len = GRANULE_BYTES;
		l->rights = to == IPC_SVC_GRANULE ? IPC_RIGHTS_RW : 0u;
	}
	for (unsigned int i = 0; i < m->fwd_count; i++) {
		size_t o = m->fwd_off[i];
		uint8_t idx = msg->body[o];
		uint8_t rights = msg->body[o + 1u];
		uint32_t off = get_u32(msg->body, o + 4u), len = get_u32(msg->body, o + 8u);
		const struct ipc_lease *src;
		struct ipc_lease *l = &msg->leases[msg->lease_count++];

		if (kernel || idx >= from->lease_count)
			return IPC_E_BAD_LEASE;
		src = &from->leases[idx];
		if (src->rights == 0u || (rights & ~src->rights) != 0u || rights == 0u ||
		    off > src->len || len > src->len - off)
			return IPC_E_BAD_LEASE;
		l->pa = src->pa;
		l->offset = src->offset + off;
		l->len = len;
		l->rights = rights;
	}
	return IPC_OK;
}

static void grant(const struct ipc_op_meta *m, const struct ipc_msg *msg)
{
	struct ipc_ctx *x = current_ctx();

	for (unsigned int i = 0; i < m->ref_count; i++) {
		uint8_t li = msg->body[m->ref_off[i]];
		struct ipc_lease *l;

		if ((m->grant_mask & (1u << i)) == 0u)
			continue;
		if (li == IPC_LEASE_NEW)
			li = (uint8_t)x->lease_count++;	/* room checked before the call */
		l = &x->leases[li];
		l->pa = msg->leases[i].pa;
		l->rights = IPC_RIGHTS_RW;
		l->offset = 0;
		l->len = GRANULE_BYTES;
	}
}

/*
 * Copies move only what a message or a result holds: its header, its len
 * bytes of payload and its leases. Bytes past len are never read, so they
 * need not be cleared either (nothing uninitialised crosses a copy).
 */
static void msg_copy(struct ipc_msg *dst, const struct ipc_msg *src)
{
	dst->op = src->op;
	dst->len = src->len;
	dst->lease_count = src->lease_count;
	memcpy(dst->body, src->body, src->len);
	memcpy(dst->leases, src->leases, sizeof(src->leases[0]) * src->lease_count);
}

static void res_copy(struct ipc_result *dst, const struct ipc_result *src)
{
	dst->tstatus = src->tstatus;
	dst->svc_status = src->svc_status;
	dst->rep_len = src->rep_len;
	memcpy(dst->rep, src->rep, src->rep_len);
}

/* Run message m of svc on this CPU (its run lock held): push its context, dispatch, pop. */
static void run_msg(enum ipc_service svc, const struct ipc_service_desc *d,
		    const struct ipc_msg *m, struct ipc_result *res)
{
	struct cpu_ipc *c = me();
	struct ipc_ctx *x;

	if (c->depth + 1u >= IPC_MAX_DEPTH)
		panic("IPC nesting too deep");
	c->depth++;
	x = &c->ctx[c->depth];
	x->svc = svc;
	x->lease_count = m->lease_count;
	x->hold_count = 0;
	memcpy(x->leases, m->leases, sizeof(m->leases[0]) * m->lease_count);

	res->rep_len = 0;
	res->svc_status = 0;
	res->tstatus = d->dispatch(m->op, m->body, m->len, res->rep, sizeof(res->rep),
				   &res->rep_len, &res->svc_status);
	c->depth--;
	if (res->rep_len > sizeof(res->rep)) {	/* a reply the buffer cannot hold is malformed */
		res->tstatus = IPC_E_BAD_REPLY;
		res->rep_len = 0;
	}
}

/* Run one dequeued message: copy it out of the queue, then dispatch. */
static void execute(enum ipc_service svc, const struct ipc_service_desc *d, struct msg_slot *s)
{
	struct ipc_msg local;
	struct ipc_result res;

	msg_copy(&local, &s->msg);
	run_msg(svc, d, &local, &res);
	res_copy(&s->res, &res);
	__atomic_store_n(&s->state, SLOT_DONE, __ATOMIC_RELEASE);
}

/* Run the queued messages of svc, in FIFO order (its run lock held). */
static void drain(enum ipc_service svc, struct svc_queue *q, const struct ipc_service_desc *d)
{
	for (;;) {
		struct msg_slot *s;

		spin_lock(&q->lock);
		s = &q->slot[q->head];
		if (__atomic_load_n(&s->state, __ATOMIC_RELAXED) != SLOT_QUEUED) {
			spin_unlock(&q->lock);
			break;
		}
		__atomic_store_n(&s->state, SLOT_RUNNING, __ATOMIC_RELAXED);
		q->head = (q->head + 1u) % IPC_QUEUE_DEPTH;
		spin_unlock(&q->lock);
		execute(svc, d, s);
	}
}

/* Run queued messages of svc if no other CPU is running it. */
static void run_pending(enum ipc_service svc)
{
	struct svc_queue *q = &ipc()->queues[svc];

	if (__atomic_exchange_n(&q->run.locked, true, __ATOMIC_ACQUIRE))
		return;
	drain(svc, q, services_get(svc));
	spin_unlock(&q->run);
}

/*
 * The fast path: nothing queued for svc and nobody running it, so run msg
 * here at once, from the sender's own copy, and take the result straight
 * back (no queue slot, four copies fewer). False, with nothing done, if
 * svc is busy or has messages waiting: they go first, through the queue.
 */
static bool run_now(enum ipc_service svc, const struct ipc_msg *msg, struct ipc_result *res)
{
	struct svc_queue *q = &ipc()->queues[svc];
	const struct ipc_service_desc *d = services_get(svc);
	bool idle;

	if (__atomic_exchange_n(&q->run.locked, true, __ATOMIC_ACQUIRE))
		return false;
	spin_lock(&q->lock);
	idle = __atomic_load_n(&q->slot[q->head].state, __ATOMIC_RELAXED) != SLOT_QUEUED;
	spin_unlock(&q->lock);
	if (idle) {
		run_msg(svc, d, msg, res);
		drain(svc, q, d);	/* whoever came meanwhile */
	}
	spin_unlock(&q->run);
	return idle;
}

/* Put msg into the queue; false if the queue is full. */
static bool enqueue(struct svc_queue *q, const struct ipc_msg *msg, uint32_t *idx)
{
	bool ok = false;

	spin_lock(&q->lock);
	if (__atomic_load_n(&q->slot[q->tail].state, __ATOMIC_ACQUIRE) == SLOT_FREE) {
		msg_copy(&q->slot[q->tail].msg, msg);
		__atomic_store_n(&q->slot[q->tail].state, SLOT_QUEUED, __ATOMIC_RELEASE);
		*idx = q->tail;
		q->tail = (q->tail + 1u) % IPC_QUEUE_DEPTH;
		ok = true;
	}
	spin_unlock(&q->lock);
	return ok;
}

/* Is svc already running on this CPU, below the caller? (a call cycle) */
static bool on_my_stack(enum ipc_service svc)
{
	const struct cpu_ipc *c = me();

	for (uint32_t d = 1; d <= c->depth; d++)
		if (c->ctx[d].svc == svc)
			return true;
	return false;
}

/* New leases a successful grant would append to the caller's context. */
static unsigned int new_grants(const struct ipc_op_meta *m, const uint8_t *body)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->ref_count; i++)
		if ((m->grant_mask & (1u << i)) != 0u && body[m->ref_off[i]] == IPC_LEASE_NEW)
			n++;
	return n;
}

static enum ipc_status call(enum ipc_service svc, uint16_t op, const void *req, size_t req_len,
			    void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status);

enum ipc_status ipc_call(enum ipc_service svc, uint16_t op, const void *req, size_t req_len,
			 void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status)
{
	enum ipc_status st;

	__atomic_add_fetch(&ipc()->stats.calls, 1u, __ATOMIC_RELAXED);
	st = call(svc, op, req, req_len, rep, rep_cap, rep_len, svc_status);
	if (st != IPC_OK)
		__atomic_add_fetch(&ipc()->stats.transport_errors, 1u, __ATOMIC_RELAXED);
	return st;
}

static enum ipc_status call(enum ipc_service svc, uint16_t op, const void *req, size_t req_len,
			    void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status)
{
	const struct ipc_service_desc *d;
	const struct ipc_op_meta *m;
	struct ipc_msg msg;
	struct ipc_result res;
	struct svc_queue *q;
	enum ipc_status st;
	uint32_t idx = 0;

	/* a service cannot call itself, directly or through a cycle: it would wait on itself */
	if (svc == 0 || svc >= IPC_SVC_COUNT || on_my_stack(svc))
		return IPC_E_NO_SERVICE;
	d = services_get(svc);
	if (d == NULL)
		return IPC_E_NO_SERVICE;
	m = find_op(d, op);
	if (m == NULL)
		return IPC_E_BAD_OP;
	if (req_len != m->req_len || req_len > IPC_MAX_MSG)
		return IPC_E_BAD_LEN;

	msg.op = op;
	msg.len = (uint16_t)req_len;
	if (req_len != 0u)
		memcpy(msg.body, req, req_len);
	st = build_leases(svc, m, &msg);
	if (st != IPC_OK)
		return st;
	/* a grant that could not be recorded must not happen at all */
	if (svc == IPC_SVC_GRANULE && me()->depth != 0u &&
	    current_ctx()->lease_count + new_grants(m, msg.body) > IPC_MAX_LEASES)
		return IPC_E_BAD_LEASE;

	if (!run_now(svc, &msg, &res)) {
		/* Backpressure: while the queue is full, help run the service. */
		q = &ipc()->queues[svc];
		while (!enqueue(q, &msg, &idx)) {
			__atomic_add_fetch(&ipc()->stats.queue_full_waits, 1u, __ATOMIC_RELAXED);
			run_pending(svc);
		}
		while (__atomic_load_n(&q->slot[idx].state, __ATOMIC_ACQUIRE) != SLOT_DONE)
			run_pending(svc);

		spin_lock(&q->lock);
		res_copy(&res, &q->slot[idx].res);
		__atomic_store_n(&q->slot[idx].state, SLOT_FREE, __ATOMIC_RELEASE);
		spin_unlock(&q->lock);
	}

	if (res.tstatus != IPC_OK)
		return res.tstatus;
	if (res.rep_len > rep_cap)
		return IPC_E_BAD_REPLY;
	if (res.rep_len != 0u)
		memcpy(rep, res.rep, res.rep_len);
	*rep_len = res.rep_len;
	*svc_status = res.svc_status;

	/*
	 * A successful granule-service claim/lookup activates the caller's
	 * lease (a new one is appended for IPC_LEASE_NEW). The kernel holds no
	 * leases: it never needs granted access.
	 */
	if (svc == IPC_SVC_GRANULE && res.svc_status == 0 && m->grant_mask != 0u &&
	    me()->depth != 0u)
		grant(m, &msg);
	return IPC_OK;
}

unsigned int ipc_depth(void)
{
	return me()->depth;
}

struct ipc_ctx *ipc_current_ctx(void)
{
	return me()->depth == 0u ? NULL : current_ctx();
}

unsigned int ipc_current_lease_count(void)
{
	return me()->depth == 0u ? 0u : current_ctx()->lease_count;
}
