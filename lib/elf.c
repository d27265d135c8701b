/* Validation of ELF64 executables before anything is loaded (see elf.h). */
#include "elf.h"

#include <string.h>

/* ELF-64 Object File Format 1.5 and the System V x86-64 psABI. */
#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PAGE 4096ul

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct ehdr) == EHDR_SIZE, "ELF header layout");
_Static_assert(sizeof(struct phdr) == PHDR_SIZE, "ELF program header layout");

const char *elf_error_name(enum elf_error e)
{
	static const char *const names[] = {
		[ELF_OK] = "ok",
		[ELF_TOO_SMALL] = "too small",
		[ELF_BAD_MAGIC] = "bad magic",
		[ELF_BAD_CLASS] = "not ELF64",
		[ELF_BAD_ENCODING] = "not little-endian",
		[ELF_BAD_VERSION] = "bad version",
		[ELF_BAD_TYPE] = "not an executable",
		[ELF_BAD_MACHINE] = "not x86-64",
		[ELF_BAD_PHDRS] = "bad program headers",
		[ELF_TOO_MANY_SEGMENTS] = "too many segments",
		[ELF_SEGMENT_OUT_OF_FILE] = "segment outside the file",
		[ELF_SEGMENT_BAD_SIZE] = "segment file size exceeds memory size",
		[ELF_SEGMENT_OUT_OF_RANGE] = "segment outside user space",
		[ELF_SEGMENT_OVERLAP] = "segments overlap",
		[ELF_BAD_ALIGN] = "bad segment alignment",
		[ELF_DYNAMIC] = "dynamically linked",
		[ELF_NO_SEGMENTS] = "no loadable segments",
		[ELF_BAD_ENTRY] = "entry point not in an executable segment",
		[ELF_WRITABLE_CODE] = "segment both writable and executable",
	};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

unsigned elf_rights(uint32_t flags)
{
	return 1u | ((flags & ELF_SEG_W) ? 2u : 0) | ((flags & ELF_SEG_X) ? 4u : 0);
}

static enum elf_error check_header(const struct ehdr *h, uint64_t size)
{
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return ELF_BAD_MAGIC;
	if (h->ident[4] != 2)
		return ELF_BAD_CLASS;
	if (h->ident[5] != 1)
		return ELF_BAD_ENCODING;
	if (h->ident[6] != 1 || h->version != 1)
		return ELF_BAD_VERSION;
	if (h->type != ET_EXEC)
		return ELF_BAD_TYPE;
	if (h->machine != EM_X86_64)
		return ELF_BAD_MACHINE;
	if (h->phentsize != PHDR_SIZE || h->phnum == 0 || h->phoff > size ||
	    (uint64_t)h->phnum * PHDR_SIZE > size - h->phoff)
		return ELF_BAD_PHDRS;
	return ELF_OK;
}

static enum elf_error check_segment(const struct phdr *p, uint64_t size, uint64_t user_min, uint64_t user_end)
{
	if (p->offset > size || p->filesz > size - p->offset)
		return ELF_SEGMENT_OUT_OF_FILE;
	if (p->filesz > p->memsz)
		return ELF_SEGMENT_BAD_SIZE;
	if (p->vaddr < user_min || p->vaddr >= user_end || p->memsz > user_end - p->vaddr)
		return ELF_SEGMENT_OUT_OF_RANGE;
	if (p->align > 1 && (p->align & (p->align - 1)))
		return ELF_BAD_ALIGN;
	if ((p->flags & ELF_SEG_W) && (p->flags & ELF_SEG_X))
		return ELF_WRITABLE_CODE;
	return ELF_OK;
}

enum elf_error elf_validate(const void *image, uint64_t size, uint64_t user_min, uint64_t user_end,
			    struct elf_image *out)
{
	struct ehdr h;
	memset(out, 0, sizeof(*out));
	if (size < EHDR_SIZE)
		return ELF_TOO_SMALL;
	memcpy(&h, image, sizeof(h)); /* copy, then validate the copy */
	enum elf_error err = check_header(&h, size);
	if (err)
		return err;

	for (unsigned i = 0; i < h.phnum; i++) {
		struct phdr p;
		memcpy(&p, (const uint8_t *)image + h.phoff + (uint64_t)i * PHDR_SIZE, sizeof(p));
		if (p.type == PT_INTERP || p.type == PT_DYNAMIC)
			return ELF_DYNAMIC;
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if ((err = check_segment(&p, size, user_min, user_end)))
			return err;
		if (out->count == ELF_MAX_SEGMENTS)
			return ELF_TOO_MANY_SEGMENTS;
		/* Segments are loaded page by page, so they must not share a page. */
		uint64_t first = p.vaddr & ~(PAGE - 1), last = (p.vaddr + p.memsz - 1) & ~(PAGE - 1);
		for (unsigned k = 0; k < out->count; k++) {
			const struct elf_segment *o = &out->seg[k];
			uint64_t ofirst = o->vaddr & ~(PAGE - 1),
				 olast = (o->vaddr + o->memsz - 1) & ~(PAGE - 1);
			if (first <= olast && ofirst <= last)
				return ELF_SEGMENT_OVERLAP;
		}
		out->seg[out->count++] =
			(struct elf_segment){ p.vaddr, p.memsz, p.offset, p.filesz,
					      p.flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X) };
	}
	if (out->count == 0)
		return ELF_NO_SEGMENTS;
	out->phoff = h.phoff;
	out->phnum = h.phnum;
	uint64_t phsize = (uint64_t)h.phnum * PHDR_SIZE;
	for (unsigned k = 0; k < out->count; k++) {
		const struct elf_segment *s = &out->seg[k];
		if (h.phoff >= s->offset && h.phoff + phsize <= s->offset + s->filesz)
			out->phdr_addr = s->vaddr + (h.phoff - s->offset);
	}
	for (unsigned k = 0; k < out->count; k++) {
		const struct elf_segment *s = &out->seg[k];
		if ((s->flags & ELF_SEG_X) && h.entry >= s->vaddr && h.entry - s->vaddr < s->memsz) {
			out->entry = h.entry;
			return ELF_OK;
		}
	}
	return ELF_BAD_ENTRY;
}
