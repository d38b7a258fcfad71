"""Text from files (names, load messages) made safe inside Markdown: the app's notes and messages
(st.markdown, st.success, st.error) and the movers table read Markdown, so a file named
`[x](http://...)` must not become a link, nor a rep's name break a table column."""

from __future__ import annotations

import re

MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")  # every Markdown, HTML and LaTeX character


def plain(text: str) -> str:
    """`text` with every Markdown, HTML and LaTeX character escaped: shown as it is."""
    return MARKDOWN.sub(r"\\\1", text)
