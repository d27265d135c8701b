-- An init_ case's script with a syntax error on line 4.
L4.default_loader:start({}, "rom/exit0")

local x = = 1
