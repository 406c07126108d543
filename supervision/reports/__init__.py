"""What supervision's official documents (督查通报, 督办单) say: `document.py` gathers it for
`templates/supervision/document/` (the same template for the HTML preview and the PDF),
`drafting.py` writes a bulletin's first draft. Layout, fonts and rendering are `documents/`."""
