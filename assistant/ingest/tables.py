"""Tables → one line per row that keeps its header context, whatever format the table came from.

Policy tables state one measure per row ("首贷贴息 | 贷款利息的60% | 每年15万元"). Read cell by cell they
become fragments, and an answer can quote a figure from the wrong row. So every row becomes one line,
"首贷贴息 · 标准：贷款利息的60% · 上限：每年15万元": the row's first cell names it, each further cell is
prefixed by its column header. A row is its own paragraph (its own sentence for answering), so figures
never cross rows. Merged cells (colspan / rowspan, or the empty cells PDF and Word leave for them) are
filled with the value that spans them before rows are written.
"""

from __future__ import annotations

import re

SEP = " · "
_TERMINAL = re.compile(r"([。；;！？!?]|(?<=[^\d\s])\.)+$")


def _clean(cell: object) -> str:
    text = " ".join(str(cell or "").split())
    # PDF cells wrap inside the cell; CJK glyphs must not be joined with a space.
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef\d])", "", text)
    return _TERMINAL.sub("", text)  # a cell's full stop would split the row into two sentences


def fill_merged(grid: list[list[str | None]]) -> list[list[str]]:
    """Rectangular grid with merged cells filled: ``None`` (a cell covered by a merge) takes the value to its
    left in the header row, else the value above (a rowspan down a column), else ''."""
    width = max((len(r) for r in grid), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in grid]
    out: list[list[str]] = []
    for i, row in enumerate(rows):
        filled: list[str] = []
        for j, cell in enumerate(row):
            if cell is None:
                if i == 0 and j > 0:
                    cell = filled[j - 1]
                elif i > 0:
                    cell = out[i - 1][j]
            filled.append(_clean(cell))
        out.append(filled)
    return out


def _is_header(row: list[str]) -> bool:
    """A header row names columns: short cells, no figures."""
    cells = [c for c in row if c]
    return len(cells) >= 2 and all(len(c) <= 20 and not re.search(r"\d", c) for c in cells)


def table_rows(grid: list[list[str | None]], header_rows: int | None = None) -> list[str]:
    """Lines for a table: "row name · header：value · …". ``header_rows`` when the source marks them
    (HTML ``<th>``); otherwise a first row of short, figure-free cells is taken as the header."""
    rows = [r for r in fill_merged(grid) if any(r)]
    if not rows:
        return []
    n_head = header_rows if header_rows is not None else (1 if len(rows) > 1 and _is_header(rows[0]) else 0)
    heads = rows[:n_head]
    # Several header rows (a merged group header over sub-headers): "上限（每年）".
    header = [" ".join(dict.fromkeys(h[j] for h in heads if h[j])) for j in range(len(rows[0]))] if heads else []
    out = []
    for row in rows[n_head:]:
        cells = [(header[j] if header else "", c) for j, c in enumerate(row)]
        # Cells repeated across a merge say the same thing once.
        seen: list[tuple[str, str]] = []
        for h, c in cells:
            if c and all(c != prev for _, prev in seen):
                seen.append((h, c))
        if not seen:
            continue
        name = seen[0][1]
        colon = "：" if re.search(r"[\u4e00-\u9fff]", "".join(header)) else ": "
        parts = [name] + [f"{h}{colon}{c}" if h and h != c else c for h, c in seen[1:]]
        out.append(SEP.join(parts))
    return out
