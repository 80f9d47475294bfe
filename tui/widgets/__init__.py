"""Widgets grouped by what they show."""
