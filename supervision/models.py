"""Inspections, findings, rectification demands and bulletins (督查通报) arrive with
the supervision issue; the app is installed now so its migrations start clean."""
