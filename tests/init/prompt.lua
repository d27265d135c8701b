-- The QEMU case init_prompt_on_the_console: a program from the script,
-- then the prompt, where the case starts another by hand and waits for it.
local h = L4.default_loader:start({}, "rom/hello before the prompt")
h:wait()
L4.prompt()
print("prompt.lua: done")
