/* macros.h - the few macros every module may use. */
#ifndef WT_BASE_MACROS_H
#define WT_BASE_MACROS_H

/* Elements of an array (not of a pointer: the compiler rejects those). */
#define ARRAY_LEN(a) \
	(sizeof(a) / sizeof((a)[0]) + 0 * sizeof(char[1 - 2 * __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0]))]))

#endif
