"""Positioned text (from a PDF or an OFD) back into lines and paragraphs, with tables in their places.

A page keeps no paragraphs, only pieces of text at positions. Pieces on one baseline make a line; lines make a
paragraph again unless the line before stopped short of the right margin, the line is indented (a first line),
or a wider gap or a heading number starts a new one. Page numbers and running heads/feet are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import zip_longest

from .base import Document

# Characters around which Chinese text takes no space: ideographs, CJK and full-width punctuation, “”‘’—….
CJK = re.compile(r"[\u2010-\u206f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
# What may start a new paragraph even after a full line: the numbering of Chinese official documents.
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]\D|第[一二三四五六七八九十百\d]+[章节条部分]"
    r"|[①-⑳]|附件)"
)
# What a line may not be broken inside: figures and Latin words with the brackets that hold on to them.
_UNBREAKABLE = re.compile(r"[（(〔《“‘\[【]*[0-9A-Za-z.,%/\-]+(?:[）)〕》”’\]】]+[0-9A-Za-z.,%/\-]*)*")
# A page number alone on a line: "- 3 -", "— 3 —", "－3－", "3", "第3页", "第 3 页 共 12 页", "3/12".
_PAGE_NUMBER = re.compile(
    r"^[\s\-－—–·•]*(?:第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[\s\-－—–·•]*$"
)


@dataclass
class Line:
    page: int
    top: float  # distance from the top of the page, as pdfplumber measures
    bottom: float
    left: float
    right: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class Table:
    page: int
    top: float
    bottom: float
    rows: list[list[str]]


def group_lines(pieces: list[Line]) -> list[Line]:
    """Pieces of text (each a run of characters on one baseline) grouped into lines, top to bottom, left to right.
    A piece joins a line when they overlap for half the smaller one's height: a low-set 、 or a raised “ is part of
    its line, the next line's text is not."""
    pieces.sort(key=lambda piece: (piece.top + piece.bottom) / 2)
    lines: list[list[Line]] = []
    top = bottom = 0.0
    for piece in pieces:
        if lines:
            overlap = min(bottom, piece.bottom) - max(top, piece.top)
            if overlap >= 0.5 * min(piece.height, bottom - top):
                lines[-1].append(piece)
                top, bottom = min(top, piece.top), max(bottom, piece.bottom)
                continue
        lines.append([piece])
        top, bottom = piece.top, piece.bottom
    return [_merge_pieces(line) for line in lines]


def _merge_pieces(pieces: list[Line]) -> Line:
    pieces.sort(key=lambda piece: piece.left)
    text = pieces[0].text
    for before, piece in zip(pieces, pieces[1:], strict=False):
        gap = piece.left - before.right
        # Chinese runs need no space; words in Latin letters or figures set apart do.
        joined_tight = CJK.match(piece.text[0]) or CJK.match(before.text[-1]) or gap < before.height * 0.15
        text += ("" if joined_tight else " ") + piece.text
    return Line(
        page=pieces[0].page,
        top=min(piece.top for piece in pieces),
        bottom=max(piece.bottom for piece in pieces),
        left=pieces[0].left,
        right=max(piece.right for piece in pieces),
        text=text,
    )


def join_wrapped(before: str, after: str) -> str:
    """after appended to before across a line break: no space beside Chinese, after a hyphen or inside a figure."""
    if CJK.match(after[0]) or CJK.match(before[-1]) or before.endswith("-") or (before[-1] + after[0]).isdigit():
        return after
    return " " + after


def drop_furniture(lines: list[Line], pages: int) -> list[Line]:
    """Page numbers, and the same head or foot line repeated on most pages (a running title, a 密级 mark)."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edges = {id(line) for page_lines in by_page.values() for line in (page_lines[0], page_lines[-1])}
    repeated: Counter[str] = Counter()
    for page_lines in by_page.values():
        for key in {_shape(line) for line in (page_lines[0], page_lines[-1])}:
            repeated[key] += 1
    running = {key for key, count in repeated.items() if pages >= 3 and count >= max(3, pages // 2)}
    left = min((line.left for line in lines), default=0.0)

    def page_number(line: Line) -> bool:
        if not _PAGE_NUMBER.match(line.text):
            return False
        # A bare figure at the text's left edge, or indented as a paragraph's first line (two characters), is more
        # likely a table's 序号 cell than a page number, which is centred or set outside; "- 5 -" and "第5页" say
        # what they are wherever they stand.
        return not line.text.strip().isdigit() or line.left > left + 3 * line.height

    return [line for line in lines if not (id(line) in edges and (page_number(line) or _shape(line) in running))]


def _shape(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def assemble(lines: list[Line], tables: list[Table], *, kind: str) -> Document:
    """Lines into paragraphs, with each table's rows in its place (one line per row, cells split by tabs)."""
    margins = _Margins.measure(lines) if lines else None
    blocks: list[tuple[int, float, object]] = [(line.page, line.top, line) for line in lines]
    blocks += [(table.page, table.top, table) for table in tables]
    blocks.sort(key=lambda block: (block[0], block[1]))

    out: list[str] = []
    kept: list[list[list[str]]] = []
    previous: Line | None = None
    for _, _, block in blocks:
        if isinstance(block, Table):
            if kept and previous is None and out and out[-1] is _TABLE_END and _continues(kept[-1], block.rows):
                rows = block.rows[1:] if block.rows[0] == kept[-1][0] else list(block.rows)  # a header repeated
                out.pop()
                if rows and _row_goes_on(kept[-1][-1], rows[0]):
                    # A row the page break cut in two: its rest, with no 序号 of its own, goes back into it.
                    kept[-1][-1] = [_join_cells(a, b) for a, b in zip_longest(kept[-1][-1], rows[0], fillvalue="")]
                    out[-1] = _row_line(kept[-1][-1])
                    rows = rows[1:]
                kept[-1].extend(rows)
            else:
                kept.append([list(row) for row in block.rows])
                rows = block.rows
            out.extend(_row_line(row) for row in rows)
            out.append(_TABLE_END)
            previous = None
            continue
        line = block
        if previous is not None and margins is not None and margins.continues(previous, line):
            out[-1] += join_wrapped(out[-1], line.text)
        else:
            if out and out[-1] is _TABLE_END:
                out.pop()
            out.append(line.text)
        previous = line
    text = "\n".join(part for part in out if part is not _TABLE_END)
    width = [max(len(row) for row in table) for table in kept]
    kept = [[row + [""] * (w - len(row)) for row in table] for table, w in zip(kept, width, strict=False)]
    return Document(text=text, tables=kept, encoding=None, kind=kind)


# Marks the end of a table's rows in the output so a table on the next page can be seen to continue it.
_TABLE_END = "\x00table-end"


def _row_line(row: list[str]) -> str:
    """A table row as one line of text: cells split by tabs, a cell's own line breaks made spaces."""
    return "\t".join(cell.replace("\n", " ") for cell in row)


def _row_goes_on(last: list[str], first: list[str]) -> bool:
    return bool(last and first and last[0] and not first[0] and any(first[1:]))


def _join_cells(before: str, after: str) -> str:
    return before + join_wrapped(before, after) if before and after else before or after


def _continues(table: list[list[str]], rows: list[list[str]]) -> bool:
    return max(len(row) for row in table) == max(len(row) for row in rows)


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float

    @classmethod
    def measure(cls, lines: list[Line]) -> _Margins:
        # Where lines start: the leftmost edge that several lines share. Not a median: in a plan of one-line items
        # most lines are indented first lines, and the margin is where the few wrapped ones start.
        starts = Counter(round(line.left / 3) for line in lines)
        shared = [start for start, count in starts.items() if count >= 2]
        left = (min(shared) if shared else min(starts)) * 3
        # Where full lines end: the 90th percentile of the long lines' right edges. Justified text ends them all at
        # the margin; ragged text (left-aligned, as a web page or a WPS default prints) a character or so short;
        # a lone line sticking out (a wide figure, a signature) does not count.
        widest = max(line.right for line in lines)
        long_ends = sorted(line.right for line in lines if line.right > left + 0.6 * (widest - left))
        right = long_ends[min(len(long_ends) - 1, int(len(long_ends) * 0.9))] if long_ends else widest
        return cls(left, right)

    def continues(self, before: Line, line: Line) -> bool:
        """Whether line goes on with before's paragraph. A full line ending a sentence (。) is taken to go on: a
        sentence ends at the margin more often inside a paragraph than a paragraph fills its last line exactly."""
        size = before.height
        # Stopped short: the paragraph ended there. A line may end a character or two short where a comma may not
        # start the next line, and a word short where a Latin word or a figure such as 2016-2035 moved down whole.
        slack = 6 if re.search(r"[0-9A-Za-z\-]$", before.text) else 2.5
        if word := _UNBREAKABLE.match(line.text):  # "2015年" or "〔2014〕6号" moves down whole when 2015 does not fit
            slack += sum(0.6 if ord(char) < 128 else 1.0 for char in word.group(0))
        if before.right < self.right - slack * size:
            return False
        if line.left > self.left + size * 1.2:  # an indented first line, or a centred title
            return False
        if line.text.startswith(("\u3000", "  ")):  # indented with spaces typed in (首行缩进 as 　　)
            return False
        if line.page == before.page and line.top - before.bottom > size * 1.2:  # a blank line's gap
            return False
        return not _HEADING.match(line.text)
