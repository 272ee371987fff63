"""Shared helpers of the competition folders (fixtures and preparers), named by what they make."""
