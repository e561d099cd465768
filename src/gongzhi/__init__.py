"""Gongzhi (共治): an open platform for the multi-party governance of AI systems."""

__version__ = "0.1.0"
