"""Generic helpers shared by this project's sample rules.

Written for panther-transpile's fixtures; pure functions only (no I/O, no environment).
"""

from collections.abc import Mapping
from functools import reduce


def deep_get(dictionary, *keys, default=None):
    """Walk nested mappings with .get; return default if a step is missing or the result is None."""
    value = reduce(
        lambda current, key: current.get(key, default) if isinstance(current, Mapping) else default,
        keys,
        dictionary,
    )
    if value is None:
        return default
    return value
