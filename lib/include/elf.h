/* Validation of ELF64 executables for x86-64 before anything is loaded.
 * Only statically linked ET_EXEC images are accepted; every offset and
 * size is checked against the image and the user address range. */
#pragma once

#include <stdint.h>

#define ELF_MAX_SEGMENTS 16

#define ELF_SEG_R 4u
#define ELF_SEG_W 2u
#define ELF_SEG_X 1u

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags; /* ELF_SEG_* (the ELF p_flags bits) */
};

struct elf_image {
	uint64_t entry;
	uint64_t phoff;	    /* program header table: file offset, */
	unsigned phnum;	    /* entries of 56 bytes, */
	uint64_t phdr_addr; /* and its address once loaded (0: no segment holds it) */
	unsigned count;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

enum elf_error {
	ELF_OK = 0,
	ELF_TOO_SMALL,
	ELF_BAD_MAGIC,
	ELF_BAD_CLASS,	  /* not ELF64 */
	ELF_BAD_ENCODING, /* not little-endian */
	ELF_BAD_VERSION,
	ELF_BAD_TYPE,	 /* not ET_EXEC */
	ELF_BAD_MACHINE, /* not x86-64 */
	ELF_BAD_PHDRS,	 /* program header table size or position */
	ELF_TOO_MANY_SEGMENTS,
	ELF_SEGMENT_OUT_OF_FILE,
	ELF_SEGMENT_BAD_SIZE,	  /* filesz > memsz */
	ELF_SEGMENT_OUT_OF_RANGE, /* outside [user_min, user_end) or wraps */
	ELF_SEGMENT_OVERLAP,	  /* two segments share a page */
	ELF_BAD_ALIGN,
	ELF_DYNAMIC, /* needs an interpreter */
	ELF_NO_SEGMENTS,
	ELF_BAD_ENTRY,	   /* entry not inside an executable segment */
	ELF_WRITABLE_CODE, /* a segment both writable and executable */
};

const char *elf_error_name(enum elf_error e);

/* A segment's ELF_SEG_* flags as access rights: read 1, write 2, execute
 * 4 (the order of MICA_FPAGE_R/W/X); a loaded segment is always readable. */
unsigned elf_rights(uint32_t flags);

enum elf_error elf_validate(const void *image, uint64_t size, uint64_t user_min, uint64_t user_end,
			    struct elf_image *out);
