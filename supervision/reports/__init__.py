"""Official documents (督查通报, 督办单) laid out to GB/T 9704-2012 and rendered by WeasyPrint.

`document.py` gathers what a document says, `templates/supervision/document/` lays it out
(the same template for the HTML preview and the PDF), `pdf.py` renders it with the fonts of
`fonts.py` and nothing but the project's static files (`fetcher.py`)."""
