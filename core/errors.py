"""One error family. Every message says what is wrong and where, so a user can act on it."""


class RetainError(Exception):
    """Base class for errors a user can act on; the CLI prints them without a traceback."""


class ImportDataError(RetainError):
    """A file could not be imported: names the file, line and column."""

    def __init__(self, path: object, message: str, line: int | None = None, column: str | None = None):
        where = str(path)
        if line is not None:
            where += f" line {line}"
        if column is not None:
            where += f" column {column!r}"
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.column = path, line, column


class NotFoundError(RetainError):
    """An id (customer, order, product, campaign...) that does not exist."""


class NotEnoughDataError(RetainError):
    """The store holds too little data for the requested model or report."""


class PermissionDenied(RetainError):
    """A principal asked for something outside its role or scope."""


class ConfigError(RetainError):
    """A setting has a value that cannot work."""


class StoreError(RetainError):
    """The shop store can't be opened or written (read-only, locked by another process, disk full): names the
    path and the cause."""


class NeedsDetail(RetainError):
    """A request that lacks a detail only the user can give (which item, which option, which payment method)."""
