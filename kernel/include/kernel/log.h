/*
 * Console logging without variadic functions: a line is built from typed
 * pieces and written atomically (one lock per line) with an "[atoll] " prefix.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stddef.h>
#include <stdint.h>

#define LOG_LINE_MAX	160u

struct log_line {
	char buf[LOG_LINE_MAX];
	size_t len;
};

void log_begin(struct log_line *l);
void log_str(struct log_line *l, const char *s);
void log_hex(struct log_line *l, uint64_t v);
void log_dec(struct log_line *l, uint64_t v);
void log_end(struct log_line *l);

/* One-piece conveniences. */
void log_msg(const char *s);
void log_msg_hex(const char *s, uint64_t v);

/*
 * Provided by the platform: raw console output of one line (no locking), to
 * the device at config()->console_base (nothing while it is 0).
 */
void plat_console_write(const char *s, size_t len);

#endif
