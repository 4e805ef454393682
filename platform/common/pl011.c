/* PL011 UART console (base from the boot manifest). */
#include <kernel/config.h>
#include <kernel/log.h>
#include <kernel/pa.h>

#define UARTDR		0x000u
#define UARTFR		0x018u
#define UARTFR_TXFF	(1u << 5)

/*
 * The base comes from the sealed configuration (0 until cold boot has read
 * the manifest). QEMU's and the FVP's PL011 come out of firmware enabled at
 * 115200 8N1, so there is nothing to initialise.
 */

static void putc_raw(uint64_t uart_base, char c)
{
	while ((pa_mmio_read32(uart_base + UARTFR) & UARTFR_TXFF) != 0u)
		;
	pa_mmio_write32(uart_base + UARTDR, (uint32_t)(unsigned char)c);
}

void plat_console_write(const char *s, size_t len)
{
	uint64_t base = config()->console_base;

	if (base == 0u)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			putc_raw(base, '\r');
		putc_raw(base, s[i]);
	}
}
