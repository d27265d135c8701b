/* The header Debian's build of Lua generates (debian/rules writes it into
 * src/ before building) and its luaconf.h includes: the multiarch
 * triple that names the directory of C modules. Mica loads no C modules
 * (LUA_CPATH_DEFAULT is empty, the Makefile's LUA_CFLAGS), so the triple
 * only has to exist; this is the Mica layer's copy of that generated
 * file, found through -I, so Lua's sources stay as Debian ships them. */
#ifndef LUA_DEB_MULTIARCH_H
#define LUA_DEB_MULTIARCH_H
#define DEB_HOST_MULTIARCH "x86_64-mica"
#endif
