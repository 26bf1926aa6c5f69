/* main.c - argv -> config, start modules in order, stop in reverse. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("wiretop " WT_VERSION);
	return 0;
}
