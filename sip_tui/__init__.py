"""sip-tui: run SIP meetings (samordnad individuell plan) on a shared screen."""

__version__ = "0.1.0"
