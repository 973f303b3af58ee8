"""Charts: what a picture shows (budget, progress: plain data, no drawing) and how it is drawn (draw, loaded only
when a chart is drawn: matplotlib is not imported to answer a text question)."""


class ChartUnavailable(Exception):
    """Charts cannot be drawn on this installation (matplotlib or the Korean font is missing)."""
