"""Use cases of the casebook, one module each; the same for the CLI and the window."""
