/* The benchmark realm payload (tests/bench/realm.S), embedded in the benchmark host. */
	.section .rodata
	.balign	8
	.globl	bench_realm_payload
	.globl	bench_realm_payload_end
bench_realm_payload:
	.incbin	BENCH_REALM_BIN
bench_realm_payload_end:
