-- The QEMU case init_script_error_on_the_console: a syntax error on line 4.
L4.default_loader:start({}, "rom/exit0")

local x = = 1
