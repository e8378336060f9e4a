"""Widgets of the pregnancy-check roster tab (ui/roster_tab.py)."""
