#include "geo/geo.h"

#include <dirent.h>
#include <errno.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/addrscope.h"
#include "base/hash.h"
#include "base/macros.h"
#include "base/xalloc.h"

struct cached {
	uint8_t family;               /* 0: empty slot */
	uint8_t addr[16];
	struct geo_place place;
};

/* What a file can answer, from its database_type: an ASN file has no
 * country, a country file no city; a type it does not name may hold
 * anything. Asking a file for what it cannot hold costs a walk of the
 * entry's map for each path tried. */
enum { ITEM_COUNTRY = 1, ITEM_CITY = 2, ITEM_ASN = 4, ITEM_ORG = 8, ITEM_ALL = 15 };

struct geo_db {
	MMDB_s mm;
	unsigned items;               /* ITEM_* */
	/* the path of country_paths / city_paths that answered last: one file
	 * has one layout, so after its first answer it is asked first */
	uint8_t country_path, city_path;
};

struct geo {
	struct geo_db db[GEO_MAX_FILES];
	size_t ndb;
	unsigned items;               /* what any file can answer */
	char files[1024];
	pthread_mutex_t mu;           /* the cache */
	struct cached *cache;         /* GEO_CACHE slots, one address each (the latest wins) */
};

/* ---- opening ---- */

static bool type_says(const char *type, const char *word)
{
	return type && strcasestr(type, word) != NULL;
}

/* MaxMind's "GeoLite2-ASN", "GeoIP2-City", ip-location-db's "asn ipv4",
 * "city ipv6", "country ipvAll"; a type naming both an AS and a country
 * (a country by AS registry, say) may hold either. */
static unsigned items_of(const char *type)
{
	bool asn = type_says(type, "asn"), country = type_says(type, "country");
	if (type_says(type, "city"))
		return ITEM_COUNTRY | ITEM_CITY;
	if (asn && !country)
		return ITEM_ASN | ITEM_ORG;
	if (country && !asn)
		return ITEM_COUNTRY;
	return ITEM_ALL;
}

static int open_file(struct geo *g, const char *path, struct wt_err *err)
{
	if (g->ndb == GEO_MAX_FILES)
		return 0;
	struct geo_db *d = &g->db[g->ndb];
	MMDB_s *db = &d->mm;
	int rc = MMDB_open(path, MMDB_MODE_MMAP, db);
	if (rc != MMDB_SUCCESS)
		return wt_err_set(err, WT_ERR_USAGE, "--geoip: %s: %s", path,
				  rc == MMDB_IO_ERROR ? strerror(errno) : MMDB_strerror(rc));
	g->ndb++;
	d->items = items_of(db->metadata.database_type);
	g->items |= d->items;
	size_t len = strlen(g->files);
	snprintf(g->files + len, sizeof g->files - len, "%s%s (%s)", len ? ", " : "", path,
		 db->metadata.database_type ? db->metadata.database_type : "?");
	return 0;
}

static bool is_mmdb(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".mmdb") == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int mmdb_only(const struct dirent *d)
{
	return is_mmdb(d->d_name);
}

/* Every .mmdb file of dir, in name order. */
static int open_dir(struct geo *g, const char *dir, struct wt_err *err)
{
	struct dirent **names;
	int n = scandir(dir, &names, mmdb_only, by_name);
	if (n < 0)
		return wt_err_set(err, WT_ERR_USAGE, "--geoip: %s: %s", dir, strerror(errno));
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (rc == 0)
			rc = open_file(g, path, err);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int open_path(struct geo *g, const char *path, struct wt_err *err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return wt_err_set(err, WT_ERR_USAGE, "--geoip: %s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return open_file(g, path, err);
	if (open_dir(g, path, err) < 0)
		return -1;
	if (!g->ndb)
		return wt_err_set(err, WT_ERR_USAGE, "--geoip: %s holds no .mmdb file", path);
	return 0;
}

/* Without --geoip: the first system folder holding a database. One that
 * cannot be read is left as if absent (--doctor says which is used). */
static void open_default(struct geo *g)
{
	static const char *const dirs[] = { GEO_DIR_SYSTEM, GEO_DIR_LOCAL };
	for (size_t i = 0; i < ARRAY_LEN(dirs) && !g->ndb; i++) {
		struct wt_err ignored = { 0 };
		open_dir(g, dirs[i], &ignored);
	}
}

int geo_open(struct geo **out, const char *path, struct wt_err *err)
{
	*out = NULL;
	struct geo *g = xcalloc(1, sizeof *g);
	if (path ? open_path(g, path, err) < 0 : (open_default(g), false)) {
		geo_close(g);
		return -1;
	}
	if (!g->ndb) {
		geo_close(g);
		return 0;
	}
	pthread_mutex_init(&g->mu, NULL);
	g->cache = xcalloc(GEO_CACHE, sizeof *g->cache);
	*out = g;
	return 0;
}

void geo_close(struct geo *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->ndb; i++)
		MMDB_close(&g->db[i].mm);
	if (g->cache)
		pthread_mutex_destroy(&g->mu);
	free(g->cache);
	free(g);
}

const char *geo_files(const struct geo *g)
{
	return g ? g->files : "";
}

/* ---- lookups ---- */

/* A string at path in entry into buf, cut to fit; false when absent. */
static bool entry_text(MMDB_entry_s *entry, const char *const *path, char *buf, size_t cap)
{
	MMDB_entry_data_s d;
	if (MMDB_aget_value(entry, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING || !d.data_size)
		return false;
	size_t n = d.data_size < cap - 1 ? d.data_size : cap - 1;
	memcpy(buf, d.utf8_string, n);
	buf[n] = '\0';
	return true;
}

static uint32_t entry_number(MMDB_entry_s *entry, const char *const *path)
{
	MMDB_entry_data_s d;
	if (MMDB_aget_value(entry, &d, path) != MMDB_SUCCESS || !d.has_data)
		return 0;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16: return d.uint16;
	case MMDB_DATA_TYPE_UINT32: return d.uint32;
	default: return 0;
	}
}

/* Where each item is kept: MaxMind's GeoLite2 layout first, then
 * ip-location-db's (flat keys). */
static const char *const country_paths[][3] = {
	{ "country", "iso_code", NULL }, { "country_code", NULL }, { "registered_country", "iso_code", NULL },
};
static const char *const city_paths[][4] = {
	{ "city", "names", "en", NULL }, { "city", NULL },
};
static const char *const asn_path[] = { "autonomous_system_number", NULL };
static const char *const org_path[] = { "autonomous_system_organization", NULL };

/* The first of count paths (tried from *last on) that gives text; *last
 * becomes it. */
static bool text_at(MMDB_entry_s *e, const char *const *paths, size_t stride, size_t count,
		    uint8_t *last, char *buf, size_t cap)
{
	for (size_t k = 0; k < count; k++) {
		size_t i = (*last + k) % count;
		if (entry_text(e, paths + i * stride, buf, cap)) {
			*last = (uint8_t)i;
			return true;
		}
	}
	return false;
}

/* What the items of out hold (a city may be "" in a file that has cities). */
static unsigned items_held(const struct geo_place *out)
{
	return (out->country[0] ? ITEM_COUNTRY : 0) | (out->city[0] ? ITEM_CITY : 0) |
	       (out->asn ? ITEM_ASN : 0) | (out->as_org[0] ? ITEM_ORG : 0);
}

/* Fills what out still lacks, of what the file holds, from its entry. */
static void entry_place(struct geo_db *d, MMDB_entry_s *e, struct geo_place *out)
{
	unsigned ask = d->items & ~items_held(out);
	if (ask & ITEM_COUNTRY)
		text_at(e, country_paths[0], ARRAY_LEN(country_paths[0]), ARRAY_LEN(country_paths),
			&d->country_path, out->country, sizeof out->country);
	if (ask & ITEM_CITY)
		text_at(e, city_paths[0], ARRAY_LEN(city_paths[0]), ARRAY_LEN(city_paths), &d->city_path,
			out->city, sizeof out->city);
	if (ask & ITEM_ASN)
		out->asn = entry_number(e, asn_path);
	if (ask & ITEM_ORG)
		entry_text(e, org_path, out->as_org, sizeof out->as_org);
}

/* Each file in turn until what any of them can answer is filled in; an
 * IPv4-only file is not asked of an IPv6 address. */
static void look_up(struct geo *g, int family, const uint8_t *a, struct geo_place *out)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sa4 = { .sin_family = AF_INET };
	const struct sockaddr *sa = (const struct sockaddr *)&sa6;
	if (family == 4) {
		memcpy(&sa4.sin_addr, a, 4);
		sa = (const struct sockaddr *)&sa4;
	} else {
		memcpy(&sa6.sin6_addr, a, 16);
	}
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < g->ndb && items_held(out) != g->items; i++) {
		struct geo_db *d = &g->db[i];
		if ((d->items & ~items_held(out)) == 0 || (family == 6 && d->mm.metadata.ip_version == 4))
			continue;
		int mmdb_err;
		MMDB_lookup_result_s res = MMDB_lookup_sockaddr(&d->mm, sa, &mmdb_err);
		if (mmdb_err == MMDB_SUCCESS && res.found_entry)
			entry_place(d, &res.entry, out);
	}
}

bool geo_lookup(struct geo *g, int family, const uint8_t addr[16], struct geo_place *out)
{
	if (addr_scope(family, addr))
		return false;
	uint8_t key[17] = { (uint8_t)family };
	memcpy(key + 1, addr, 16);
	struct cached *c = &g->cache[hash_bytes(key, sizeof key, 0) % GEO_CACHE];
	pthread_mutex_lock(&g->mu);
	if (c->family != family || memcmp(c->addr, addr, 16) != 0) {
		look_up(g, family, addr, &c->place);
		c->family = (uint8_t)family;
		memcpy(c->addr, addr, 16);
	}
	*out = c->place;
	pthread_mutex_unlock(&g->mu);
	return true;
}
