/* The first demo: greets, shows its arguments, and that the KIP and the
 * UTCB are there and readable from user mode. */
#include <boot_env.h>
#include <console.h>
#include <mica/program.h>
#include <mica_sys.h>

int main(int argc, char **argv)
{
	const struct mica_kip *kip = boot_kip;
	printf("Mica user mode, running in ring 3\n");
	if (!kip || kip->magic[0] != 'L' || kip->magic[1] != '4' || kip->magic[2] != 0xe6 ||
	    kip->magic[3] != 'K') {
		printf("KIP magic is wrong\n");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		printf("argument %d: %s\n", i, argv[i]);
	uint64_t conventional = 0;
	const struct mica_kip_mem *mem = mica_kip_at(kip, kip->mem_offset);
	for (uint32_t i = 0; i < kip->mem_count; i++)
		if (mem[i].type == MICA_MEM_CONVENTIONAL)
			conventional += mem[i].size;
	printf("KIP at %p: API %u.%u, %u CPU(s), %lu MiB free memory, %u boot module(s)\n", (void *)kip,
	       kip->api_version >> 16, kip->api_version & 0xffff, kip->cpu_count, conventional >> 20,
	       kip->module_count);
	printf("UTCB at %p; goodbye\n", (void *)mica_utcb());
	return 0;
}
