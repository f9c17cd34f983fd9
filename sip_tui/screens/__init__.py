"""Screens: home, one screen per meeting step, dialogs, follow-up views."""
