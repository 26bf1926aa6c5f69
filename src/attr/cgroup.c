/* cgroup.c - what a process's cgroup path says about where it runs: the
 * systemd unit, the container (its runtime and id) and the Kubernetes pod.
 *
 * Pure: a path in, facts out; no file is read here (runtime.c reads the
 * runtimes' own metadata for names). The paths are the ones systemd,
 * Docker, Podman, containerd, CRI-O, LXC and the kubelet create, with
 * either cgroup driver:
 *   /system.slice/nginx.service
 *   /user.slice/user-1000.slice/user@1000.service/app.slice/foo.service
 *   /system.slice/docker-ID.scope              /docker/ID
 *   /machine.slice/libpod-ID.scope             /libpod_parent/libpod-ID
 *   /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID.slice/cri-containerd-ID.scope
 *   /kubepods/burstable/podUID/ID              /lxc/NAME, /lxc.payload.NAME
 * where ID is 64 hex digits and UID a pod's UUID (with '_' for '-' in a
 * systemd slice name).
 */
#include "attr/attr_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/macros.h"

#define CONTAINER_ID_LEN 64
#define POD_UID_LEN 36

struct cg_pattern {
	const char *prefix, *suffix; /* around a container id in one path component */
	const char *runtime;
};

static const struct cg_pattern cg_patterns[] = {
	{ "docker-", ".scope", "docker" },                 /* systemd cgroup driver */
	{ "cri-containerd-", ".scope", "containerd" },     /* containerd (Kubernetes) */
	{ "crio-", ".scope", "cri-o" },                    /* CRI-O */
	{ "libpod-", ".scope", "podman" },                 /* podman, systemd driver */
	{ "libpod-", "", "podman" },                       /* podman, cgroupfs driver */
	{ "lxc.payload.", "", "lxc" },                     /* LXC 4+: the container's name */
};

/* A parent component that says which runtime a bare 64-hex id belongs to
 * (cgroupfs drivers). */
static const struct {
	const char *parent, *runtime;
} id_parents[] = {
	{ "docker", "docker" },
	{ "libpod_parent", "podman" },
};

static const char *const unit_suffixes[] = { ".service", ".scope", ".socket", ".mount" };

struct comp {
	const char *s;
	size_t n;
};

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static bool starts_with(struct comp c, const char *pre)
{
	size_t pl = strlen(pre);
	return c.n >= pl && memcmp(c.s, pre, pl) == 0;
}

static bool ends_with(struct comp c, const char *suf)
{
	size_t sl = strlen(suf);
	return c.n >= sl && memcmp(c.s + c.n - sl, suf, sl) == 0;
}

static bool is(struct comp c, const char *word)
{
	return c.n == strlen(word) && memcmp(c.s, word, c.n) == 0;
}

static void put(char *out, size_t cap, const char *s, size_t n)
{
	snprintf(out, cap, "%.*s", (int)n, s);
}

/* The runtime and id a component names, given its parent; false if none. */
static bool container_of(struct comp c, struct comp parent, struct attr_cgroup_facts *f)
{
	for (size_t i = 0; i < ARRAY_LEN(cg_patterns); i++) {
		const struct cg_pattern *p = &cg_patterns[i];
		size_t pl = strlen(p->prefix), sl = strlen(p->suffix);
		if (c.n > pl + sl && starts_with(c, p->prefix) && ends_with(c, p->suffix)) {
			struct comp id = { c.s + pl, c.n - pl - sl };
			bool named = strcmp(p->runtime, "lxc") == 0;
			if (!named && !(id.n == CONTAINER_ID_LEN && all_hex(id.s, id.n)))
				continue;
			put(f->container_id, sizeof f->container_id, id.s, id.n);
			f->runtime = p->runtime;
			return true;
		}
	}
	if (c.n == CONTAINER_ID_LEN && all_hex(c.s, c.n)) {
		put(f->container_id, sizeof f->container_id, c.s, c.n);
		f->runtime = NULL; /* a kubepods leaf: containerd or CRI-O, the path does not say */
		for (size_t i = 0; i < ARRAY_LEN(id_parents); i++)
			if (is(parent, id_parents[i].parent))
				f->runtime = id_parents[i].runtime;
		return true;
	}
	if (is(parent, "lxc")) {
		put(f->container_id, sizeof f->container_id, c.s, c.n);
		f->runtime = "lxc";
		return true;
	}
	return false;
}

/* "pod<UID>" (cgroupfs) or "kubepods-<class>-pod<UID_>.slice" (systemd,
 * dashes written as underscores): the pod's UID with dashes. */
static bool pod_of(struct comp c, char out[ATTR_POD_UID_MAX])
{
	const char *at = NULL;
	size_t n = 0;

	if (starts_with(c, "pod")) {
		at = c.s + 3;
		n = c.n - 3;
	} else if (starts_with(c, "kubepods") && ends_with(c, ".slice")) {
		const char *p = NULL;
		for (size_t i = 0; i + 4 <= c.n; i++)
			if (memcmp(c.s + i, "-pod", 4) == 0)
				p = c.s + i + 4;
		if (!p)
			return false;
		at = p;
		n = (size_t)(c.s + c.n - strlen(".slice") - p);
	}
	if (!at || n != POD_UID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = at[i] == '_' ? '-' : at[i];
		bool dash_place = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash_place ? ch != '-' : !isxdigit((unsigned char)ch))
			return false;
		out[i] = (char)tolower((unsigned char)ch);
	}
	out[n] = '\0';
	return true;
}

static bool is_unit(struct comp c)
{
	for (size_t i = 0; i < ARRAY_LEN(unit_suffixes); i++)
		if (c.n > strlen(unit_suffixes[i]) && ends_with(c, unit_suffixes[i]))
			return true;
	return false;
}

/* A user's own units are named from their manager down:
 * user@1000.service/app.slice/foo.service; a system unit by itself. */
static void note_unit(struct comp c, const char *manager, struct attr_cgroup_facts *f)
{
	if (manager)
		put(f->unit, sizeof f->unit, manager, (size_t)(c.s + c.n - manager));
	else
		put(f->unit, sizeof f->unit, c.s, c.n);
}

void attr_cgroup_parse(const char *path, struct attr_cgroup_facts *f)
{
	struct comp parent = { "", 0 };
	const char *manager = NULL;

	memset(f, 0, sizeof *f);
	for (const char *s = path ? path : ""; *s;) {
		struct comp c;
		while (*s == '/')
			s++;
		c.s = s;
		c.n = strcspn(s, "/");
		if (!c.n)
			break;
		if (!f->container_id[0])
			container_of(c, parent, f);
		if (!f->pod_uid[0])
			pod_of(c, f->pod_uid);
		if (!manager && starts_with(c, "user@") && ends_with(c, ".service"))
			manager = c.s;
		/* the innermost unit names the process best (session-3.scope
		 * rather than user-1000.slice; app.service inside a slice) */
		if (is_unit(c))
			note_unit(c, manager, f);
		parent = c;
		s += c.n;
	}
}

void attr_container_short(const char *id, char *out, size_t cap)
{
	size_t n = strlen(id);
	bool hex_id = n == CONTAINER_ID_LEN && all_hex(id, n);
	snprintf(out, cap, "%.*s", hex_id ? ATTR_SHORT_ID_LEN : (int)n, id);
}
