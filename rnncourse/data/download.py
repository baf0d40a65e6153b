"""Download, verify and cache the full datasets (only when a caller asks for them)."""

from __future__ import annotations

import hashlib
import os
import tarfile
import zipfile
from pathlib import Path

from .registry import Dataset, DatasetError, data_home, record


def origin(rec: Dataset) -> str:
    """The URL to fetch rec from: its own URL, or $RNNCOURSE_DATA_MIRROR/<filename> when set."""
    from ..config import MIRROR_VARIABLE

    mirror = os.environ.get(MIRROR_VARIABLE)
    if mirror:
        return mirror.rstrip("/") + "/" + rec.filename
    return rec.url


def file_digest(path: Path, algorithm: str) -> str:
    """Hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(path: Path, rec: Dataset) -> str | None:
    """Why the file at path is not a good copy of rec, or None when it checks out."""
    size = path.stat().st_size
    if rec.size_bytes is not None and size != rec.size_bytes:
        return f"it has {size:,} bytes, expected {rec.size_bytes:,} (truncated or a different file)"
    if rec.file_hash is not None:
        found = file_digest(path, rec.hash_algorithm)
        if found != rec.file_hash:
            return f"its {rec.hash_algorithm} is {found}, expected {rec.file_hash}"
    if path.name.endswith(".zip"):
        if not zipfile.is_zipfile(path):
            return "it is not a readable zip archive (truncated or corrupted)"
    elif path.name.endswith((".tar.gz", ".tgz")):
        try:
            with tarfile.open(path) as archive:
                archive.next()
        except (tarfile.TarError, OSError, EOFError) as error:
            return f"it is not a readable tar archive ({error})"
    return None


def _fix(rec: Dataset, path: Path) -> str:
    return f"delete it (rm '{path}') or run `rnncourse data fetch {rec.name}` to download it again"


def get(name: str, *, redownload: bool = False) -> Path:
    """Path to the verified download of a dataset, fetching it first if it is not cached.

    A cached file that fails its check raises DatasetError naming the file and the fix; with
    redownload=True (what `rnncourse data fetch` does) it is replaced instead.
    """
    rec = record(name)
    if rec.mode != "download":
        raise DatasetError(f"{name!r} is installed with a package and needs no download: {rec.loader}")
    home = data_home()
    target = home / rec.filename
    if target.exists():
        why = problem(target, rec)
        if why is None:
            return target
        if not redownload:
            raise DatasetError(f"the cached file {target} fails its check: {why}. Fix: {_fix(rec, target)}.")
        print(f"The cached file {target} fails its check ({why}); downloading it again.")
        target.unlink()
    _download(rec, target)
    return target


def _download(rec: Dataset, target: Path) -> None:
    """Fetch rec with keras.utils.get_file into a .part file, check it, then move it into place."""
    from ..config import quiet_tensorflow

    quiet_tensorflow()  # before Keras first imports TensorFlow
    from keras.utils import get_file

    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    if part.exists():
        part.unlink()  # a leftover from an interrupted run is never resumed or trusted
    url = origin(rec)
    keras_hash = rec.file_hash if rec.hash_algorithm in ("sha256", "md5") else None
    try:
        get_file(
            fname=part.name, origin=url, file_hash=keras_hash,
            hash_algorithm=rec.hash_algorithm or "auto",
            cache_dir=str(target.parent), cache_subdir=str(target.parent),
        )
    except (Exception, KeyboardInterrupt) as error:  # get_file re-raises network errors as Exception
        if part.exists():
            part.unlink()
        if isinstance(error, KeyboardInterrupt):
            raise
        text = str(error)
        if "hash does not match" in text:
            raise DatasetError(
                f"the download of {rec.name} from {url} is corrupted ({text}); nothing was kept. "
                f"Try again with `rnncourse data fetch {rec.name}`, or use the offline default: "
                f"{rec.offline_default}."
            ) from error
        if "retrieval incomplete" in text:
            raise DatasetError(
                f"the download of {rec.name} from {url} was interrupted ({text}); nothing was kept. "
                f"Try again with `rnncourse data fetch {rec.name}`, or use the offline default: "
                f"{rec.offline_default}."
            ) from error
        raise DatasetError(
            f"could not download {rec.name} from {url}: {text}. Is this machine offline? "
            f"The offline default is {rec.offline_default}. Otherwise copy {rec.filename} into "
            f"{target.parent} or set RNNCOURSE_DATA_MIRROR to a mirror that has it."
        ) from error
    why = problem(part, rec)
    if why is not None:
        part.unlink()
        raise DatasetError(
            f"the download of {rec.name} from {url} is not right: {why}; nothing was kept. "
            f"Try again with `rnncourse data fetch {rec.name}`, or use the offline default: "
            f"{rec.offline_default}."
        )
    os.replace(part, target)


def extract(name: str, archive: Path, member_prefix: str, skip: tuple[str, ...] = ()) -> Path:
    """Extract a tar archive once (into a temporary folder renamed when complete); return its folder."""
    final = archive.parent / member_prefix.strip("/")
    if final.is_dir():
        return final
    staging = archive.parent / (final.name + ".extracting")
    if staging.exists():
        import shutil

        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        members = [m for m in tar if not any(m.name.startswith(s) for s in skip)]
        tar.extractall(staging, members=members, filter="data")
    os.replace(staging / final.name, final)
    staging.rmdir()
    return final


def fetch(name: str) -> Path | None:
    """Download a full dataset ahead of class (replacing a bad cached copy); None for offline sets."""
    rec = record(name)
    if rec.mode != "download":
        from .registry import require

        if rec.package:
            require(rec.package)
        print(f"{name} is offline (installed or generated); nothing to download. Load it with {rec.loader}.")
        return None
    path = get(name, redownload=True)
    print(f"{name}: {path}")
    return path
