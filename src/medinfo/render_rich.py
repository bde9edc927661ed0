"""Blocks drawn with Rich for a colour terminal.

Every string becomes a `Text` object, never markup, so a bracket in a query
or a monograph is printed as written. Imported only when stdout is a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

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

SEVERITY_STYLE = {"major": "bold red", "moderate": "yellow", "minor": "cyan"}


def _t(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def render(blocks: Iterable[Block], console: Console) -> None:
    for block in blocks:
        console.print(_block(block, console.width))


def _block(block: Block, width: int) -> RenderableType:
    if isinstance(block, Title):
        body = Text("\n").join([_t(block.text, "bold"), *(_t(line, "dim") for line in block.lines)])
        return Panel(body, border_style="blue", expand=True)
    if isinstance(block, Note):
        style = "bold yellow" if block.level == "warn" else "cyan"
        return _t(("⚠ " if block.level == "warn" else "ℹ ") + block.text, style)
    if isinstance(block, Boxed):
        title = _t(f"BOXED WARNING: {block.topic}", "bold red")
        parts: list[RenderableType] = [title]
        parts += [Padding(_t("• ") + _t(p), (0, 0, 0, 1)) for p in block.points]
        if block.hint:
            parts.append(_t(block.hint, "dim"))
        return Panel(Group(*parts), border_style="red", box=box.HEAVY)
    if isinstance(block, Heading):
        style = "bold cyan underline" if block.level == 1 else "bold"
        return Padding(_t(block.text, style), (1, 0, 0, 0))
    if isinstance(block, Paragraph):
        if block.style == "dim":
            return Padding(_t(block.text, "dim italic"), (1, 0, 0, 0))
        return Padding(_t(block.text), (0, 0, 0, 2))
    if isinstance(block, Bullets):
        grid = RichTable.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for item in block.items:
            grid.add_row("•", _t(item))
        label: list[RenderableType] = [_t(block.label, "bold")] if block.label else []
        return Padding(Group(*label, grid), (0, 0, 0, 2))
    if isinstance(block, Table):
        return _table(block, width)
    if isinstance(block, Highlighted):
        text = _t(f"{block.label}: ", "dim")
        snippet = _t(block.text)
        for start, end in block.spans:
            snippet.stylize("bold reverse yellow", start, end)
        return Padding(text + snippet, (0, 0, 0, 3))
    raise TypeError(type(block))  # pragma: no cover


def _table(table: Table, width: int) -> RenderableType:
    if width < table.min_width:
        # too narrow for columns of prose: stack each row
        rows: list[RenderableType] = []
        for row in table.rows:
            cells = [
                _t(f"{h}: ", "bold") + _cell(table, i, c)
                for i, (h, c) in enumerate(zip(table.columns, row, strict=True))
            ]
            rows.append(Padding(Group(*cells), (0, 0, 1, 2)))
        return Group(*rows)
    out = RichTable(box=box.SIMPLE_HEAD, show_lines=table.records, expand=table.records)
    for header in table.columns:
        out.add_column(header, overflow="fold")
    for row in table.rows:
        out.add_row(*(_cell(table, i, c) for i, c in enumerate(row)))
    return out


def _cell(table: Table, i: int, value: str) -> Text:
    style = SEVERITY_STYLE.get(value, "") if i == table.severity_column else ""
    return _t(value, style)
