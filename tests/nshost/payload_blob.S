/* The realm test payload (tests/realm), embedded in the NS host's image. */
	.section .rodata
	.balign	8
	.globl	realm_payload
	.globl	realm_payload_end
realm_payload:
	.incbin	REALM_PAYLOAD_BIN
realm_payload_end:
