"""Release: the built warehouse to its readers, a published read-only copy for analysts and
an export of the current taxonomy release for integrators; the summary of what was built."""
