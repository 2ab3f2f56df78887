"""Errors the loader reports to its users (CLI exit code 2)."""


class LoaderError(Exception):
    """A usage, I/O or warehouse-state problem, with a message meant for a person."""
