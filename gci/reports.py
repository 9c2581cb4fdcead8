"""PDF output of the gci package, built on core's PDF toolkit (added with its issue)."""
