"""HTML to PDF with WeasyPrint: fonts from settings, embedded as subsets, and no fetching
beyond the project's static files."""

import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import BASE_URL, StaticOnlyFetcher

# WeasyPrint reports each page it lays out on this logger ("Step 5 - Creating layout - Page 3").
_PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
_PAGE = re.compile(r"Creating layout - Page (\d+)")

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    refused: tuple[str, ...]  # URLs the document asked for and did not get

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class _LayoutProgress(logging.Handler):
    """Turns WeasyPrint's per-page log lines into a share of the layout done, at most
    twice a second (each report writes a row a page polls)."""

    def __init__(self, report: Progress, expected_pages: int, start: int, end: int):
        super().__init__(logging.INFO)
        self.report, self.expected, self.start, self.end = report, max(1, expected_pages), start, end
        self.last = 0.0

    def emit(self, record):
        match = _PAGE.search(record.getMessage())
        now = time.monotonic()
        if match and now - self.last >= 0.5:
            self.last = now
            page = int(match[1])
            share = min(1.0, page / self.expected)
            self.report(self.start + round((self.end - self.start) * share), f"排版第{page}页")


def render_pdf(html: str, *, progress: Progress | None = None, expected_pages: int = 1) -> RenderedPdf:
    report = progress or (lambda percent, stage: None)
    fetcher = StaticOnlyFetcher()
    handler = _LayoutProgress(report, expected_pages, 10, 80)
    level, propagate = _PROGRESS_LOGGER.level, _PROGRESS_LOGGER.propagate
    _PROGRESS_LOGGER.addHandler(handler)
    _PROGRESS_LOGGER.setLevel(logging.INFO)
    _PROGRESS_LOGGER.propagate = False  # a line per page is progress, not a log
    try:
        report(10, "排版")
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(font_config=FontConfiguration())
        report(80, f"写入PDF（共{len(document.pages)}页）")
        data = document.write_pdf()
    finally:
        _PROGRESS_LOGGER.removeHandler(handler)
        _PROGRESS_LOGGER.setLevel(level)
        _PROGRESS_LOGGER.propagate = propagate
    return RenderedPdf(data=data, pages=len(document.pages), refused=tuple(fetcher.refused))
