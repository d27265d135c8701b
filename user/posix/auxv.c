/* user/lib's environment lookup (env.c) finds the environment table
 * through mica_getauxval, which user/lib's own start-up code defines; a
 * musl program starts with musl's crt1 instead, so it is musl's
 * getauxval here. */
#include <mica/types.h>
#include <sys/auxv.h>

mica_word_t mica_getauxval(mica_word_t type);
mica_word_t mica_getauxval(mica_word_t type)
{
	return getauxval(type);
}
