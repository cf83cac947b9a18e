"""Developer tools, outside the cockpit package (which never imports them)."""
