"""Tables of the scenarios package (none yet: they come with their issue)."""
