"""Department names as written → the registry's names. Plain Python."""

from collections.abc import Iterable

from .text import normalize_name

# Endings a written short form may have dropped: 区民政 → 区民政局.
_SUFFIXES = ("局", "委", "办", "委员会", "办公室", "分局")
_LEVELS = ("区", "市", "县", "省", "镇", "乡")


class Registry:
    """Every name the registry knows, by normalised key → the department's full name."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()):
        self._by_key = {normalize_name(written): full for written, full in names}

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def match(self, raw: str) -> str | None:
        """The department `raw` names, or None. Tries the name as written (its
        carried-over prefix included), then without that prefix, then with a
        dropped ending restored; a guess that fits two departments is no match."""
        key = normalize_name(raw)
        candidates = [key]
        if key.startswith(_LEVELS) and len(key) > 2:
            candidates.append(key[1:])
        for candidate in candidates:
            if candidate in self._by_key:
                return self._by_key[candidate]
        for candidate in candidates:
            found = {self._by_key[candidate + suffix] for suffix in _SUFFIXES if candidate + suffix in self._by_key}
            if len(found) == 1:
                return found.pop()
        if not key.startswith(_LEVELS):
            # "财政" after an unprefixed lead: whichever level's department it alone can be.
            found = {
                self._by_key[level + key + suffix]
                for level in _LEVELS
                for suffix in ("", *_SUFFIXES)
                if level + key + suffix in self._by_key
            }
            if len(found) == 1:
                return found.pop()
        return None
