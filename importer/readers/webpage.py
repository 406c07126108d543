"""A government web page saved as HTML (.html/.htm, or as one .mht file): its text in reading order, without the
page's furniture.

Parsed with tinyhtml5 (the HTML5 parser WeasyPrint already brings): it builds the tree as browsers do from the
tag soup that CMS pages are (unclosed <p>, tables for layout), and finds the encoding as browsers do (BOM, then
<meta charset> / http-equiv, GBK for a declared gb2312). A page declaring nothing is read as UTF-8 if it decodes,
else GB18030. Dropped: scripts, styles, forms, <nav>/<header>/<footer>/<aside>, hidden parts, blocks whose class
or id names them furniture (nav, menu, footer, breadcrumb, share …), and blocks that are mostly links (a list of
links is a menu or "related articles", not a plan). Data tables are kept as tables; layout tables read as blocks.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from .base import Document, DocumentError
from .layout import CJK

MSG_HTML_BROKEN = "网页文件无法读取。"

_DROPPED = frozenset(
    {
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "label",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "map",
        "audio",
        "video",
        "img",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "address",
        "center",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
        "body",
        "html",
        "figure",
        "figcaption",
        "tbody",
        "thead",
        "tfoot",
    }
)
_ROLES_DROPPED = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary"})
# The first word of a class or id that names page furniture, in English or the pinyin Chinese CMSs use
# (daohang 导航, weizhi 位置, dangqian 当前, fenxiang 分享, banquan 版权, lianjie 链接, dayin 打印, guanbi 关闭).
_FURNITURE_WORDS = frozenset(
    {
        "nav",
        "navbar",
        "navigation",
        "menu",
        "header",
        "topbar",
        "top",
        "footer",
        "foot",
        "bottom",
        "breadcrumb",
        "breadcrumbs",
        "crumb",
        "crumbs",
        "position",
        "location",
        "sidebar",
        "side",
        "share",
        "bdshare",
        "toolbar",
        "print",
        "copyright",
        "friendlink",
        "links",
        "search",
        "login",
        "fontsize",
        "skip",
        "daohang",
        "dh",
        "weizhi",
        "dqwz",
        "dangqian",
        "fenxiang",
        "banquan",
        "lianjie",
        "dayin",
        "guanbi",
    }
)
_WORD = re.compile(r"[a-z]+")
# A block with at least this many links, that many of whose characters are link text, and no prose, is a menu.
_MENU_LINKS = 3
_MENU_LINK_SHARE = 0.6
# What only a site's footer says: 版权所有, an ICP licence, the site's identifier, who runs or built it.
_FOOT = re.compile(r"版权所有|Copyright|©|ICP备|网站标识码|主办单位|承办单位|技术支持|网站地图|联系我们", re.IGNORECASE)
_FOOT_MAX = 300
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_CJK_GAP = re.compile(rf"(?<={CJK.pattern}) (?={CJK.pattern})")


def read_mhtml(data: bytes) -> Document:
    """A page saved as a single file (.mht/.mhtml, 单个文件网页, as IE, 360 and Word save one): a MIME message whose
    first text/html part is the page."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return read_html(payload, encoding=part.get_content_charset())
    raise DocumentError(MSG_HTML_BROKEN)


def read_html(data: bytes, *, encoding: str | None = None) -> Document:
    """encoding: what the file's container says (an .mht part's charset), before what the page declares."""
    import tinyhtml5

    likely = "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        likely = "gb18030"
    try:
        root = tinyhtml5.parse(
            data, namespace_html_elements=False, likely_encoding=likely, transport_encoding=encoding or None
        )
    except (ValueError, LookupError, RecursionError):
        raise DocumentError(MSG_HTML_BROKEN) from None
    try:
        sizes = _Sizes(root)
        reader = _Reader(sizes, sizes.of(root)[0])
        reader.block(root)
    except RecursionError:  # absurdly deep nesting: not a page anyone saved
        raise DocumentError(MSG_HTML_BROKEN) from None
    reader.flush()
    return Document(text="\n".join(reader.lines), tables=reader.tables, encoding=None, kind="html")


def _tag(element: ElementTree.Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


class _Sizes:
    """Per element, measured once bottom-up: characters of text, of link text, links, and whether it holds prose
    (a run of 40 characters outside any link: a menu has none, an article paragraph does)."""

    def __init__(self, root: ElementTree.Element) -> None:
        self._sizes: dict[int, tuple[int, int, int, bool]] = {}
        self.measure(root, in_link=False)

    def measure(self, element: ElementTree.Element, *, in_link: bool) -> tuple[int, int, int, bool]:
        tag = _tag(element)
        is_link = tag == "a" and bool(element.get("href"))
        in_link = in_link or is_link
        text = linked = links = 0
        prose = False
        for piece in [element.text] + [child.tail for child in element]:
            size = len(_SPACES.sub("", piece or ""))
            text += size
            linked += size if in_link else 0
            prose = prose or (size >= 40 and not in_link)
        for child in element:
            if not isinstance(child.tag, str) or _tag(child) in ("script", "style", "head"):
                continue
            child_text, child_linked, child_links, child_prose = self.measure(child, in_link=in_link)
            text += child_text
            linked += child_linked
            links += child_links
            prose = prose or child_prose
        sizes = (text, linked, links + is_link, prose)
        self._sizes[id(element)] = sizes
        return sizes

    def of(self, element: ElementTree.Element) -> tuple[int, int, int, bool]:
        return self._sizes.get(id(element), (0, 0, 0, False))


def _is_furniture(element: ElementTree.Element, sizes: _Sizes, page_text: int) -> bool:
    tag = _tag(element)
    if tag in _DROPPED or "hidden" in element.attrib or element.get("aria-hidden") == "true":
        return True
    if element.get("role", "").lower() in _ROLES_DROPPED:
        return True
    if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", element.get("style", ""), re.IGNORECASE):
        return True
    if tag in ("body", "html"):
        return False
    text, linked, links, prose = sizes.of(element)
    if links >= _MENU_LINKS and not prose and text > 0 and linked / text >= _MENU_LINK_SHARE:
        return True
    if tag in ("p", "span", "td", "tr", "table", "tbody"):  # furniture names on these are too loose to trust
        return False
    # A short block naming the site's owner, licence or contacts is the page's foot, whatever its class.
    # Names and words are only hints: a wrapper that holds most of the page (class="position-relative", a layout
    # table around article and footer) is not furniture.
    if prose and text > page_text / 2:
        return False
    if text < _FOOT_MAX and _FOOT.search("".join(element.itertext())):
        return True
    for token in (element.get("class", "") + " " + element.get("id", "")).lower().split():
        first = _WORD.match(token)
        if first and first.group(0) in _FURNITURE_WORDS:
            return True
    return False


class _Reader:
    def __init__(self, sizes: _Sizes, page_text: int) -> None:
        self._sizes = sizes
        self._page_text = page_text
        self.lines: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._inline: list[str] = []

    def flush(self) -> None:
        text = "".join(self._inline)
        self._inline = []
        for line in text.split("\n"):
            line = _CJK_GAP.sub("", _SPACES.sub(" ", line)).strip(" \u3000")
            if line:
                self.lines.append(line)

    def block(self, element: ElementTree.Element, *, pre: bool = False) -> None:
        """Read element's own text and children; a block element starts and ends its own lines."""
        tag = _tag(element)
        if _is_furniture(element, self._sizes, self._page_text):
            return
        if tag == "table" and _is_data_table(element):
            self.flush()
            self._table(element)
            return
        is_block = tag in _BLOCKS
        pre = pre or tag in ("pre", "textarea")
        if is_block:
            self.flush()
        if tag == "br":
            self._inline.append("\n")
        self._text(element.text, pre)
        for child in element:
            if isinstance(child.tag, str):
                self.block(child, pre=pre)
            self._text(child.tail, pre)
        if is_block:
            self.flush()

    def _text(self, text: str | None, pre: bool) -> None:
        if text:
            self._inline.append(text if pre else _SPACES.sub(" ", text))

    def _table(self, table: ElementTree.Element) -> None:
        rows: list[list[str]] = []
        for tr in _rows(table):
            row: list[str] = []
            for cell in tr:
                if _tag(cell) not in ("td", "th"):
                    continue
                reader = _Reader(self._sizes, self._page_text)
                reader.block(cell)
                reader.flush()
                row.append("\n".join(reader.lines))
                span = cell.get("colspan", "1")
                row.extend([""] * (min(int(span), 50) - 1 if span.isdigit() and int(span) > 1 else 0))
            if any(row):
                rows.append(row)
        if not rows:
            return
        width = max(len(row) for row in rows)
        self.tables.append([row + [""] * (width - len(row)) for row in rows])
        self.lines.extend("\t".join(cell.replace("\n", " ") for cell in row) for row in rows)


def _rows(table: ElementTree.Element):
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if _tag(row) == "tr")


def _is_data_table(table: ElementTree.Element) -> bool:
    """A table of data, not one a page is laid out with: no table inside, at least two rows of two cells."""
    if any(_tag(inner) == "table" for inner in table.iter() if inner is not table):
        return False
    rows = [sum(1 for cell in tr if _tag(cell) in ("td", "th")) for tr in _rows(table)]
    return sum(1 for cells in rows if cells >= 2) >= 2
