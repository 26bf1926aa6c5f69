/* findings.h - what went wrong in a capture, from its finished connections:
 * handshakes nobody answered or that were refused, resets, ICMP errors,
 * DNS failures, heavy retransmission and round trips that rose or spiked,
 * each gathered per remote endpoint or DNS name with a count, first and
 * last time, and the connections behind it (docs/FINDINGS.md). Pure: rows
 * in, JSON lines (or, for the UI's Health view, the findings themselves)
 * out, no I/O and no threads here; the caller feeds it from one thread.
 */
#ifndef WT_OUTPUT_FINDINGS_H
#define WT_OUTPUT_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/outbuf.h"
#include "flow/row.h"

/* The thresholds, which --findings-* options and config keys set. */
struct findings_opts {
	uint64_t no_answer_us;       /* a SYN or a DNS query unanswered this long is a finding */
	unsigned retransmit_percent; /* retransmitted share of a connection's packets ... */
	unsigned retransmit_min;     /* ... and at least this many retransmissions */
	uint64_t rtt_rise_us;        /* the smoothed round trip this much over the handshake's (and twice it) */
	uint64_t rtt_spike_us;       /* what a round-trip spike is over SRTT; the tracker counts them
				      * (flow/tcp_health.h), a connection with one is a finding */
};

#define FINDINGS_NO_ANSWER_SEC 5
#define FINDINGS_RETRANSMIT_PERCENT 10
#define FINDINGS_RETRANSMIT_MIN 3
#define FINDINGS_RTT_RISE_MS 100
#define FINDINGS_RTT_SPIKE_MS 200
/* Connections listed with a finding; its count says how many there were. */
#define FINDINGS_CONNS_MAX 16

/* The kinds, in the order they are written (docs/FINDINGS.md). What a
 * finding is about: */
enum finding_kind {
	FK_TCP_NO_ANSWER,    /* the responder's address and port */
	FK_TCP_REFUSED,
	FK_TCP_RESET,
	FK_TCP_RETRANSMITS,
	FK_TCP_RTT_RISE,
	FK_TCP_RTT_SPIKE,
	FK_ICMP_UNREACHABLE, /* the ICMP exchange's address pair, either way round */
	FK_ICMP_TIME_EXCEEDED,
	FK_DNS_NXDOMAIN,     /* the name asked for */
	FK_DNS_SERVFAIL,
	FK_DNS_REFUSED,
	FK_DNS_NO_ANSWER,
	FK_CAPTURE_DROPS,    /* the capture itself (live): its interface */
	FK_EXPORT_DROPS,
	FK_LINK_DOWN,
	FK_COUNT,
};

enum finding_subject { FINDING_BY_RESPONDER, FINDING_BY_PAIR, FINDING_BY_NAME, FINDING_BY_CAPTURE };

/* Worse is bigger: a row's worst is FINDING_NONE when it makes none. */
enum finding_severity { FINDING_NONE, FINDING_WARNING, FINDING_ERROR };

/* A connection as the JSON records name it. */
struct finding_conn {
	uint16_t l4;
	uint8_t family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint64_t first_us;
};

/* One finding, as readers (the UI's Health view) see it. */
struct finding {
	enum finding_kind kind;
	uint16_t l4;
	uint8_t family;
	uint8_t a[16], b[16];      /* BY_RESPONDER: a and port; BY_PAIR: a to b */
	bool from_exchange;        /* BY_PAIR: a and b in the ICMP exchange's order, not a quote's */
	uint16_t port;
	char *name;                /* BY_NAME: stored text; NULL when the query had none;
				    * BY_CAPTURE: the interface */
	uint64_t hash;
	uint64_t count, first_us, last_us;
	uint32_t nconns;           /* the earliest of the count, in order */
	struct finding_conn conns[FINDINGS_CONNS_MAX];
};

struct findings;

/* The kind's word ("tcp_no_answer"), severity and what it is about. */
const char *findings_kind_word(enum finding_kind k);
enum finding_severity findings_kind_severity(enum finding_kind k);
enum finding_subject findings_kind_subject(enum finding_kind k);
/* "error", "warning"; "" for FINDING_NONE. */
const char *findings_severity_word(enum finding_severity s);
/* The worst severity of the findings r would make if it ended at now_us
 * (the UI's severity-first sort). */
enum finding_severity findings_row_severity(const struct conn_row *r, uint64_t now_us,
					    const struct findings_opts *o);

struct findings *findings_new(const struct findings_opts *o);
void findings_free(struct findings *fs);
/* Account a connection's final row; now_us is the data's clock when it
 * was retired (packet time offline), which tells how long a question
 * went unanswered. */
void findings_add(struct findings *fs, const struct conn_row *r, uint64_t now_us);
/* A finding of the capture itself (FK_CAPTURE_DROPS, FK_EXPORT_DROPS,
 * FK_LINK_DOWN) on interface iface: count times, the first and the last
 * at first_us and last_us (0: not known). Nothing when count is 0. */
void findings_add_capture(struct findings *fs, enum finding_kind k, const char *iface, uint64_t count,
			  uint64_t first_us, uint64_t last_us);
/* How many findings there are so far. */
size_t findings_count(const struct findings *fs);
/* Append every finding as one JSON object per line, by kind (in
 * docs/FINDINGS.md's order) and then by first time. */
void findings_write(const struct findings *fs, struct outbuf *o);
/* Every finding, worst severity first, then by kind and first time:
 * out[0 .. findings_count). They live until the next findings_add or
 * findings_free. */
void findings_list(const struct findings *fs, const struct finding **out);

#endif
