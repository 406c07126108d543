"""两端对齐 for Chinese text in WeasyPrint, which justifies a line only by widening its spaces.

Between two characters where a line may break, a space is put in a span whose font is set
near zero size (`.jx` in official.css): it takes no room while the line is laid out, and
justification widens these spaces, so each full line of body text ends at the right edge as
GB/T 9704 requires. No space goes before a mark that may not open a line (，。、；：？！）》”)
nor after one that may not close a line (（《“), so those rules hold too; runs of Latin
letters and digits (2026, GB/T) stay whole."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GAP = '<span class="jx"> </span>'
# GB/T 15834 and CSS Text's strict line breaking: marks that never open a line, and never close one.
NOT_AT_LINE_START = set("，。、；：？！）》〉」』”’…—·%")
NOT_AT_LINE_END = set("（《〈「『“‘")


def _wordlike(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%-/")


def breakable_gaps(text: str) -> list[int]:
    """The positions between characters where a line may break (and a space may widen)."""
    gaps = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after in NOT_AT_LINE_START or before in NOT_AT_LINE_END or before.isspace() or after.isspace():
            continue
        if _wordlike(before) and _wordlike(after):
            continue
        gaps.append(i)
    return gaps


def justified(text: str) -> SafeString:
    """The text, escaped, with a widening space at each gap a line may break at."""
    text = text or ""
    pieces, last = [], 0
    for gap in breakable_gaps(text):
        pieces.append(escape(text[last:gap]))
        pieces.append(GAP)
        last = gap
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece of the text went through escape()
