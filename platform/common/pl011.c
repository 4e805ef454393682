/* PL011 UART console (base from the boot manifest). */
#include <kernel/log.h>
#include <kernel/pa.h>
#include <platform/console.h>

#define UARTDR		0x000u
#define UARTFR		0x018u
#define UARTFR_TXFF	(1u << 5)

/* SAFETY: written once at cold boot before other CPUs run, read-only after. */
static uint64_t uart_base;

void plat_console_init(uint64_t base)
{
	/* QEMU's and the FVP's PL011 come out of firmware enabled at 115200 8N1. */
	uart_base = base;
}

static void putc_raw(char c)
{
	while ((pa_mmio_read32(uart_base + UARTFR) & UARTFR_TXFF) != 0u)
		;
	pa_mmio_write32(uart_base + UARTDR, (uint32_t)(unsigned char)c);
}

void plat_console_write(const char *s, size_t len)
{
	if (uart_base == 0u)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
}
