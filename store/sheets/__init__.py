"""Spreadsheets in and out: the column definitions (columns), reading files (reading), the import's plan
(plan) and its write (applying), and the xlsx export, template and preview (writing, exporting)."""
