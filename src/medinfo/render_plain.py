"""Blocks as plain text: for pipes, NO_COLOR and dumb terminals.

No escape codes ever; text is wrapped to the given width so a pager or a
narrow terminal stays readable.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TextIO

from medinfo.layout import (
    Block,
    Boxed,
    Bullets,
    Heading,
    Highlighted,
    Note,
    Paragraph,
    Table,
    Title,
)
from medinfo.text import clean


def render(blocks: Iterable[Block], out: TextIO, width: int = 80) -> None:
    width = max(width, 20)
    for n, block in enumerate(blocks):
        text = _block(block, width)
        out.write(text.lstrip("\n") if n == 0 else text)  # no blank line above the output


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> str:
    return (
        textwrap.fill(
            clean(text, single_line=True),
            width=width,
            initial_indent=indent if first is None else first,
            subsequent_indent=indent,
            break_long_words=False,  # URLs stay whole, for copying
            break_on_hyphens=False,
        )
        + "\n"
    )


def _block(block: Block, width: int) -> str:
    if isinstance(block, Title):
        out = _wrap(block.text, width)
        return out + "".join(_wrap(line, width) for line in block.lines)
    if isinstance(block, Note):
        return _wrap(block.text, width, first="Note: " if block.level == "info" else "WARNING: ")
    if isinstance(block, Boxed):
        out = "\n" + _wrap(f"BOXED WARNING: {block.topic}", width)
        out += "".join(_wrap(p, width, "    ", "  - ") for p in block.points)
        return out + (_wrap(f"({block.hint})", width, "  ") if block.hint else "")
    if isinstance(block, Heading):
        return "\n" + _wrap(block.text.upper() if block.level == 1 else block.text, width)
    if isinstance(block, Paragraph):
        if block.style == "dim":  # hints and the notice stand apart from the text above
            return "\n" + _wrap(block.text, width)
        return _wrap(block.text, width, "  ")
    if isinstance(block, Bullets):
        out = _wrap(block.label + ":", width, "  ") if block.label else ""
        pad = "    " if block.label else "  "
        return out + "".join(_wrap(item, width, pad + "  ", pad + "- ") for item in block.items)
    if isinstance(block, Table):
        return _table(block, width)
    if isinstance(block, Highlighted):
        text = block.text
        for start, end in reversed(block.spans):
            text = f"{text[:start]}*{text[start:end]}*{text[end:]}"
        return _wrap(f"{block.label}: {text}", width, "     ", "   ")
    raise TypeError(type(block))  # pragma: no cover


def _table(table: Table, width: int) -> str:
    """Lists line up in columns (one line per row, easy to grep and cut); prose
    tables become one wrapped record per row."""
    cells = [tuple(clean(c, single_line=True) for c in row) for row in table.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(table.columns)]
    if not table.records:
        lines = ["  ".join(h.ljust(w) for h, w in zip(table.columns, widths, strict=True)).rstrip()]
        lines += [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
        ]
        return "\n".join(lines) + "\n"
    out = []
    for row in cells:
        first = True
        for header, cell in zip(table.columns, row, strict=True):
            if cell:
                out.append(_wrap(f"{header}: {cell}", width, "    ", "  - " if first else "    "))
                first = False
    return "".join(out)
