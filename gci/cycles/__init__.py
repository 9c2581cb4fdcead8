"""GCI cycles: cycles, their framework versions, node editing and cloning (staff)."""
