"""Tables of the gci package (none yet: they come with their issue)."""
