#include "base/fdio.h"

#include <errno.h>
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
