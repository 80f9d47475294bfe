"""The note: the clinical model, the session file, formats, the composer, measures, billing and records."""
