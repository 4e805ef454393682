#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

/* Broken invariant of the RMM itself (never input from host or realm): stop this CPU. */
__attribute__((noreturn)) void panic(const char *why);

#endif
