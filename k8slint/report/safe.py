"""Text from the input (file names, messages, source lines, names) made safe to output.

A manifest, and the name of its file, are untrusted: they can hold control
characters (an ``ESC ]0;…BEL`` that retitles a terminal, ``ESC [2J``, a
newline that forges an output line, a C1 ``CSI``) or characters that XML 1.0
forbids. Every reporter passes such text through one of these functions:

- :func:`visible` for text people read (the text, GitHub, Markdown, JUnit and
  HTML reports, the graph diagrams): each control character becomes a visible
  escape written as Python writes it in a ``repr`` (which is also how rule
  messages quote values): ``\\t``, ``\\n``, ``\\r``, then ``\\xNN`` up to
  U+00FF and ``\\uNNNN`` above. Escaped are C0 (U+0000-U+001F), DEL, C1
  (U+0080-U+009F), the bidirectional embedding, override and isolate
  characters (U+202A-U+202E, U+2066-U+2069, which reorder what a terminal or a
  page shows), lone surrogates (a file name that is not valid UTF-8) and the
  noncharacters U+FFFE and U+FFFF (not allowed in XML). Everything else,
  accents and CJK included, is kept as it is; a backslash is kept too, so a
  name that contains the four characters ``\\x1b`` reads like one that
  contains ESC.
- :func:`json_text` for JSON (the JSON and SARIF reports, the HTML data
  block): the data stays exact, but the characters above that ``json.dumps``
  leaves raw are written as ``\\uNNNN`` escapes, so the output holds no raw
  control character either.
"""

from __future__ import annotations

import re

_UNSAFE = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_CONTROL = re.compile(f"[{_UNSAFE}]")
#: what json.dumps(..., ensure_ascii=False) leaves raw of the above (it escapes C0 itself),
#: plus the line and paragraph separators, which JavaScript before ES2019 does not allow in strings
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character (but those in ``keep``, say
    ``"\\n"``) replaced by a visible escape, as described above."""
    if not _CONTROL.search(text):
        return text
    if keep:
        return _CONTROL.sub(lambda m: m.group(0) if m.group(0) in keep else _escape(m), text)
    return _CONTROL.sub(_escape, text)


def is_safe(text: str) -> bool:
    """Whether ``text`` holds no character that :func:`visible` would escape."""
    return _CONTROL.search(text) is None


def json_text(encoded: str) -> str:
    """The output of ``json.dumps(..., ensure_ascii=False)`` with the raw
    characters it leaves (DEL, C1, bidirectional controls, lone surrogates…)
    written as ``\\uNNNN``: the same JSON value, no raw control character.
    (JSON syntax is ASCII, so such a character can only be inside a string.)"""
    if not _JSON_RAW.search(encoded):
        return encoded
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)
