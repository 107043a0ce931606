"""Review: scoring against gold, and the HTML page researchers read."""
