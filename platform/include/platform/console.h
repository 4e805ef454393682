#ifndef PLATFORM_CONSOLE_H
#define PLATFORM_CONSOLE_H

#include <stdint.h>

/* Start the console at the device base the boot manifest named (0: none). */
void plat_console_init(uint64_t base);

#endif
