"""One root for every error the library raises; the CLI turns them into one line and exit 1."""


class OfficialGraphError(Exception):
    """Root of the project's errors."""


class InputError(OfficialGraphError):
    """A page or a records file that cannot be read (binary, undecodable, broken JSON Lines)."""


class PersonNotFound(OfficialGraphError):
    """A query named a person the store does not hold."""


class AmbiguousPerson(OfficialGraphError):
    """A name held by namesakes in several regions; the caller must pick a region."""


class OrganizationNotFound(OfficialGraphError):
    """A query named an organisation the store does not hold."""


class NoPath(OfficialGraphError):
    """Two people are not linked by any chain of co-attendance."""


class QueryError(OfficialGraphError):
    """A canned query was called with bad arguments."""


class StoreError(OfficialGraphError):
    """The graph store cannot be opened, saved, locked or reached."""
