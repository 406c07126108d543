"""数据看板 and 政务公开: the dashboards' figures (`selectors.py`, every one a TaskFilterSet query
so it opens to exactly its list), their pages and API, and a plan's public page. On top of
tasks/; nothing imports it but the root URLs and the API router."""
