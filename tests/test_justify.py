"""两端对齐 for WeasyPrint (documents/justify.py): a widening space where a line may break,
none before ，。、 or after （《“, none inside 2026 or GB/T, and the text escaped."""

from documents.justify import GAP, breakable_gaps, justified


def test_no_gap_before_closing_marks_or_after_opening_ones():
    text = "经督查，按期完成（2026年）《通报》。"
    gaps = breakable_gaps(text)
    for gap in gaps:
        assert text[gap] not in "，。）》" and text[gap - 1] not in "（《"
    assert "2026" in justified(text).replace(GAP, "")


def test_latin_and_digits_stay_whole_and_text_is_escaped():
    out = justified("按GB/T 9704排版<b>")
    assert "GB/T" in out and "9704" in out and "<b>" not in out and "&lt;b&gt;" in out.replace(GAP, "")
    assert out.replace(GAP, "") == "按GB/T 9704排版&lt;b&gt;"
