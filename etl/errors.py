"""The one error a file load raises: it names the file, what was wrong and what was expected."""


class LoadError(Exception):
    def __init__(self, file_name: str, problem: str, expected: str = "") -> None:
        self.file_name = file_name
        self.problem = problem
        self.expected = expected
        text = f"{file_name}: {problem}"
        if expected:
            text += f" Expected: {expected}"
        super().__init__(text)


class WarehouseError(Exception):
    """The warehouse cannot be written or read as asked; the message names the fix (a command, a
    setting, free space). The CLIs print it without a traceback."""
