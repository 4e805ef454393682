/* Line-buffered console output shared by all CPUs. */
#include <kernel/kstate.h>
#include <kernel/log.h>
#include <kernel/spinlock.h>

void log_begin(struct log_line *l)
{
	l->len = 0;
	log_str(l, "[atoll] ");
}

void log_str(struct log_line *l, const char *s)
{
	for (size_t i = 0; s[i] != '\0' && l->len < LOG_LINE_MAX - 1u; i++)
		l->buf[l->len++] = s[i];
}

void log_hex(struct log_line *l, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[19];
	size_t n = 0;

	tmp[n++] = '0';
	tmp[n++] = 'x';
	for (int shift = 60; shift >= 0; shift -= 4)
		tmp[n++] = digits[(v >> shift) & 0xfu];
	tmp[n] = '\0';
	log_str(l, tmp);
}

void log_dec(struct log_line *l, uint64_t v)
{
	char tmp[21];
	size_t n = sizeof(tmp) - 1u;

	tmp[n] = '\0';
	do {
		tmp[--n] = (char)('0' + (v % 10u));
		v /= 10u;
	} while (v != 0u);
	log_str(l, &tmp[n]);
}

void log_end(struct log_line *l)
{
	l->buf[l->len++] = '\n';
	spin_lock(&kstate()->console_lock);
	plat_console_write(l->buf, l->len);
	spin_unlock(&kstate()->console_lock);
}

void log_msg(const char *s)
{
	struct log_line l;

	log_begin(&l);
	log_str(&l, s);
	log_end(&l);
}

void log_msg_hex(const char *s, uint64_t v)
{
	struct log_line l;

	log_begin(&l);
	log_str(&l, s);
	log_hex(&l, v);
	log_end(&l);
}
