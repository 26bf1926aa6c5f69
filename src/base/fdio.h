/* fdio.h - whole reads and writes on a descriptor, and small files read whole. */
#ifndef WT_BASE_FDIO_H
#define WT_BASE_FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* Writes p[0..n) to fd, retrying short writes and EINTR; returns how many
 * bytes were written (fewer than n on an error, e.g. a full disk). */
size_t fd_write_all(int fd, const void *p, size_t n);

/* Reads from fd until cap bytes or end of file (EINTR retried); returns the
 * bytes read: fewer than cap means the file ended (or a read failed). */
size_t fd_read_all(int fd, char *buf, size_t cap);

/* Up to cap-1 bytes of a small file (a /proc entry, a runtime's metadata)
 * into buf, NUL-terminated; the length, or -1 when it cannot be opened. */
ssize_t file_read_small(const char *path, char *buf, size_t cap);

#endif
