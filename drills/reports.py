"""PDF output of the drills package, built on core's PDF toolkit (added with its issue)."""
