"""Reading an article: its file, front matter, body through pandoc, conditional content,
variables, sanitising, pictures and links; the pandoc server and the AST helpers."""
