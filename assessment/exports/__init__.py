"""The ranking and the statements as spreadsheets and as official-format PDFs."""
