"""Persistent storage of plans."""

from .store import PlanStore, ScanResult, StoreError

__all__ = ["PlanStore", "ScanResult", "StoreError"]
