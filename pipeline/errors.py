"""The error family the command line reports as a message instead of a traceback."""


class IconoplasmError(Exception):
    """Bad input the user can fix: a missing or corrupt file, an unknown name, a bad model path."""


class UnknownNameError(IconoplasmError, KeyError):
    """A name (gene symbol, emulsion id) that is not known; ``str()`` gives the message."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown name"
