#include "base/owner.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

bool owner_sudo_user(uid_t uid, const char *sudo_uid, uid_t *out)
{
	if (uid != 0 || !sudo_uid || *sudo_uid < '0' || *sudo_uid > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(sudo_uid, &end, 10);
	if (errno || *end || v >= (uid_t)-1)
		return false;
	*out = (uid_t)v;
	return true;
}

bool owner_trusted(uid_t owner, uid_t uid, const char *sudo_uid)
{
	uid_t sudo;
	return owner == 0 || owner == uid || (owner_sudo_user(uid, sudo_uid, &sudo) && owner == sudo);
}

bool owner_trusted_here(uid_t owner)
{
	return owner_trusted(owner, getuid(), getenv("SUDO_UID"));
}
