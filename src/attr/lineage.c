/* lineage.c - who started a process: its parent, the parent's parent, ...
 * as /proc/<pid>/stat (the parent's pid, the name: stat.c) and
 * /proc/<pid>/exe say, nearest first.
 *
 * Called by the attribution thread (and tests) once per process it
 * attributes (table.c keeps what was read while the process lives on with
 * the same parent), never per packet. Names are the processes' own word:
 * sanitized before they are stored.
 */
#include "attr/attr_int.h"

#include <string.h>

#include "base/sanitize.h"

void attr_proc_lineage(const char *proc_root, int32_t ppid, struct attr_proc_detail *d)
{
	int32_t pid = ppid;

	memset(d->parents, 0, sizeof d->parents);
	d->nparents = 0;
	/* pid 1's parent is 0, as is a process's whose parent is in another
	 * pid namespace */
	while (pid > 0 && d->nparents < ATTR_PARENTS_MAX) {
		struct attr_parent *p = &d->parents[d->nparents];
		struct attr_stat st;

		if (!attr_proc_stat(proc_root, pid, &st))
			break; /* gone since its child was read */
		p->pid = pid;
		sanitize_copy(p->name, sizeof p->name, (const uint8_t *)st.comm, strlen(st.comm));
		attr_proc_exe(proc_root, pid, p->exe, sizeof p->exe);
		d->nparents++;
		pid = st.ppid;
	}
}
