"""publish serve: the site built into a temporary folder and served live on 127.0.0.1."""
