"""Dates and time: Korean date phrases, holidays, reminder planning, calendar files."""
