"""Child processes (AL104)."""

CODE = "AL104"

_RUN = "use `await {subprocess}(...)`"
_WAIT = "create it with `await {subprocess}(...)` and `await` its `wait()`/`communicate()`"

BLOCKING = {
    **{f"subprocess.{f}": _RUN for f in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")},
    "subprocess.Popen": _RUN,
    "subprocess.Popen.wait": _WAIT,
    "subprocess.Popen.communicate": _WAIT,
    "os.system": _RUN,
    "os.popen": _RUN,
    **{f"os.{f}": _RUN for f in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
                                "spawnvpe", "posix_spawn", "posix_spawnp")},
    **{f"os.{f}": _RUN for f in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe")},
    **{f"os.{f}": _WAIT for f in ("wait", "wait3", "wait4", "waitid", "waitpid")},
}
