// links: lib/elf.c
/* The ELF validator: whatever the file, an accepted image's segments lie
 * in the file and in user space, share no page, are never writable and
 * executable, and the entry point is in an executable one. */
#include "fuzz.h"

#include "elf.h"

#define USER_MIN 0x1000ul
#define USER_END 0x00007ffffffff000ul
#define PAGE 4096ul

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	enum elf_error e = elf_validate(data, size, USER_MIN, USER_END, &img);
	FUZZ_ASSERT(elf_error_name(e) != NULL);
	if (e != ELF_OK)
		return 0;
	FUZZ_ASSERT(img.count >= 1 && img.count <= ELF_MAX_SEGMENTS);
	FUZZ_ASSERT(img.phnum >= 1 && img.phoff <= size && img.phnum * 56ul <= size - img.phoff);
	int entry_ok = 0;
	for (unsigned i = 0; i < img.count; i++) {
		const struct elf_segment *s = &img.seg[i];
		FUZZ_ASSERT(s->memsz > 0 && s->filesz <= s->memsz);
		FUZZ_ASSERT(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_ASSERT(s->vaddr >= USER_MIN && s->vaddr < USER_END && s->memsz <= USER_END - s->vaddr);
		FUZZ_ASSERT(!((s->flags & ELF_SEG_W) && (s->flags & ELF_SEG_X)));
		FUZZ_ASSERT((elf_rights(s->flags) & 1) != 0);
		entry_ok |=
			(s->flags & ELF_SEG_X) && img.entry >= s->vaddr && img.entry - s->vaddr < s->memsz;
		for (unsigned k = 0; k < i; k++) {
			const struct elf_segment *o = &img.seg[k];
			uint64_t a0 = s->vaddr & ~(PAGE - 1), a1 = (s->vaddr + s->memsz - 1) & ~(PAGE - 1);
			uint64_t b0 = o->vaddr & ~(PAGE - 1), b1 = (o->vaddr + o->memsz - 1) & ~(PAGE - 1);
			FUZZ_ASSERT(a1 < b0 || b1 < a0);
		}
	}
	FUZZ_ASSERT(entry_ok);
	return 0;
}
