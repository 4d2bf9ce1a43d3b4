"""Exchange with other tools and libraries: share bundles, Excel and Word files, validation reports (no Qt)."""
