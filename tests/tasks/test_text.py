from importer.text import normalize_name, repair_injected_pinyin


def test_injected_pinyin_is_removed():
    assert repair_injected_pinyin("根據(jù)區(qū)委關於") == "根據區委關於"
    assert repair_injected_pinyin("創(chuàng)業(yè)創(chuàng)新") == "創業創新"


def test_real_parentheses_stay():
    text = "(区编委办负责)(2016年)推进ISO(ISO)认证,第(1)项"
    assert repair_injected_pinyin(text) == text


def test_names_match_across_scripts_and_widths():
    assert normalize_name("區發改委") == normalize_name("区发改委") == "区发改委"
    assert normalize_name("区政府（金融办） ") == "区政府(金融办)"
