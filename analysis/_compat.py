"""Retired keyword spellings, accepted for one release with a ``FutureWarning``.

The package's parameter names are listed in ``docs/vocabulary.md``.  A
public function whose keyword was renamed is wrapped with
:func:`renamed_keywords`, so old calls keep working for one release while
telling the caller the new name.  ``import bertopic`` silences every
``FutureWarning`` in the process, so the warning may not show after it.
"""

from __future__ import annotations

import functools
import warnings

__all__ = ["renamed_keywords"]


def renamed_keywords(**renames: str):
    """Accept retired keyword names (``old="new"``) with a ``FutureWarning``.

    Examples
    --------
    >>> @renamed_keywords(languages="language")
    ... def f(*, language=None):
    ...     return language
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     f(languages="en"), caught[0].category.__name__
    ('en', 'FutureWarning')
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__qualname__}() got both {new}= and its "
                                        f"retired spelling {old}=")
                    warnings.warn(f"{func.__qualname__}(): {old}= is now {new}=; the old "
                                  "name will be removed in the next release",
                                  FutureWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__renamed_keywords__ = dict(renames)
        return wrapper

    return decorate
