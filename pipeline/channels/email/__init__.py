"""The email channel: the newsletter as text, HTML and .eml; a digest of several articles;
sending."""
