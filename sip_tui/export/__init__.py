"""Handing out the agreed plan: Word document and calendar invite."""
