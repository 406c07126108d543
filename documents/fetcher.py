"""WeasyPrint's only way out: the project's own static files, nothing else.

Documents are rendered against a base URL of our own; a URL there under STATIC_URL is
answered from the static files finders. Any other URL (the network, file://, data:) is
refused, so text a user typed can never make the renderer fetch anything."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A host that cannot resolve (.invalid is reserved, RFC 2606): nothing is ever sent there.
BASE_URL = "https://portal.invalid/"


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            path = static_path(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path:
    """The static file a URL of ours names, or RefusedURL."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parts.scheme != "https" or parts.netloc != urlsplit(BASE_URL).netloc or not parts.path.startswith(prefix):
        raise RefusedURL(f"不允许读取：{url}")
    relative = unquote(parts.path[len(prefix) :])
    if not relative or ".." in Path(relative).parts:
        raise RefusedURL(f"不允许读取：{url}")
    found = finders.find(relative)
    if not found:
        raise RefusedURL(f"没有这个静态文件：{url}")
    return Path(found)
