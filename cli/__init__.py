"""The command line: thin commands over core and storage (clinote draft, check, export, ...)."""
