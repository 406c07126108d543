"""繁体 → 简体 for a whole document, when the office ticks 转换为简体 (or import_plan --simplify).

Through OpenCC, whose wheel carries its dictionaries (nothing is downloaded). Its t2s configuration, not tw2sp:
the traditional plans an office meets are mainland documents shown in traditional characters (a portal's 繁體
page, a Hong Kong or Macao copy), and tw2sp also rewrites Taiwan vocabulary into mainland words, which corrupts a
mainland text: on the corpus it turned 程序 into 进程, 执行 into 运行, 建立 into 创建, 效能 into 性能 and
行政许可权 into 行政权限. t2s converts characters and standard phrases only.
The document as read (traditional) stays the import's source text; only the parse sees the simplified one.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from .readers import Document

CONFIG = "t2s"
# Above this share of Chinese characters that conversion changes, a text is in traditional characters.
_TRADITIONAL_SHARE = 0.02
_MIN_CHANGED = 5


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC(CONFIG)


def simplify_text(text: str) -> str:
    return _converter().convert(text) if text else text


def simplify_document(document: Document) -> Document:
    """The document with its text and every table cell in simplified characters."""
    return replace(
        document,
        text=simplify_text(document.text),
        tables=[[[simplify_text(cell) for cell in row] for row in table] for table in document.tables],
    )


def looks_traditional(document: Document) -> bool:
    """Whether the document is written in traditional characters (for a hint next to the tick box)."""
    sample = document.text[:20000] or "".join(cell for table in document.tables for row in table for cell in row)
    chinese = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    changed = sum(1 for before, after in zip(sample, simplify_text(sample), strict=False) if before != after)
    return changed >= _MIN_CHANGED and changed > len(chinese) * _TRADITIONAL_SHARE
