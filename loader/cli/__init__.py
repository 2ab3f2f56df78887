"""The command line: `echo-roots VERB` (also `python -m loader`), and `echo-roots-load`, the
older spelling that scripts call (`echo-roots-load items FILE` for `echo-roots load items
FILE`). Each verb is a small function in verbs.py calling the public API of the same name."""
