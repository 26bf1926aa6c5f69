/* sink.h - what an exporter receives from the export hub (hub.h), and the
 * table of operations each exporter provides.
 *
 * DESIGN: every call of an exporter's operations comes from the hub's
 * thread, one at a time, except `drops`, which any thread may call.
 * Exporters' options structs hold at most EXPORT_OPTS_MAX bytes (the hub
 * keeps a copy of a retune's until its thread applies it).
 */
#ifndef WT_EXPORT_SINK_H
#define WT_EXPORT_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/row.h"

#define EXPORT_OPTS_MAX 128

enum export_kind {
	EXPORT_OPEN,    /* a new connection, once its process is known (or given up on) */
	EXPORT_UPDATE,  /* a long connection, every active interval of this exporter */
	EXPORT_CLOSE,   /* retired: the final counters */
};

/* Facts about the owning process beyond the row's proc_ref. */
struct export_proc {
	char unit[128];               /* systemd unit; "" unknown */
	char container[72];           /* container id or name; "" unknown */
	char cgroup[256];             /* cgroup v2 path; "" unknown */
};

struct export_rec {
	enum export_kind kind;
	uint8_t end_reason;           /* IPFIX flowEndReason (ipfix_enc.h) of an UPDATE or CLOSE */
	const struct conn_row *row;   /* the process joined when known */
	const struct export_proc *proc;
	uint64_t ts_us;               /* the data's clock (packet time offline) */
	/* Counted since this exporter's previous record of the connection
	 * ([0] initiator, [1] responder): deltas add up to the totals. */
	uint64_t d_packets[2], d_bytes[2], d_ip_bytes[2];
};

struct export_sink {
	const char *name;
	uint64_t active_us;           /* UPDATE at most this often per connection; 0 never */
	void (*record)(void *self, const struct export_rec *rec);
	void (*tick)(void *self, uint64_t wall_us);   /* about ten times a second */
	void (*reopen)(void *self);                   /* SIGHUP: reopen files */
	/* SIGHUP: take the settings that apply while running from opts, the
	 * exporter's own options struct (its numbers; strings and targets
	 * stay), and set *active_us. May be NULL. */
	void (*retune)(void *self, const void *opts, uint64_t *active_us);
	void (*flush)(void *self);                    /* everything out (before stopping) */
	uint64_t (*drops)(void *self);                /* records this exporter lost */
	void (*destroy)(void *self);                  /* after the last flush */
	void *self;
};

#endif
