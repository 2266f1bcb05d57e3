"""The Corefile, CoreDNS's configuration: a small parser with positions.

CoreDNS reads its Corefile with the Caddyfile parser of github.com/coredns/caddy
(``caddyfile/lexer.go`` and ``caddyfile/parse.go``); this module follows it:

- tokens are separated by whitespace; ``#`` outside quotes starts a comment that
  runs to the end of the line (even in the middle of a word);
- a token that starts with ``"`` runs to the next unescaped ``"`` (it may span
  lines; ``\\"`` is the only escape);
- a server block is a line of keys (zones, ``zone:port``, ``dns://zone``; a key
  ending in ``,`` continues on the next line) and a ``{ }`` block of directives,
  one per line, each with its arguments and optionally its own ``{ }`` block
  (``kubernetes cluster.local { ... }``), nested as deep as a plugin wants;
  a ``{`` at the start of the next line still opens the directive's block;
- a server block's ``}`` must be on a line of its own (``errors }`` is a parse
  error: "Unexpected '}' because no matching opening brace");
- ``(name) { ... }`` defines a snippet and ``import name`` (or ``import FILE``)
  splices one in; ``{$VAR}`` (and ``{%VAR%}``) are environment variables;
- a Corefile whose only server block has no braces at all is allowed (its
  directives run to the end of the file).

:func:`parse` returns the server blocks, each directive and each line of a
directive's block as an :class:`Entry` whose tokens carry their 0-based line
and column in the Corefile text, and the :class:`Problem` s that make CoreDNS
refuse the file: unbalanced braces, an unterminated quote, a directive outside
any server block, an empty file. It never raises. Plugins are not validated
here: see :mod:`k8slint.kube.coredns`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

EMPTY = "empty"
UNCLOSED = "unclosed"
UNEXPECTED_CLOSE = "unexpected-close"
TRAILING_CLOSE = "trailing-close"
CLOSE_ON_DIRECTIVE_LINE = "close-on-directive-line"
OUTSIDE = "outside"
UNTERMINATED_QUOTE = "unterminated-quote"
STRAY_OPEN = "stray-open"

#: blocks nested deeper than this are skipped (brace-counted, not parsed): no plugin nests that deep
MAX_DEPTH = 50


@dataclass(frozen=True)
class Token:
    """A word of the Corefile; ``line`` and ``column`` (0-based) are where it starts
    (at the opening quote of a quoted token), ``end_line`` where it ends."""

    text: str
    line: int
    column: int
    end_line: int
    quoted: bool = False

    @property
    def at(self) -> tuple[int, int]:
        return (self.line, self.column)

    @property
    def is_open(self) -> bool:
        return self.text == "{"

    @property
    def is_close(self) -> bool:
        return self.text == "}"

    @property
    def has_env(self) -> bool:
        """Whether the token holds an environment variable (``{$VAR}``, ``{%VAR%}``), replaced when CoreDNS loads."""
        return "{$" in self.text or "{%" in self.text


@dataclass
class Entry:
    """A directive of a server block (``kubernetes cluster.local``), or a line of a
    directive's block (``pods insecure``): its first token, the other tokens of its
    line, and its own block (None when it has none)."""

    name: Token
    args: list[Token] = field(default_factory=list)
    block: list[Entry] | None = None
    open: Token | None = None
    close: Token | None = None

    def describe(self) -> str:
        """The entry as written on its line: ``forward . /etc/resolv.conf``."""
        return " ".join(t.text for t in [self.name, *self.args])


@dataclass
class ServerBlock:
    """A server block (``.:53 { ... }``) or a snippet (``(name) { ... }``)."""

    keys: list[Token]
    entries: list[Entry] = field(default_factory=list)
    open: Token | None = None
    close: Token | None = None

    @property
    def snippet(self) -> str | None:
        """The snippet's name when the block defines one (a single key in parentheses)."""
        if len(self.keys) == 1 and self.keys[0].text.startswith("(") and self.keys[0].text.endswith(")"):
            return self.keys[0].text[1:-1]
        return None

    def describe(self) -> str:
        return " ".join(k.text for k in self.keys)


@dataclass(frozen=True)
class Problem:
    """Something that makes CoreDNS refuse the Corefile, at a 0-based (line, column)."""

    code: str  # EMPTY, UNCLOSED, ...
    message: str
    line: int
    column: int

    @property
    def at(self) -> tuple[int, int]:
        return (self.line, self.column)


@dataclass
class Corefile:
    blocks: list[ServerBlock] = field(default_factory=list)
    outside: list[Entry] = field(default_factory=list)  # directives written outside any server block
    problems: list[Problem] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    def entries(self) -> list[tuple[ServerBlock, Entry]]:
        """The directives of every server block and snippet, in order."""
        return [(b, e) for b in self.blocks for e in b.entries]


def tokenize(text: str) -> tuple[list[Token], list[Problem]]:
    """The tokens of a Corefile, and an unterminated quote if there is one."""
    tokens: list[Token] = []
    problems: list[Problem] = []
    n = len(text)
    i = 1 if text.startswith("\ufeff") else 0
    line = column = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            column = 0
            i += 1
            continue
        if ch.isspace():
            i += 1
            column += 1
            continue
        if ch == "#":  # a comment, to the end of the line
            end = text.find("\n", i)
            end = n if end < 0 else end
            column += end - i
            i = end
            continue
        start_line, start_column = line, column
        if ch == '"':
            i += 1
            column += 1
            chars: list[str] = []
            escaped = closed = False
            while i < n:
                c = text[i]
                i += 1
                if c == "\n":
                    line += 1
                    column = 0
                else:
                    column += 1
                if not escaped:
                    if c == "\\":
                        escaped = True
                        continue
                    if c == '"':
                        closed = True
                        break
                if escaped and c != '"':
                    chars.append("\\")  # only a quote can be escaped
                chars.append(c)
                escaped = False
            if not closed:
                problems.append(Problem(UNTERMINATED_QUOTE, "the quoted string that starts here is never closed: "
                                        "the rest of the Corefile is read as part of it",
                                        start_line, start_column))
            tokens.append(Token("".join(chars), start_line, start_column, line, quoted=True))
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != "#":
            end += 1
        tokens.append(Token(text[i:end], line, column, line))
        column += end - i
        i = end
    return tokens, problems


def parse(text: str, directives: Collection[str] = ()) -> Corefile:
    """Parse a Corefile. ``directives`` are the plugin names: a line that starts with
    one at the top level, where a server block's keys belong, is reported as a
    directive outside any server block."""
    tokens, problems = tokenize(text)
    corefile = Corefile(tokens=tokens, problems=problems)
    if not tokens:
        problems.append(Problem(EMPTY, "the Corefile is empty (it holds no server block)", 0, 0))
        return corefile
    _Parser(corefile, frozenset(directives)).top()
    return corefile


class _Parser:
    def __init__(self, corefile: Corefile, directives: frozenset[str]) -> None:
        self.corefile = corefile
        self.tokens = corefile.tokens
        self.directives = directives
        self.i = 0
        # one finding for the braces left open at the end of the file (none after an unterminated quote,
        # which swallows the rest of the file and so the braces)
        self.at_eof_reported = any(p.code == UNTERMINATED_QUOTE for p in corefile.problems)
        self.last_close: Token | None = None  # the '}' of the last server block
        self.depth = 0

    # helpers -------------------------------------------------------------
    def new_line(self, i: int) -> bool:
        """Whether token i starts a line (it is the first token, or on a later line than the one before)."""
        return i == 0 or self.tokens[i].line > self.tokens[i - 1].end_line

    def problem(self, code: str, message: str, token: Token) -> None:
        self.corefile.problems.append(Problem(code, message, token.line, token.column))

    def unclosed(self, opener: Token, owner: str) -> None:
        if self.at_eof_reported:
            return
        self.at_eof_reported = True
        opens = sum(1 for t in self.tokens if t.is_open)
        closes = sum(1 for t in self.tokens if t.is_close)
        self.problem(UNCLOSED, f"the '{{' of {owner} is never closed ({opens} '{{' but {closes} '}}' in the "
                               "Corefile)", opener)

    # grammar -------------------------------------------------------------
    def top(self) -> None:
        tokens, n = self.tokens, len(self.tokens)
        outside = False  # in a run of directives outside any block
        while self.i < n:
            t = tokens[self.i]
            if t.is_close:
                if not outside:  # after stray directives, it is the '}' their block was meant to end with
                    if self.i == n - 1:
                        self.problem(TRAILING_CLOSE, "'}' at the end closes no open block", t)
                    else:
                        self.problem(UNEXPECTED_CLOSE, "'}' closes no open block", t)
                outside = False
                self.i += 1
                continue
            if t.text == "import" and self.new_line(self.i):
                self.i += 1
                while self.i < n and not self.new_line(self.i):
                    self.i += 1
                continue
            if t.text in self.directives and not t.quoted:
                entry = self.entry(server=True)
                self.corefile.outside.append(entry)
                if not outside:
                    closed = f" (the block above ends with the '}}' on Corefile line {self.last_close.line + 1})" \
                        if self.last_close is not None else ""
                    self.problem(OUTSIDE, f"directive {entry.describe()!r} is outside any server block{closed}", t)
                outside = True
                continue
            outside = False
            if t.is_open:  # a block without keys: the parser drops it
                self.i += 1
                block = ServerBlock([], open=t)
                block.entries, block.close = self.body(server=True)
                if block.close is None:
                    self.unclosed(t, "a block with no zone")
                continue
            block = ServerBlock([t])
            self.i += 1
            continuing = t.text.endswith(",")
            while self.i < n and not tokens[self.i].is_open and (continuing or not self.new_line(self.i)):
                key = tokens[self.i]
                if key.is_close:
                    break
                block.keys.append(key)
                continuing = key.text.endswith(",")
                self.i += 1
            self.corefile.blocks.append(block)
            if self.i < n and tokens[self.i].is_open:
                block.open = tokens[self.i]
                self.i += 1
                block.entries, block.close = self.body(server=True)
                if block.close is None:
                    what = f"snippet {block.snippet!r}" if block.snippet is not None \
                        else f"server block {block.describe()!r}"
                    self.unclosed(block.open, what)
                self.last_close = block.close
            elif self.i < n and not tokens[self.i].is_close:
                # no braces: the single server block of the file, up to a '}' or the end
                block.entries, block.close = self.body(server=True)

    def body(self, server: bool) -> tuple[list[Entry], Token | None]:
        """Entries up to the '}' that closes the block (returned), or the end of the file (None)."""
        if self.depth >= MAX_DEPTH:
            return [], self.skip()
        self.depth += 1
        try:
            return self._body(server)
        finally:
            self.depth -= 1

    def skip(self) -> Token | None:
        """Skip to the '}' that closes the block (returned), counting braces; None at the end of the file."""
        tokens, n = self.tokens, len(self.tokens)
        nesting = 0
        while self.i < n:
            t = tokens[self.i]
            self.i += 1
            if t.is_open:
                nesting += 1
            elif t.is_close:
                if nesting == 0:
                    return t
                nesting -= 1
        return None

    def _body(self, server: bool) -> tuple[list[Entry], Token | None]:
        tokens, n = self.tokens, len(self.tokens)
        entries: list[Entry] = []
        while self.i < n:
            t = tokens[self.i]
            if t.is_close:
                self.i += 1
                return entries, t
            if t.is_open:  # a block that belongs to no directive
                if server:
                    self.problem(STRAY_OPEN, "'{' opens a block that belongs to no directive", t)
                self.i += 1
                _, close = self.body(server=False)
                if close is None:
                    self.unclosed(t, "a block that belongs to no directive")
                continue
            entries.append(self.entry(server))
        return entries, None

    def entry(self, server: bool) -> Entry:
        tokens, n = self.tokens, len(self.tokens)
        entry = Entry(tokens[self.i])
        self.i += 1
        while self.i < n:
            t = tokens[self.i]
            if t.is_open:
                # the directive's block, also when its '{' starts the next line: the Caddyfile parser gives a
                # directive every '{' that follows it (a second block adds to the first)
                self.i += 1
                block, close = self.body(server=False)
                if entry.block is None:
                    entry.open, entry.block = t, block
                else:
                    entry.block.extend(block)
                entry.close = close
                if close is None:
                    self.unclosed(t, repr(entry.describe()))
                continue
            if self.new_line(self.i):
                break
            if t.is_close:
                if server:
                    self.problem(CLOSE_ON_DIRECTIVE_LINE,
                                 f"'}}' on the line of directive {entry.name.text!r}: the '}}' that closes a server "
                                 "block must be on a line of its own", t)
                break  # the enclosing block ends here
            entry.args.append(t)
            self.i += 1
        return entry
