/* Unit tests for where a process runs (src/attr/cgroup.c, runtime.c,
 * proc.c's choice of cgroup line): systemd units, containers and pods
 * from cgroup paths of every runtime and driver and from garbage; names
 * from a fake tree of the runtimes' metadata; and the pooled parts a row
 * holds them in. No root needed.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attr/attr.h"
#include "attr/attr_int.h"
#include "base/strpool.h"
#include "flow/row.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define UID "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
#define UID_ "1b2c3d4e_5f60_4a7b_8c9d_0e1f2a3b4c5d"

struct cg_case {
	const char *path, *unit, *id, *runtime, *pod;
};

static const struct cg_case cg_cases[] = {
	{ "/system.slice/nginx.service", "nginx.service", "", NULL, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service",
	  "user@1000.service/app.slice/foo.service", "", NULL, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/init.scope", "user@1000.service/init.scope",
	  "", NULL, "" },
	{ "/user.slice/user-1000.slice/session-3.scope", "session-3.scope", "", NULL, "" },
	{ "/system.slice/docker-" ID ".scope", "docker-" ID ".scope", ID, "docker", "" },
	{ "/docker/" ID, "", ID, "docker", "" },
	{ "/machine.slice/libpod-" ID ".scope", "libpod-" ID ".scope", ID, "podman", "" },
	{ "/libpod_parent/libpod-" ID, "", ID, "podman", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	  "user@1000.service/user.slice/libpod-" ID ".scope", ID, "podman", "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	  ".slice/cri-containerd-" ID ".scope",
	  "cri-containerd-" ID ".scope", ID, "containerd", UID },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope", "crio-" ID ".scope", ID,
	  "cri-o", UID },
	{ "/kubepods/besteffort/pod" UID "/" ID, "", ID, NULL, UID },
	{ "/kubepods/pod" UID "/" ID, "", ID, NULL, UID },
	{ "/lxc/web1", "", "web1", "lxc", "" },
	{ "/lxc.payload.db2/init.scope", "init.scope", "db2", "lxc", "" },
	/* garbage and near misses */
	{ "", "", "", NULL, "" },
	{ "/", "", "", NULL, "" },
	{ "///", "", "", NULL, "" },
	{ "/system.slice", "", "", NULL, "" },
	{ "/.service/.scope", "", "", NULL, "" },
	{ "/system.slice/docker-xyz.scope", "docker-xyz.scope", "", NULL, "" },
	{ "/docker/" ID "0", "", "", NULL, "" },                  /* 65 hex digits */
	{ "/kubepods/podnot-a-uuid/x", "", "", NULL, "" },
	{ "/kubepods/pod" UID "0/x", "", "", NULL, "" },          /* a UID one too long */
	{ "/kubepods.slice/kubepods-podzz2c3d4e_5f60_4a7b_8c9d_0e1f2a3b4c5d.slice", "", "", NULL, "" },
	{ "/process_api/a5fb494d424bcff14d2de4211c4135c2", "", "", NULL, "" },
	{ "/system.slice/docker-" ID ".scope/" ID2, "docker-" ID ".scope", ID, "docker", "" },
};

static void test_cgroup_paths(void)
{
	struct attr_cgroup_facts f;

	for (size_t i = 0; i < sizeof cg_cases / sizeof cg_cases[0]; i++) {
		const struct cg_case *c = &cg_cases[i];
		attr_cgroup_parse(c->path, &f);
		CHECK_STR(f.unit, c->unit);
		CHECK_STR(f.container_id, c->id);
		CHECK_STR(f.runtime ? f.runtime : "(none)", c->runtime ? c->runtime : "(none)");
		CHECK_STR(f.pod_uid, c->pod);
	}
	attr_cgroup_parse(NULL, &f);
	CHECK_STR(f.unit, "");
}

/* Long and hostile paths stay within their buffers. */
static void test_cgroup_long_and_hostile(void)
{
	static char path[20000];
	struct attr_cgroup_facts f;
	size_t at = 0;

	while (at + 20 < sizeof path)
		at += (size_t)snprintf(path + at, sizeof path - at, "/a%zu.service", at);
	attr_cgroup_parse(path, &f);
	CHECK(strlen(f.unit) < sizeof f.unit && strstr(f.unit, ".service") != NULL);
	memset(path, '/', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	attr_cgroup_parse(path, &f);
	CHECK_STR(f.unit, "");
	memset(path, 'x', sizeof path - 1);
	attr_cgroup_parse(path, &f);
	CHECK_STR(f.unit, "");
	CHECK_STR(f.container_id, "");
	attr_cgroup_parse("/lxc/\x1b[2J", &f); /* sanitizing is the reader's: it is passed on whole */
	CHECK_STR(f.container_id, "\x1b[2J");
}

static void test_short_id(void)
{
	char s[ATTR_CONTAINER_MAX];
	attr_container_short(ID, s, sizeof s);
	CHECK_STR(s, "0123456789ab");
	attr_container_short("web1", s, sizeof s);
	CHECK_STR(s, "web1");
}

/* ---- names from the runtimes' metadata ---------------------------------- */

static void put_file(const char *root, const char *rel, const char *text)
{
	char path[4096], cmd[4200];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
	CHECK_INT(system(cmd), 0);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void rm_tree(const char *root)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK_INT(system(cmd), 0);
}

static void names_of(const char *root, const char *cgroup, struct attr_proc_detail *d)
{
	memset(d, 0, sizeof *d);
	snprintf(d->cgroup, sizeof d->cgroup, "%s", cgroup);
	attr_place_of(root, d);
}

static void test_runtime_names(void)
{
	char root[] = "/tmp/wt-place-XXXXXX";
	struct attr_proc_detail d;

	CHECK(mkdtemp(root) != NULL);
	/* a mount's "Name" comes before the container's own: only the
	 * outermost object's counts */
	put_file(root, "var/lib/docker/containers/" ID "/config.v2.json",
		 "{\"MountPoints\":{\"/data\":{\"Name\":\"vol1\",\"Driver\":\"local\"}},"
		 "\"Config\":{\"Labels\":{\"Name\":\"label\"}},\"ID\":\"" ID "\",\"Name\":\"/web\"}");
	put_file(root, "var/lib/containers/storage/overlay-containers/containers.json",
		 "[{\"id\":\"" ID2 "\",\"names\":[\"other\"],\"image\":\"x\"},"
		 "{\"id\":\"" ID "\",\"names\":[\"db\",\"db-alias\"],\"image\":\"y\"}]");
	char pods[4096];
	snprintf(pods, sizeof pods, "%s/var/log/pods/shop_web-7d4b9_" UID "/web", root);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/var/log/pods/other_x_%s'", pods, root,
		 "00000000-0000-0000-0000-000000000000");
	CHECK_INT(system(cmd), 0);

	names_of(root, "/system.slice/docker-" ID ".scope", &d);
	CHECK_STR(d.container, "web");
	CHECK_STR(d.container_id, ID);
	CHECK_STR(d.unit, "docker-" ID ".scope");
	names_of(root, "/docker/" ID, &d);
	CHECK_STR(d.container, "web");
	names_of(root, "/machine.slice/libpod-" ID ".scope", &d);
	CHECK_STR(d.container, "db");
	names_of(root, "/machine.slice/libpod-" ID2 ".scope", &d);
	CHECK_STR(d.container, "other");
	names_of(root, "/system.slice/docker-" ID2 ".scope", &d); /* no config: the short id */
	CHECK_STR(d.container, "fedcba987654");
	names_of(root, "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
		       ".slice/cri-containerd-" ID ".scope", &d);
	CHECK_STR(d.pod, "shop/web-7d4b9");
	CHECK_STR(d.container, "0123456789ab"); /* containerd: no metadata of its own read */
	names_of(root, "/kubepods/pod" UID "/" ID, &d); /* a bare id: Docker's metadata has it */
	CHECK_STR(d.container, "web");
	CHECK_STR(d.pod, "shop/web-7d4b9");
	names_of(root, "/kubepods/pod11111111-2222-3333-4444-555555555555/" ID2, &d);
	CHECK_STR(d.pod, "11111111-2222-3333-4444-555555555555"); /* no log folder: the UID */
	/* without a root nothing is read */
	names_of(NULL, "/system.slice/docker-" ID ".scope", &d);
	CHECK_STR(d.container, "0123456789ab");
	names_of(NULL, "/kubepods/pod" UID "/" ID, &d);
	CHECK_STR(d.pod, UID);

	/* broken metadata: the short id, never a crash */
	put_file(root, "var/lib/docker/containers/" ID "/config.v2.json", "{\"Name\":\"/unterminated");
	names_of(root, "/docker/" ID, &d);
	CHECK_STR(d.container, "0123456789ab");
	put_file(root, "var/lib/docker/containers/" ID "/config.v2.json", "{\"Name\":\"/\x1b[2Jevil\"}");
	names_of(root, "/docker/" ID, &d);
	CHECK_STR(d.container, "\\x1b[2Jevil");
	put_file(root, "var/lib/docker/containers/" ID "/config.v2.json", "{\"Name\":42}");
	names_of(root, "/docker/" ID, &d);
	CHECK_STR(d.container, "0123456789ab");
	put_file(root, "var/lib/containers/storage/overlay-containers/containers.json",
		 "[{\"id\":\"" ID "\"},{\"id\":\"" ID2 "\",\"names\":[\"later\"]}]");
	names_of(root, "/libpod_parent/libpod-" ID, &d); /* its object has no names */
	CHECK_STR(d.container, "0123456789ab");
	rm_tree(root);
}

/* The attribution helper names containers from folders only root may read
 * (as Docker's are), after dropping to another user with
 * CAP_DAC_READ_SEARCH; what it reads is named by ids it parsed, whatever
 * the path it is sent says. Root only (the helper needs it). */
static void test_names_through_helper(void)
{
	char root[] = "/tmp/wt-plhelp-XXXXXX", sub[256];
	struct attr_helper_opts o = { .proc_root = "/proc", .tables = ATTR_TABLES_PROCFS,
				      .on_violation = SANDBOX_KILL };
	struct attr_helper *h = NULL;
	struct attr_proc_detail d;
	char why[256] = "";

	if (geteuid() != 0)
		return;
	CHECK(mkdtemp(root) != NULL);
	put_file(root, "var/lib/docker/containers/" ID "/config.v2.json", "{\"Name\":\"/web\"}");
	put_file(root, "etc/secret", "{\"Name\":\"/leaked\"}");
	snprintf(sub, sizeof sub, "mkdir -p '%s/var/log/pods/shop_web_" UID "'", root);
	CHECK_INT(system(sub), 0);
	char docker[4096];
	snprintf(docker, sizeof docker, "%s/var/lib/docker", root);
	CHECK_INT(chmod(docker, 0700), 0);
	CHECK_INT(chmod(root, 0755), 0);
	o.runtime_root = root;
	if (attr_helper_start(&h, &o, why, sizeof why) < 0) {
		CHECK_STR(why, "(the helper started)");
		rm_tree(root);
		return;
	}
	memset(&d, 0, sizeof d);
	CHECK_INT(attr_helper_names(h, "/system.slice/docker-" ID ".scope", &d), 0);
	CHECK_STR(d.container, "web");
	CHECK_INT(attr_helper_names(h, "/kubepods/pod" UID "/" ID, &d), 0);
	CHECK_STR(d.container, "web");
	CHECK_STR(d.pod, "shop/web");
	/* a path that names no runtime's id gets no file read */
	CHECK_INT(attr_helper_names(h, "/docker/../../etc/secret", &d), 0);
	CHECK_STR(d.container, "");
	CHECK_INT(attr_helper_names(h, "/lxc/../../../etc/secret", &d), 0);
	CHECK_STR(d.container, ".."); /* an LXC name, read from nowhere */
	CHECK_STR(d.pod, "");
	attr_helper_stop(h);
	rm_tree(root);
}

/* ---- which line of /proc/PID/cgroup ------------------------------------- */

static void proc_with_cgroup(const char *root, const char *text, struct attr_proc_detail *d)
{
	put_file(root, "77/cgroup", text);
	put_file(root, "77/comm", "app\n");
	put_file(root, "77/status", "Name:\tapp\nUid:\t0\t0\t0\t0\n");
	CHECK(attr_proc_read(root, 77, d));
}

static void test_cgroup_line_choice(void)
{
	char root[] = "/tmp/wt-cgproc-XXXXXX";
	struct attr_proc_detail d;

	CHECK(mkdtemp(root) != NULL);
	/* v2 */
	proc_with_cgroup(root, "0::/system.slice/nginx.service\n", &d);
	CHECK_STR(d.unit, "nginx.service");
	/* v1 with systemd (this is how a hybrid or v1 host names the unit) */
	proc_with_cgroup(root, "12:memory:/system.slice/other.service\n"
			       "1:name=systemd:/system.slice/nginx.service\n0::/\n", &d);
	CHECK_STR(d.cgroup, "/system.slice/nginx.service");
	CHECK_STR(d.unit, "nginx.service");
	/* v1 without systemd: the cpu controller's, then memory's */
	proc_with_cgroup(root, "9:name=systemd:/\n4:memory:/docker/" ID2 "\n"
			       "2:cpu,cpuacct:/docker/" ID "\n0::/\n", &d);
	CHECK_STR(d.container_id, ID);
	proc_with_cgroup(root, "9:name=systemd:/\n4:memory:/docker/" ID2 "\n2:cpuacct:/\n", &d);
	CHECK_STR(d.container_id, ID2);
	/* nothing but roots, and garbage */
	proc_with_cgroup(root, "9:name=systemd:/\n0::/\n", &d);
	CHECK_STR(d.cgroup, "/");
	CHECK_STR(d.unit, "");
	proc_with_cgroup(root, "garbage\n::\n:::\n1:cpu\n", &d);
	CHECK_STR(d.cgroup, "/");
	proc_with_cgroup(root, "", &d);
	CHECK_STR(d.cgroup, "");
	rm_tree(root);
}

/* ---- a row's place ------------------------------------------------------ */

static void test_row_place_parts(void)
{
	struct strpool *p = strpool_new();
	const char *all[] = { "nginx.service", "web", "shop/web" };
	const char *some[] = { "", "web", "" };
	const char *none[] = { "", "", "" };
	struct conn_row r;

	memset(&r, 0, sizeof r);
	r.place = strpool_get_parts(p, all, 3);
	CHECK_STR(row_place(&r, ROW_PLACE_UNIT), "nginx.service");
	CHECK_STR(row_place(&r, ROW_PLACE_CONTAINER), "web");
	CHECK_STR(row_place(&r, ROW_PLACE_POD), "shop/web");
	CHECK(strpool_get_parts(p, all, 3) == r.place); /* equal parts are one copy */
	strpool_put(r.place);
	const char *s = strpool_get_parts(p, some, 3);
	CHECK(s != r.place);
	CHECK(strpool_part(s, ROW_PLACE_UNIT) == NULL);
	CHECK_STR(strpool_part(s, ROW_PLACE_CONTAINER), "web");
	CHECK(strpool_part(s, ROW_PLACE_POD) == NULL);
	/* "web" alone is another string than the parts "", "web", "" */
	const char *plain = strpool_get(p, "web");
	CHECK(plain != s && strcmp(plain, "web") == 0);
	CHECK(strpool_get_parts(p, none, 3) == NULL);
	/* parts longer than fit on the stack are joined all the same */
	static char longer[3][400];
	for (int i = 0; i < 3; i++) {
		memset(longer[i], 'a' + i, sizeof longer[i] - 1);
		longer[i][sizeof longer[i] - 1] = '\0';
	}
	const char *lp[3] = { longer[0], longer[1], longer[2] };
	const char *l = strpool_get_parts(p, lp, 3);
	CHECK(l && strcmp(strpool_part(l, 2), longer[2]) == 0 && strcmp(l, longer[0]) == 0);
	CHECK(strpool_get_parts(p, lp, 3) == l);
	strpool_put(l);
	strpool_put(l);
	strpool_put(plain);
	strpool_put(s);
	strpool_put(r.place);
	memset(&r, 0, sizeof r);
	CHECK(row_place(&r, ROW_PLACE_UNIT) == NULL);
	strpool_free(p);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], ATTR_HELPER_ARG) == 0)
		return attr_helper_main(argc, argv); /* test_names_through_helper's helper */
	RUN(test_cgroup_paths);
	RUN(test_cgroup_long_and_hostile);
	RUN(test_short_id);
	RUN(test_runtime_names);
	RUN(test_names_through_helper);
	RUN(test_cgroup_line_choice);
	RUN(test_row_place_parts);
	return check_summary("test_attr_place");
}
