/* fuzz_pcapng.c - libFuzzer entry for src/capture/pcapfile.c: the input is
 * a whole capture file (pcapng, or classic pcap: the magic decides). It is
 * read twice, as a regular file (mapped windows) and through a pipe (the
 * read buffer), and the harness checks the reader's promises: both ways
 * yield the same frames and the same end; every frame's bytes come from
 * the file; caplen <= wirelen; stamps stay within 1970..9999; every call
 * makes progress. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TS_US 253402300799999999ull
#define MAX_FRAMES 100000 /* far more than a fuzz input can hold */

struct summary {
	int opened;                  /* pcapfile_open's return */
	enum capture_result end;
	uint32_t frames;
	uint64_t hash;               /* over stamps, lengths, link types and bytes */
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static void read_file(int fd, const uint8_t *input, size_t size, struct summary *s)
{
	struct pcapfile *f = NULL;
	struct wt_err err = { 0 };
	memset(s, 0, sizeof *s);
	s->hash = 0xcbf29ce484222325ull;
	s->opened = pcapfile_open(&f, fd, "fuzz", NULL, &err);
	if (s->opened != 1)
		return;
	struct frame fr;
	while ((s->end = pcapfile_next(f, &fr, &err)) == CAPTURE_FRAME) {
		if (++s->frames > MAX_FRAMES || fr.caplen > fr.wirelen || fr.ts_us > MAX_TS_US)
			abort();
		if (fr.caplen && !memmem(input, size, fr.data, fr.caplen))
			abort(); /* bytes that are not in the file */
		s->hash = mix(mix(mix(mix(s->hash, fr.ts_us), fr.caplen), fr.wirelen), (uint64_t)fr.linktype);
		for (uint32_t i = 0; i < fr.caplen; i++)
			s->hash = mix(s->hash, fr.data[i]);
	}
	if (s->end != CAPTURE_EOF && (s->end != CAPTURE_BROKEN || !err.msg[0]))
		abort();
	pcapfile_close(f);
}

static bool read_mapped(const uint8_t *data, size_t size, struct summary *s)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0;
	if (ok)
		read_file(fd, data, size, s);
	close(fd);
	return ok;
}

/* The whole input sits in the pipe before reading starts, so no thread
 * is needed; inputs bigger than the pipe are read mapped only. */
static bool read_piped(const uint8_t *data, size_t size, struct summary *s)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return false;
	int cap = fcntl(p[1], F_GETPIPE_SZ);
	if (cap >= 0 && size > (size_t)cap)
		cap = fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
	bool ok = cap > 0 && size <= (size_t)cap && (!size || write(p[1], data, size) == (ssize_t)size);
	close(p[1]);
	if (ok)
		read_file(p[0], data, size, s);
	close(p[0]);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct summary mapped, piped;
	if (!read_mapped(data, size, &mapped) || !read_piped(data, size, &piped))
		return 0;
	/* A regular file the reader does not know is left to libpcap (0); a
	 * pipe cannot be handed back, so that is an error there. */
	if (mapped.opened == 0)
		return 0;
	if (mapped.opened != piped.opened || mapped.end != piped.end || mapped.frames != piped.frames ||
	    mapped.hash != piped.hash)
		abort();
	return 0;
}
