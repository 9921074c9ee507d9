"""Code Python builds at every start, built once and kept between runs: the
generated methods of dataclasses and the compiled regular expressions.

When a dataclass is created, the dataclasses module writes the source of its
__init__, __repr__, __eq__, __hash__ (and, frozen, __setattr__ and
__delattr__) and compiles it with exec(). For the package's sixty dataclasses
that compilation was a quarter of the time the package took to import. The
code compiled depends only on that source text and on the Python version, so
it is kept in the cache folder (budgetaudit.cache) in marshal format, the one
of Python's own .pyc files, and the next run executes it without compiling.

The dataclasses module calls exec by its global name; `install` gives that
module an exec that looks the source up first. What runs is the same code
exec would have compiled from the same text, so behaviour does not change;
on a Python whose dataclasses no longer call exec so, the lookup is simply
never used. The file is one per Python version, read only when it is the
user's own (cache.private) and written whole (write, then rename); a file
that cannot be read back is ignored and replaced.

Regular expressions likewise: the re module parses a pattern and translates
it into the program of its matching engine in Python code, which for the
two hundred patterns a check compiles cost more again; the program is a list
of numbers. `install` also keeps, for each pattern and flags compiled, the
arguments re passed to its engine, and the next run passes the same ones
(the engine checks a program before it accepts it). The pattern object is
the one re would have made; a Python whose re builds patterns otherwise, or
an engine that refuses the arguments, means re compiles as it always does.
"""
from __future__ import annotations

import builtins
import marshal
import sys
from _thread import get_ident
from types import CodeType

_CODES: dict = {}  # source text -> code object
_PATTERNS: dict = {}  # (pattern, flags) -> the arguments of the engine's compile
_STATE = {"loaded": 0, "compiled": 0, "patterns_loaded": 0, "patterns_compiled": 0}
_MAGIC = b"budgetaudit-code-2\n"
_MAX_ENTRIES = 4000
_ORIGINAL: dict = {}  # re's own compile and engine, once installed


def _header() -> bytes:
    """What the kept code is valid for: this Python build, its marshal format and the
    program format of its regular-expression engine."""
    import _sre

    stamp = f"{sys.version}\0{marshal.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0"
    return _MAGIC + stamp.encode("utf-8", "replace")


def _file():
    from budgetaudit.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"code-{sys.implementation.cache_tag}.marshal"


def _exec(source, globals=None, locals=None, /, **options):
    """builtins.exec, with a source text compiled before taken from the cache."""
    if globals is None:  # exec's default: the caller's namespaces, not this function's
        caller = sys._getframe(1)
        globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
    if type(source) is str and not options:
        code = _CODES.get(source)
        if code is None:
            # flags and optimisation as exec has them for the dataclasses module
            code = compile(source, "<string>", "exec", dont_inherit=True)
            _CODES[source] = code
            _STATE["compiled"] += 1
        return builtins.exec(code, globals, locals)
    return builtins.exec(source, globals, locals, **options)


def install() -> None:
    """Let the dataclasses module run kept code, and re make kept patterns; once
    per process."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is _exec:
        return
    if "exec" in vars(dataclasses):
        return  # somebody else's exec there: leave it alone
    _load()
    dataclasses.exec = _exec
    _install_patterns()
    import atexit

    atexit.register(save)


class _Engine:
    """re's matching engine (_sre) as re's compiler sees it, noting the arguments
    of the last pattern it made."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.last = None

    def __getattr__(self, name: str):
        return getattr(self.engine, name)

    def compile(self, *arguments):
        self.last = (get_ident(), arguments)  # which thread's pattern it was
        return self.engine.compile(*arguments)


def _install_patterns() -> None:
    try:
        try:
            from re import _compiler
        except ImportError:  # Python 3.10
            import sre_compile as _compiler
        engine = _compiler._sre
        original = _compiler.compile
        debug = int(_compiler.SRE_FLAG_DEBUG)
    except (ImportError, AttributeError):
        return  # a Python whose re is built otherwise
    if isinstance(engine, _Engine):
        return
    noting = _Engine(engine)

    def compile_kept(p, flags=0):
        if type(p) is not str or int(flags) & debug:
            return original(p, flags)
        key = (p, int(flags))
        arguments = _PATTERNS.get(key)
        if arguments is not None:
            try:
                return engine.compile(*arguments)
            except Exception:  # noqa: BLE001 - refused: compile as re does
                del _PATTERNS[key]
        noting.last = None
        pattern = original(p, flags)
        last = noting.last
        kept = _keepable(last[1], p) if last is not None and last[0] == get_ident() else None
        if kept is not None:
            _PATTERNS[key] = kept
            _STATE["patterns_compiled"] += 1
        return pattern

    _compiler._sre = noting
    _compiler.compile = compile_kept
    _ORIGINAL.update(compile=original, engine=engine)


def _keepable(arguments, source: str):
    """The engine's arguments in plain types (marshal's), or None."""
    try:
        pattern, flags, code, groups, groupindex, indexgroup = arguments
        if pattern != source:
            return None
        return (pattern, int(flags), [int(c) for c in code], int(groups),
                {str(k): int(v) for k, v in dict(groupindex).items()},
                tuple(None if g is None else str(g) for g in indexgroup))
    except (TypeError, ValueError):
        return None


def _load() -> None:
    from budgetaudit.cache import read_private

    file = _file()
    data = None if file is None else read_private(file)
    header = _header()
    if data is None or not data.startswith(header):
        return
    try:
        codes = marshal.loads(data[len(header):])
    except (EOFError, ValueError, TypeError):
        return
    if not isinstance(codes, tuple) or len(codes) != 2:
        return
    codes, patterns = codes
    if isinstance(codes, dict) and all(type(k) is str and type(v) is CodeType
                                       for k, v in codes.items()):
        _CODES.update(codes)
        _STATE["loaded"] = len(codes)
    if isinstance(patterns, dict) and all(type(k) is tuple and type(v) is tuple and len(v) == 6
                                          for k, v in patterns.items()):
        _PATTERNS.update(patterns)
        _STATE["patterns_loaded"] = len(patterns)


def save() -> None:
    """Write the cache when this run compiled something new (at exit)."""
    if not (_STATE["compiled"] or _STATE["patterns_compiled"]):
        return
    file = _file()
    if file is None:
        return
    from budgetaudit.cache import write_private

    codes = _CODES if len(_CODES) <= _MAX_ENTRIES else {}
    patterns = _PATTERNS if len(_PATTERNS) <= _MAX_ENTRIES else {}
    try:
        payload = _header() + marshal.dumps((codes, patterns))
    except ValueError:  # an object marshal cannot write
        return
    if write_private(file.parent, file.name, payload):
        _STATE["compiled"] = _STATE["patterns_compiled"] = 0


def stats() -> dict:
    """Entries read from the cache and compiled in this process (for tests and benchmarks)."""
    return dict(_STATE)
