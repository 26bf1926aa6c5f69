#include "base/fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

size_t fd_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	size_t off = 0;
	while (fd >= 0 && off < n) {
		ssize_t k = write(fd, c + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	return off;
}

size_t fd_read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

ssize_t file_read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = cap ? fd_read_all(fd, buf, cap - 1) : 0;
	close(fd);
	if (cap)
		buf[got] = '\0';
	return (ssize_t)got;
}
