"""Analysis shared by several rules and by the engine: what a call's value
becomes, which calls block or return coroutines, bounded searches inside a
node. Rules import from here; nothing here imports a rule."""
