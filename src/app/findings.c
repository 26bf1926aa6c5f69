#include "app/findings.h"

#include <errno.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/fdio.h"
#include "base/outbuf.h"
#include "base/xalloc.h"
#include "output/findings.h"
#include "query/query.h"

struct app_findings {
	struct findings *fs;
	const struct query *filter;
};

struct findings_opts app_findings_opts(const struct options *o)
{
	return (struct findings_opts){
		.no_answer_us = (uint64_t)o->findings_no_answer_s * US_PER_SEC,
		.retransmit_percent = o->findings_retransmit_percent,
		.retransmit_min = o->findings_retransmit_min,
		.rtt_rise_us = (uint64_t)o->findings_rtt_rise_ms * US_PER_MS,
		.rtt_spike_us = (uint64_t)o->findings_rtt_spike_ms * US_PER_MS,
	};
}

struct app_findings *app_findings_new(const struct options *o, const struct query *filter)
{
	struct app_findings *af = xcalloc(1, sizeof *af);
	struct findings_opts fo = app_findings_opts(o);
	af->fs = findings_new(&fo);
	af->filter = filter;
	return af;
}

void app_findings_free(struct app_findings *af)
{
	if (!af)
		return;
	findings_free(af->fs);
	free(af);
}

/* A connection's final record: the only one findings are made of. */
static void on_record(void *self, const struct export_rec *rec)
{
	struct app_findings *af = self;
	if (rec->kind != EXPORT_CLOSE)
		return;
	if (af->filter && !query_match(af->filter, rec->row, rec->ts_us))
		return;
	findings_add(af->fs, rec->row, rec->ts_us);
}

void app_findings_sink(struct app_findings *af, struct export_sink *s)
{
	*s = (struct export_sink){ .name = "findings", .record = on_record, .self = af };
}

void app_findings_capture(struct app_findings *af, const struct engine_status *st, uint64_t export_drops)
{
	if (!st->live)
		return;
	findings_add_capture(af->fs, FK_CAPTURE_DROPS, st->source, st->drops.count, st->drops.first_us,
			     st->drops.last_us);
	/* the hub counts its drops without their times */
	findings_add_capture(af->fs, FK_EXPORT_DROPS, st->source, export_drops, 0, 0);
	findings_add_capture(af->fs, FK_LINK_DOWN, st->source, st->link_downs.count,
			     st->link_downs.first_us, st->link_downs.last_us);
}

int app_findings_write(struct app_findings *af, int fd)
{
	struct outbuf o;
	outbuf_init(&o, 4096);
	findings_write(af->fs, &o);
	errno = 0;
	int rc = fd_write_all(fd, o.buf, o.len) == o.len ? 0 : errno ? errno : EIO;
	outbuf_fini(&o);
	return rc;
}
