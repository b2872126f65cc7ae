"""Developer tools, outside the product the package installs: the screenshot maker for the
user guide and the desktop's benchmark probes. Run them from the repository's root."""
