"""The one error a file load raises: it names the file, what was wrong and what was expected."""

from __future__ import annotations

MAX_NAME = 100  # a file name longer than this is shortened in the middle, for a terminal


def printable(text: str) -> str:
    """`text` with control and invisible formatting characters written out as escapes.

    File names and header cells come from outside: a terminal escape (ESC [31m), a carriage
    return or a bidi override in them must show as text, not act on the terminal or reorder
    the message. (Rich markup such as "[red]" is plain text here: whoever prints a message
    with rich prints it with markup=False.)
    """
    return "".join(
        ch
        if ch.isprintable() or ch == " "
        else f"\\x{ord(ch):02x}"
        if ord(ch) < 0x100
        else f"\\u{ord(ch):04x}"
        for ch in text
    )


def one_line(text: str) -> str:
    """A message part on one line: line breaks and tabs (a library's multi-line error) become
    spaces, other control characters escapes."""
    return printable(" ".join(text.split()))


def shown_name(name: str) -> str:
    """A file name as messages show it: printable, and at most MAX_NAME characters."""
    name = printable(name)
    if len(name) > MAX_NAME:
        half = (MAX_NAME - 1) // 2
        name = name[:half] + "…" + name[-half:]
    return name


class LoadError(Exception):
    def __init__(self, file_name: str, problem: str, expected: str = "") -> None:
        self.file_name = shown_name(file_name)
        self.problem = one_line(problem)
        self.expected = one_line(expected)
        text = f"{self.file_name}: {self.problem}"
        if expected:
            text += f" Expected: {self.expected}"
        super().__init__(text)


class WarehouseError(Exception):
    """The warehouse cannot be written or read as asked; the message names the fix (a command, a
    setting, free space). The CLIs print it without a traceback."""


class FinalRefusal(LoadError):
    """A refusal that holds for the whole file: a workbook's other sheets are not tried (a comparison export)."""
