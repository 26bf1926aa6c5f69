/* runtime.c - container and pod names from the runtimes' own metadata.
 *
 * Called by the attribution thread once per process it reads (and by
 * tests); never on a reader's thread. The files are the runtimes', found
 * beneath a root that stands for / (tests point it at a fixture):
 *   Docker   var/lib/docker/containers/ID/config.v2.json   top-level "Name": "/web"
 *   Podman   var/lib/containers/storage/overlay-containers/containers.json
 *            [{"id": "ID", "names": ["web"], ...}, ...]
 *   kubelet  var/log/pods/NAMESPACE_NAME_UID/
 * Their directories are usually root's alone: when a file may not be read
 * the id stands in for the name. Everything read is sanitized.
 */
#include "attr/attr_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fdio.h"
#include "base/sanitize.h"

#define DOCKER_CONFIG_MAX (256 * 1024)
#define PODMAN_LIST_MAX (4 * 1024 * 1024)

/* The whole of a file up to cap bytes, NUL-terminated; NULL when it cannot
 * be read. The caller frees it. */
static char *slurp(const char *path, size_t cap)
{
	char *buf = malloc(cap + 1);
	if (buf && file_read_small(path, buf, cap + 1) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The JSON string starting at the quote at s, into out (escapes kept as
 * written: names have none); false when it does not end. */
static bool json_string(const char *s, char *out, size_t cap)
{
	const char *e = s + 1;
	while (*e && *e != '"')
		e += e[0] == '\\' && e[1] ? 2 : 1;
	if (*s != '"' || *e != '"')
		return false;
	sanitize_copy(out, cap, (const uint8_t *)s + 1, (size_t)(e - s - 1));
	return true;
}

/* The value of key in the outermost object of a JSON text, when it is a
 * string: keys of nested objects (a mount's "Name") do not count. */
static bool json_top_string(const char *text, const char *key, char *out, size_t cap)
{
	int depth = 0;
	size_t kl = strlen(key);

	for (const char *p = text; *p; p++) {
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			depth--;
		} else if (*p == '"') {
			const char *start = p++;
			while (*p && *p != '"')
				p += p[0] == '\\' && p[1] ? 2 : 1;
			if (!*p)
				return false;
			const char *colon = p + 1 + strspn(p + 1, " \t\r\n");
			if (depth == 1 && *colon == ':' && (size_t)(p - start - 1) == kl &&
			    memcmp(start + 1, key, kl) == 0)
				return json_string(colon + 1 + strspn(colon + 1, " \t\r\n"), out, cap);
		}
	}
	return false;
}

static bool docker_name(const char *root, const char *id, char *out, size_t cap)
{
	char path[ATTR_PATH_BUF], name[ATTR_CONTAINER_MAX + 1];
	snprintf(path, sizeof path, "%s/var/lib/docker/containers/%s/config.v2.json", root, id);
	char *text = slurp(path, DOCKER_CONFIG_MAX);
	bool ok = text && json_top_string(text, "Name", name, sizeof name) && name[0];
	if (ok) /* Docker keeps the name as a path: "/web" */
		snprintf(out, cap, "%s", name + (name[0] == '/'));
	free(text);
	return ok && out[0];
}

/* The first of "names" in the object whose "id" is id. */
static bool podman_name(const char *root, const char *id, char *out, size_t cap)
{
	char path[ATTR_PATH_BUF], want[ATTR_CONTAINER_MAX + 16];
	snprintf(path, sizeof path,
		 "%s/var/lib/containers/storage/overlay-containers/containers.json", root);
	snprintf(want, sizeof want, "\"id\":\"%s\"", id);
	char *text = slurp(path, PODMAN_LIST_MAX);
	bool ok = false;
	if (text) {
		/* containers.json is written without spaces */
		const char *at = strstr(text, want);
		const char *names = at ? strstr(at, "\"names\":[") : NULL;
		const char *next = at ? strstr(at + strlen(want), "\"id\":\"") : NULL;
		if (names && (!next || names < next))
			ok = json_string(names + strlen("\"names\":["), out, cap) && out[0];
	}
	free(text);
	return ok;
}

/* "NAMESPACE/NAME" from the kubelet's log folder NAMESPACE_NAME_UID: neither
 * a namespace nor a pod name may hold '_'. */
static bool pod_name(const char *root, const char *uid, char *out, size_t cap)
{
	char path[ATTR_PATH_BUF];
	size_t ul = strlen(uid);
	bool ok = false;

	snprintf(path, sizeof path, "%s/var/log/pods", root);
	DIR *d = opendir(path);
	if (!d)
		return false;
	for (struct dirent *e; !ok && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		const char *us = strchr(e->d_name, '_');
		if (n <= ul + 1 || strcmp(e->d_name + n - ul, uid) != 0 || e->d_name[n - ul - 1] != '_' ||
		    !us || us >= e->d_name + n - ul - 1)
			continue;
		char both[NAME_MAX + 1];
		snprintf(both, sizeof both, "%.*s/%.*s", (int)(us - e->d_name), e->d_name,
			 (int)(e->d_name + n - ul - 1 - us - 1), us + 1);
		sanitize_copy(out, cap, (const uint8_t *)both, strlen(both));
		ok = true;
	}
	closedir(d);
	return ok;
}

void attr_runtime_names(const char *root, const struct attr_cgroup_facts *f,
			struct attr_proc_detail *d)
{
	/* a bare id under kubepods may be any runtime's */
	const char *rt = f->runtime ? f->runtime : "docker podman";
	const char *id = f->container_id;
	bool named = false;

	d->container[0] = d->pod[0] = '\0';
	if (root && id[0] && strstr(rt, "docker"))
		named = docker_name(root, id, d->container, sizeof d->container);
	if (root && id[0] && !named && strstr(rt, "podman"))
		named = podman_name(root, id, d->container, sizeof d->container);
	if (id[0] && !named)
		attr_container_short(id, d->container, sizeof d->container);
	if (f->pod_uid[0] && !(root && pod_name(root, f->pod_uid, d->pod, sizeof d->pod)))
		snprintf(d->pod, sizeof d->pod, "%s", f->pod_uid);
}

void attr_place_of(const char *root, struct attr_proc_detail *d)
{
	struct attr_cgroup_facts f;

	attr_cgroup_parse(d->cgroup, &f);
	snprintf(d->unit, sizeof d->unit, "%s", f.unit);
	snprintf(d->container_id, sizeof d->container_id, "%s", f.container_id);
	attr_runtime_names(root, &f, d);
}
