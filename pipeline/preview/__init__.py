"""publish serve: the studio, every channel of an article side by side while it is written."""
