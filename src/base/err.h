/* err.h - error code + message at module boundaries (libpcap's errbuf). */
#ifndef WT_BASE_ERR_H
#define WT_BASE_ERR_H

enum wt_errcode {
	WT_OK = 0,
	WT_ERR_USAGE,    /* bad option or value: exit status 2 */
	WT_ERR_INPUT,    /* missing / unreadable / not a capture: exit 2 */
	WT_ERR_PERM,     /* missing privilege */
	WT_ERR_SYSTEM,   /* anything else the OS refused */
	WT_ERR_NOMEM,
	WT_ERR_STOPPED,  /* a stop (a signal) came first: no failure, nothing to say */
};

struct wt_err {
	enum wt_errcode code;
	char msg[512];
};

/* Fill err (may be NULL) with code and a printf-style message; returns -1. */
int wt_err_set(struct wt_err *err, enum wt_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
