"""Text clean-up shared by the seed loader and the document importer.

Plain Python, no Django: the parser's building blocks are tested on their own.
"""

import re

import zhconv

# Conversion tools sometimes inject the pinyin of a character after it:
# "根據(jù)區(qū)委" is "根據區委". Pinyin here is lowercase latin with tone marks;
# a real parenthesis holds Chinese ("(区编委办负责)"), digits ("(2016年)") or
# capitals ("(ISO)"), so it never matches.
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_INJECTED_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([" + _PINYIN_LETTERS + r"]{1,7}\)")


def repair_injected_pinyin(text: str) -> str:
    """Remove pinyin glosses injected after characters, keeping real parentheses."""
    return _INJECTED_PINYIN.sub("", text)


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (區發改委 → 区发改委)."""
    return zhconv.convert(text, "zh-hans")


# Full-width forms that documents mix freely with their ASCII twins.
_FULL_TO_HALF = str.maketrans(
    "（）：；，０１２３４５６７８９　",
    "():;,0123456789 ",
)


def normalize_name(name: str) -> str:
    """The key a department name is matched by: simplified, half-width, no spaces."""
    cleaned = repair_injected_pinyin(name).translate(_FULL_TO_HALF)
    return re.sub(r"\s+", "", to_simplified(cleaned))
