"""budgetaudit.lazymodules: a deferred module runs its code on first use, once.

Each test writes a small package into tmp_path whose package file records
that it ran (in the module `lazy_trace`), registers it with defer() and then
imports it the ways pdfminer's own modules do.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from budgetaudit import lazymodules
from edits import KASHI, SAMPLES


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A fresh package name in tmp_path: <name>/__init__.py records its run
    and sets `value`; <name>/sub.py and <name>/other.py import each other's way."""
    name = f"lazypkg_{tmp_path.name.replace('-', '_')}"
    root = tmp_path / name
    root.mkdir()
    (tmp_path / "lazy_trace.py").write_text("runs = []\n")
    (root / "__init__.py").write_text(textwrap.dedent("""
        import lazy_trace
        lazy_trace.runs.append(__name__)
        value = 42
    """))
    (root / "sub.py").write_text(f"from {name} import other\nanswer = other.answer + 1\n")
    (root / "other.py").write_text("answer = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")
                or k == "lazy_trace"]:
        del sys.modules[key]


def runs() -> list:
    import lazy_trace

    return lazy_trace.runs


def test_submodules_import_without_running_the_package_file(package):
    lazymodules.defer(package)
    sub = __import__(f"{package}.sub", fromlist=["answer"])
    assert sub.answer == 2
    assert lazymodules.is_deferred(package)
    assert runs() == []


def test_the_first_other_attribute_runs_the_package_file_once(package):
    lazymodules.defer(package)
    __import__(f"{package}.sub")
    module = sys.modules[package]
    assert module.value == 42
    assert module.value == 42 and module.sub.answer == 2
    assert runs() == [package]
    assert not lazymodules.is_deferred(package)
    with pytest.raises(AttributeError):
        module.missing


def test_a_failing_package_file_fails_as_its_import_would(package, tmp_path):
    (tmp_path / package / "__init__.py").write_text("raise RuntimeError('broken')\n")
    lazymodules.defer(package)
    with pytest.raises(RuntimeError, match="broken"):
        sys.modules[package].anything
    assert package not in sys.modules
    with pytest.raises(RuntimeError, match="broken"):
        __import__(package)


def test_imported_missing_or_dotted_modules_are_left_alone(package):
    __import__(package)
    lazymodules.defer(package, "no_such_module_anywhere", "os.path")
    assert not lazymodules.is_deferred(package)
    assert "no_such_module_anywhere" not in sys.modules
    assert runs() == [package]


def test_reading_a_pdf_leaves_pdfminers_extras_unloaded():
    """In a fresh process: a PDF is read without importlib.metadata (pdfminer's
    package file) or charset_normalizer (pdfminer.utils' fallback), and both
    still work when asked for."""
    script = textwrap.dedent(f"""
        import sys
        from budgetaudit.load import load
        assert load({str(SAMPLES / f"{KASHI}.pdf")!r}).lines
        print("importlib.metadata" in sys.modules, "charset_normalizer.api" in sys.modules)
        import pdfminer, charset_normalizer
        print(pdfminer.__version__ != "", charset_normalizer.detect(b"abc")["encoding"])
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "ascii"]


def test_inspect_and_ipaddress_wait_until_something_reads_them():
    """budgetaudit defers the two standard modules that start-up imports for a
    use a check never makes; the first real use loads them as usual."""
    code = textwrap.dedent("""
        import sys
        early = [name for name in ("inspect", "ipaddress") if name in sys.modules]
        import budgetaudit, budgetaudit.model, budgetaudit.engine.checks, budgetaudit.extract.facts
        from urllib.parse import urlsplit
        before = [type(sys.modules[name]).__name__ for name in ("inspect", "ipaddress")]
        host = urlsplit("http://[::1]:8080/x").hostname
        import inspect
        parameters = list(inspect.signature(lambda a, b=1: None).parameters)
        after = [type(sys.modules[name]).__name__ for name in ("inspect", "ipaddress")]
        print(early, before, host, parameters, after, sep="|")
    """)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    early, before, host, parameters, after = completed.stdout.strip().split("|")
    # an editable install's import hook may import pathlib (and so ipaddress) at start-up
    expected = ["module" if name in early else "_Deferred" for name in ("inspect", "ipaddress")]
    assert before == str(expected) and "inspect" not in early
    assert host == "::1" and parameters == "['a', 'b']" and after == "['module', 'module']"


@pytest.fixture
def heavy(tmp_path, monkeypatch):
    """<name>/engine.py records its run and defines Box and make(); user.py and
    early.py take those names with `from … import`, as pdfminer takes AES."""
    name = f"heavy_{tmp_path.name.replace('-', '_')}"
    root = tmp_path / name
    root.mkdir()
    (tmp_path / "lazy_trace.py").write_text("runs = []\n")
    (root / "__init__.py").write_text("")
    (root / "engine.py").write_text(textwrap.dedent("""
        import lazy_trace
        lazy_trace.runs.append(__name__)

        class Box:
            size = 3

        def make(value):
            return Box, value * 2
    """))
    for user in ("user", "early"):
        (root / f"{user}.py").write_text(f"from {name}.engine import Box, make\n"
                                         "def use(value):\n    return make(value), Box.size\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")
                or k == "lazy_trace"]:
        del sys.modules[key]


def test_names_stand_in_until_first_used(heavy):
    engine = f"{heavy}.engine"
    with lazymodules.stand_ins({engine: ("Box", "make")}):
        user = __import__(f"{heavy}.user", fromlist=["use"])
    assert engine not in sys.modules and runs() == []  # the stand-in is gone, unrun
    (made, value), size = user.use(5)
    assert value == 10 and size == 3 and runs() == [engine]
    real = sys.modules[engine]
    assert made is real.Box  # the real class, not a stand-in


def test_a_stand_in_used_while_standing_and_modules_already_there(heavy):
    engine = f"{heavy}.engine"
    with lazymodules.stand_ins({engine: ("Box", "make")}):
        early = __import__(f"{heavy}.early", fromlist=["use"])
        assert early.use(1)[1] == 3  # no loop through the stand-in
    assert runs() == [engine]
    with lazymodules.stand_ins({engine: ("Box", "make")}):  # imported already: left alone
        assert sys.modules[engine].Box.size == 3
    with lazymodules.stand_ins({"no_such_package_here.engine": ("Box",)}):
        assert "no_such_package_here.engine" not in sys.modules


def test_reading_a_pdf_leaves_cryptography_unloaded_and_aes_working():
    """pdfminer's AES names stand in during a PDF check; pdfminer's own AES-256
    code then encrypts and decrypts through them as with the real names."""
    code = textwrap.dedent(f"""
        import sys
        from budgetaudit.load import load
        load({str(SAMPLES / (KASHI + '.pdf'))!r})
        loaded = [name for name in sys.modules if name.startswith("cryptography")]
        from pdfminer.pdfdocument import PDFStandardSecurityHandlerV5 as V5
        handler = object.__new__(V5)
        handler.key, iv = bytes(range(32)), bytes(16)
        text = b"2024 budget 1133.15" + bytes([13]) * 13  # padded to 32 bytes
        sealed = handler._aes_cbc_encrypt(handler.key, iv, text)
        opened = handler.decrypt_aes256(1, 0, iv + sealed)
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        direct = Cipher(algorithms.AES(handler.key), modes.CBC(iv)).encryptor()
        print(loaded, sealed == direct.update(text) + direct.finalize(), opened == text[:19])
    """)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["[]", "True", "True"]
