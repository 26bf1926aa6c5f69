/* fdio.h - writing a whole buffer to a descriptor. */
#ifndef WT_BASE_FDIO_H
#define WT_BASE_FDIO_H

#include <stddef.h>

/* Writes p[0..n) to fd, retrying short writes and EINTR; returns how many
 * bytes were written (fewer than n on an error, e.g. a full disk). */
size_t fd_write_all(int fd, const void *p, size_t n);

#endif
