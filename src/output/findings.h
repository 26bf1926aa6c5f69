/* findings.h - what went wrong in a capture, from its finished connections:
 * handshakes nobody answered or that were refused, resets, ICMP errors,
 * DNS failures and heavy retransmission, each gathered per remote endpoint
 * or DNS name with a count, first and last time, and the connections
 * behind it (docs/FINDINGS.md). Pure: rows in, JSON lines out, no I/O and
 * no threads here; the caller feeds it from one thread.
 */
#ifndef WT_OUTPUT_FINDINGS_H
#define WT_OUTPUT_FINDINGS_H

#include <stdint.h>

#include "base/outbuf.h"
#include "flow/row.h"

/* The thresholds, which --findings-* options and config keys set. */
struct findings_opts {
	uint64_t no_answer_us;       /* a SYN or a DNS query unanswered this long is a finding */
	unsigned retransmit_percent; /* retransmitted share of a connection's packets ... */
	unsigned retransmit_min;     /* ... and at least this many retransmissions */
};

#define FINDINGS_NO_ANSWER_SEC 5
#define FINDINGS_RETRANSMIT_PERCENT 10
#define FINDINGS_RETRANSMIT_MIN 3
/* Connections listed with a finding; its count says how many there were. */
#define FINDINGS_CONNS_MAX 16

struct findings;

struct findings *findings_new(const struct findings_opts *o);
void findings_free(struct findings *fs);
/* Account a connection's final row; now_us is the data's clock when it
 * was retired (packet time offline), which tells how long a question
 * went unanswered. */
void findings_add(struct findings *fs, const struct conn_row *r, uint64_t now_us);
/* How many findings there are so far. */
size_t findings_count(const struct findings *fs);
/* Append every finding as one JSON object per line, by kind (in
 * docs/FINDINGS.md's order) and then by first time. */
void findings_write(const struct findings *fs, struct outbuf *o);

#endif
