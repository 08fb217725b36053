"""summarizer: several news reports of one event in, one cited brief out."""

__version__ = "0.1.0"
