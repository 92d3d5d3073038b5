"""Reading the terminal (AL107)."""

CODE = "AL107"

BLOCKING = {
    "builtins.input": "read input before the event loop starts, or with `await {to_thread}(input, ...)`",
    "getpass.getpass": "read it before the event loop starts, or with `await {to_thread}(getpass.getpass)`",
}
