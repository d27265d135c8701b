// links: lib/fpage.c
/* Flexpage arithmetic: a decoded fpage is aligned, at least a page for
 * memory and inside its space; encoding what was decoded gives the same
 * fpage back. */
#include "fuzz.h"

#include "fpage.h"

static unsigned space_bits(unsigned type)
{
	return type == MICA_FPAGE_MEM  ? MICA_FPAGE_MEM_MAX
	       : type == MICA_FPAGE_IO ? MICA_FPAGE_IO_MAX
				       : MICA_FPAGE_OBJ_MAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t at = 0; at + 8 <= size; at += 8) {
		uint64_t w = fuzz_word(data + at);
		struct fpage f;
		if (!fpage_decode(w, &f))
			continue;
		unsigned bits = space_bits(f.type);
		FUZZ_ASSERT(f.type <= MICA_FPAGE_OBJ && f.log2 <= bits && f.rights <= MICA_FPAGE_RWX);
		FUZZ_ASSERT(f.type != MICA_FPAGE_MEM || f.log2 >= MICA_FPAGE_MEM_MIN);
		FUZZ_ASSERT((f.base & ((1ul << f.log2) - 1)) == 0);
		FUZZ_ASSERT(f.base < (1ul << bits) && (1ul << f.log2) <= (1ul << bits) - f.base);
		uint64_t again = f.type == MICA_FPAGE_MEM  ? mica_fpage_mem(f.base, f.log2, f.rights)
				 : f.type == MICA_FPAGE_IO ? mica_fpage_io(f.base, f.log2)
							   : mica_fpage_obj(f.base, f.log2, f.rights);
		struct fpage g;
		FUZZ_ASSERT(fpage_decode(again, &g));
		FUZZ_ASSERT(g.base == f.base && g.log2 == f.log2 && g.type == f.type);
		FUZZ_ASSERT(f.type == MICA_FPAGE_IO || g.rights == f.rights);
	}
	return 0;
}
