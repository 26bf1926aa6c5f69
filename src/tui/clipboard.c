/* clipboard.c - copy text to the user's clipboard: an OSC 52 escape
 * ("ESC ] 52 ; c ; base64 BEL") that terminals honour even over ssh, plus
 * wl-copy or xclip when a local display has them.
 */
#include "tui/ui.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macros.h"

extern char **environ;

static void base64(const char *in, size_t n, char *out, size_t cap)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 <= cap; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)(unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

static void osc52(FILE *term, const char *text)
{
	char b64[512];
	if (!term)
		return;
	base64(text, strlen(text), b64, sizeof b64);
	fprintf(term, "\033]52;c;%s\a", b64);
	fflush(term);
}

#define HELPER_ARGS 4

/* Runs args with text on its standard input (a socket, so a helper that
 * exits early cannot raise SIGPIPE here). */
static bool run_helper(const char *const args[HELPER_ARGS], const char *text)
{
	char store[HELPER_ARGS][32], *argv[HELPER_ARGS + 1] = { NULL };
	for (int i = 0; i < HELPER_ARGS && args[i]; i++)
		argv[i] = strcpy(store[i], args[i]);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return false;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc == 0)
		(void)!send(sv[0], text, strlen(text), MSG_NOSIGNAL);
	close(sv[0]);
	int status = 0;
	if (rc != 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static const struct {
	const char *env;       /* needs this display variable */
	const char *args[HELPER_ARGS];
} helpers[] = {
	{ "WAYLAND_DISPLAY", { "wl-copy" } },
	{ "DISPLAY", { "xclip", "-selection", "clipboard" } },
};

void clipboard_copy(FILE *term, const char *text, char *note, size_t cap)
{
	size_t o = (size_t)snprintf(note, cap, "%s", term ? "OSC 52" : "");
	osc52(term, text);
	for (size_t i = 0; i < ARRAY_LEN(helpers); i++) {
		const char *d = getenv(helpers[i].env);
		if (!d || !*d || !run_helper(helpers[i].args, text) || o >= cap)
			continue;
		o += (size_t)snprintf(note + o, cap - o, "%s%s", o ? " + " : "", helpers[i].args[0]);
		break;
	}
	if (!note[0])
		snprintf(note, cap, "no clipboard available");
}
