/* owner.h - whose files and links wiretop trusts: root's and the invoking
 * user's, the rule sshd applies to its files. The invoking user is the
 * real uid and, when that is root, also the user named by SUDO_UID (the
 * one the privilege drop switches to): their own file is as trusted as
 * their command line. Used for --config files and for symbolic links on
 * the way to the log directory. */
#ifndef WT_BASE_OWNER_H
#define WT_BASE_OWNER_H

#include <stdbool.h>
#include <sys/types.h>

/* The uid SUDO_UID names for a process of real uid `uid`: only when uid
 * is root and the text is a decimal uid. */
bool owner_sudo_user(uid_t uid, const char *sudo_uid, uid_t *out);

/* owner is root, uid, or (uid root) the SUDO_UID user. Pure, for tests. */
bool owner_trusted(uid_t owner, uid_t uid, const char *sudo_uid);

/* The same for this process: getuid() and the SUDO_UID variable. */
bool owner_trusted_here(uid_t owner);

#endif
