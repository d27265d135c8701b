/* The smallest program: exits with status 0 (the loader_ cases and the
 * prog_start_exit benchmark start it from the ROM). */
int main(void)
{
	return 0;
}
