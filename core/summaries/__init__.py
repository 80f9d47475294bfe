"""Treatment summaries: progress, transfer and discharge reports built from signed notes."""
