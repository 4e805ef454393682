/* Fatal exceptions taken by the RMM itself, and panic(). */
#include <arch/barrier.h>
#include <arch/copy.h>
#include <arch/sysreg.h>
#include <kernel/log.h>
#include <kernel/panic.h>

/* Saved by arch/aarch64/vectors.S: x19..x29 are not (callee-saved), do not read them. */
struct exc_frame {
	uint64_t x[31];
	uint64_t esr;
	uint64_t elr;
	uint64_t far;
	uint64_t spsr;
};

void kernel_exception(uint64_t kind, struct exc_frame *f);

#define EXC_SYNC_SPX		4u
#define ESR_EC(esr)		(((esr) >> 26) & 0x3fu)
#define EC_DABT_CUR		0x25u

__attribute__((noreturn)) static void stop(void)
{
	for (;;)
		wfe();
}

void kernel_exception(uint64_t kind, struct exc_frame *f)
{
	struct log_line l;

	/*
	 * A data abort inside the fault-tolerant copy (NS memory that is not
	 * in the NS PAS, e.g. a GPF): resume at its recovery label.
	 */
	if (kind == EXC_SYNC_SPX && ESR_EC(f->esr) == EC_DABT_CUR) {
		uint64_t fixup = arch_copy_fault_fixup(f->elr);

		if (fixup != 0u) {
			f->elr = fixup;
			return;
		}
	}

	log_begin(&l);
	log_str(&l, "FATAL exception kind ");
	log_dec(&l, kind);
	log_str(&l, " on cpu ");
	log_dec(&l, read_tpidr_el2());
	log_str(&l, " EL");
	log_dec(&l, (read_currentel() >> 2) & 3u);
	log_end(&l);
	log_begin(&l);
	log_str(&l, "  ESR ");
	log_hex(&l, f->esr);
	log_str(&l, " ELR ");
	log_hex(&l, f->elr);
	log_str(&l, " FAR ");
	log_hex(&l, f->far);
	log_end(&l);
	log_begin(&l);
	log_str(&l, "  SPSR ");
	log_hex(&l, f->spsr);
	log_str(&l, " LR ");
	log_hex(&l, f->x[30]);
	log_end(&l);
	stop();
}

void panic(const char *why)
{
	log_msg("PANIC:");
	log_msg(why);
	stop();
}
