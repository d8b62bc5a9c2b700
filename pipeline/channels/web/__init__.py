"""The web channel: an article page, and the site around it (index, feed, sitemap, assets)."""
