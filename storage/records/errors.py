"""Errors of the record repositories: one line saying what is wrong and what to do."""


class RecordNotFound(LookupError):
    """A client or note id that is not in the vault."""


class RecordInvalid(ValueError):
    """A record that cannot be saved as it is; the message says what to fix."""
