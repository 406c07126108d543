"""Pages for the API's lists. Long lists (tasks, reports, history, inbox) page by cursor:
each page is an index range scan after the last row seen, equally fast on page 1 and
page 1 000, with no COUNT over 100 000 rows."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class CursorPage(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
    invalid_cursor_message = "游标无效，请从列表第一页重新开始。"


class NumberedPage(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
