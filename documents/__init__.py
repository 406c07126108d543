"""The official-document kit: GB/T 9704-2012 layout (`templates/documents/_head.html`,
`static/documents/official.css`), the font families from settings (`fonts.py`), Chinese dates
(`dates.py`), and WeasyPrint rendering with progress (`pdf.py`) that fetches nothing but the
project's static files (`fetcher.py`). What a document says belongs to the app that issues it;
this app imports no other app of ours."""
