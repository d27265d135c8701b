/* Reads of little-endian fields at any alignment, for parsing firmware
 * and loader structures in place. */
#pragma once

#include <stdint.h>
#include <string.h>

static inline uint16_t le16(const void *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t le32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t le64(const void *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
