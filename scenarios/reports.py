"""PDF output of the scenarios package, built on core's PDF toolkit (added with its issue)."""
