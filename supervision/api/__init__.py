"""Supervision's API: inspections, findings, rectification demands, bulletins and notices,
read through the pages' selectors and written through the pages' services."""
