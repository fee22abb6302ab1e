"""Output formats, one module each, all built from the one findings document."""
