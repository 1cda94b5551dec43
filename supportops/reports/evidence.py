"""Evidence bundles: a directory of artifacts plus a manifest of their SHA-256 hashes, the inputs'
hashes, tool version, git commit, time and operator, so edits are detectable.

The manifest (``manifest.json``, schema ``supportops.evidence-manifest/v1``) lists every file in the
bundle directory except itself. :func:`verify_bundle` re-hashes the directory and reports edited,
added and missing files. The manifest cannot vouch for itself: record its SHA-256 (printed by
``supportops evidence verify``) where the bundle is filed, and pass it back with
``--manifest-sha256`` to prove the manifest is the one that was filed, or sign it.

Signing (``--sign-key``, :mod:`supportops.reports.signing`): the manifest names its signer (a
``signing`` record), and ``manifest.sig.json`` beside it holds the signature over the manifest's
exact bytes, so every file the manifest hashes is covered. Commands that write bundles open the
signer first (a wrong key fails before any work) and hand it over with :func:`signing_bundles`.

Directories: a bundle directory is replaced as a whole, atomically, and only when it is empty, a
previous bundle holding nothing its manifest does not list, or holds only the files the new bundle
takes in. Anything else is refused, so runs never mix and nothing a user put there is deleted.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
import hashlib
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from supportops.atomic import publish_dir, staging_dir, write_text_atomic
from supportops.errors import BadInput
from supportops.findings import InputRecord, Report
from supportops.reports.formats import WRITERS, extension, writer
from supportops.reports.redaction import redact_report
from supportops.reports.signing import (
    Envelope,
    KmsClientFactory,
    Pinning,
    SignatureCheck,
    Signer,
    SignerRecord,
    invalid,
    sign_payload,
    verify_envelope,
)
from supportops.version import __version__

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "supportops.evidence-manifest/v1"
SIGNATURE_NAME = "manifest.sig.json"
MAX_SIGNATURE_BYTES = 64 * 1024

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


@dataclass(frozen=True)
class BundleRequest:
    out_dir: Path
    report: Report
    formats: tuple[str, ...] = ("json",)
    extra_files: tuple[Path, ...] = ()  # already written into out_dir (campaign files, journals ...)
    signer: Signer | None = None  # else the one given to :func:`signing_bundles`, if any


_SIGNER: contextvars.ContextVar[Signer | None] = contextvars.ContextVar("bundle_signer", default=None)


@contextlib.contextmanager
def signing_bundles(signer: Signer | None) -> Iterator[None]:
    """Every bundle written inside the block is signed by ``signer`` (commands open the signer before
    running, so the runbooks that write bundles need not know about keys)."""
    token = _SIGNER.set(signer)
    try:
        yield
    finally:
        _SIGNER.reset(token)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_input(path: Path, role: str = "") -> InputRecord:
    """An :class:`InputRecord` for a file the run read (hash it before reading it, ideally)."""
    try:
        return InputRecord(path=str(path), sha256=sha256_file(path), role=role)
    except OSError as exc:
        raise BadInput.at(path, "", f"cannot read input: {exc.strerror or exc}") from None


def write_bundle(request: BundleRequest) -> Path:
    """Write the report in each format and the manifest into a fresh sibling directory, then
    publish it at ``out_dir`` in one step; return the manifest's path.

    The bundle holds exactly the reports and ``extra_files`` (copied from ``out_dir``), so old files
    never mix into a new manifest. An existing ``out_dir`` is replaced only once the new bundle is
    complete, and only when it is empty, a previous bundle holding nothing its manifest does not
    list, or holds nothing but ``extra_files``; anything else is refused (:func:`check_bundle_dir`).
    A failure or a kill at any point leaves the previous ``out_dir`` as it was (and at most a hidden
    ``.<name>.*.tmp`` sibling).
    """
    unknown = [fmt for fmt in request.formats if fmt not in WRITERS]
    if unknown:
        raise BadInput.at("formats", "", f"unknown report format {unknown[0]!r}; known: {', '.join(WRITERS)}")
    out = request.out_dir
    extras = _extra_files(request)
    check_bundle_dir(out, set(extras))
    signer = request.signer or _SIGNER.get()
    report = redact_report(request.report)
    staged = staging_dir(out)
    try:
        for rel, source in extras.items():
            copy = staged / rel
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        for fmt in request.formats:
            writer(fmt)(report, staged / f"report.{extension(fmt)}")
        manifest = _manifest(report, staged)
        if signer is not None:
            manifest["signing"] = signer.record.model_dump(by_alias=True)
        manifest_text = json.dumps(manifest, indent=2) + "\n"  # ASCII: these are the bytes signed
        write_text_atomic(staged / MANIFEST_NAME, manifest_text)
        if signer is not None:
            envelope = sign_payload(signer, manifest_text.encode("ascii"), MANIFEST_NAME)
            write_text_atomic(staged / SIGNATURE_NAME, json.dumps(envelope.to_json(), indent=2) + "\n")
        publish_dir(staged, out, may_replace=lambda existing: _replaceable(existing, set(extras)))
    except FileExistsError:
        shutil.rmtree(staged, ignore_errors=True)
        raise BadInput.at(out, "", "the directory changed while the bundle was written; not replaced") \
            from None
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return out / MANIFEST_NAME


def check_bundle_dir(out: Path, extras: set[str] | None = None) -> None:
    """:class:`BadInput` (one line) unless a bundle may be written at ``out``: absent, empty, a previous
    bundle holding nothing its manifest does not list, or holding only ``extras``. Commands call it
    before they start, so a refusal costs no work."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BadInput.at(out, "", "the evidence bundle path exists and is not a directory")
    foreign = _foreign_files(out, extras or set()) if out.is_dir() else []
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise BadInput.at(out, "", f"the directory holds files that are not part of an evidence bundle "
                                   f"({shown}); write the bundle to a new or empty directory")


def _extra_files(request: BundleRequest) -> dict[str, Path]:
    """``extra_files`` by their path relative to the bundle directory."""
    root = request.out_dir.resolve()
    found: dict[str, Path] = {}
    for extra in request.extra_files:
        if not extra.resolve().is_relative_to(root):
            problem = f"extra evidence files must be inside the bundle directory {request.out_dir}"
            raise BadInput.at(extra, "", problem)
        if extra.is_symlink() or not extra.is_file():
            raise BadInput.at(extra, "", "extra evidence file does not exist or is not a regular file")
        found[extra.resolve().relative_to(root).as_posix()] = extra
    return found


def _replaceable(existing: Path, extras: set[str]) -> bool:
    return not _foreign_files(existing, extras)


def _foreign_files(existing: Path, extras: set[str]) -> list[str]:
    """What keeps ``existing`` from giving way to a new bundle: files that neither its previous bundle
    lists nor the new bundle takes in (an access review's campaign files). A previous bundle with a
    file added since is not replaced: that file is someone's, and deleting it is not ours to do."""
    root = existing.resolve()
    present = _bundle_files(root)
    listed: set[str] = set()
    if (root / MANIFEST_NAME).exists():
        try:
            listed = {entry.path for entry in load_manifest(root)[0].files}
        except BadInput:
            return [MANIFEST_NAME]  # some other tool's manifest.json
    elif (root / SIGNATURE_NAME).exists():
        present.add(SIGNATURE_NAME)
    return sorted(present - listed - extras)


def _manifest(report: Report, root: Path) -> dict[str, Any]:
    return {
        "schema": MANIFEST_SCHEMA,
        "kind": report.kind,
        "subject": report.subject,
        "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "reportGeneratedAt": report.generated_at,
        "tool": {"name": "supportops", "version": __version__, "gitCommit": _git("rev-parse", "HEAD") or None,
                 "gitDirty": _git_dirty()},
        "operator": _operator(),
        "inputs": [i.to_json() for i in report.inputs],
        "files": [_file_entry(root, rel) for rel in sorted(_bundle_files(root))],
    }


def _file_entry(root: Path, rel: str) -> dict[str, Any]:
    path = root / rel
    if not _is_regular(path):
        raise BadInput.at(path, "", "evidence bundles hold regular files only")
    return {"path": rel, "sha256": sha256_file(path), "bytes": path.stat().st_size}


def _is_regular(path: Path) -> bool:
    """A regular file itself, not a link to one (a link could point anywhere after verification)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


# ----------------------------------------------------------------------------------------- verify


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ManifestFile(_Strict):
    path: str = Field(min_length=1)
    sha256: Sha256
    bytes: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _relative_inside(cls, value: str) -> str:
        pure = PurePosixPath(value)
        if pure.is_absolute() or ".." in pure.parts or "\\" in value or pure.as_posix() != value:
            raise ValueError("must be a normalised relative path inside the bundle")
        if value in (MANIFEST_NAME, SIGNATURE_NAME):
            raise ValueError("the manifest cannot list itself or its signature")
        return value


class ManifestTool(_Strict):
    name: str
    version: str
    gitCommit: str | None
    gitDirty: bool | None = None  # the source tree had uncommitted changes to tracked files


class ManifestInput(_Strict):
    path: str
    sha256: str
    role: str = ""


class Manifest(_Strict):
    """The manifest as read back for verification: unknown keys are rejected."""

    schema_: Literal["supportops.evidence-manifest/v1"] = Field(alias="schema")
    kind: str
    subject: str
    createdAt: str
    reportGeneratedAt: str | None = None
    tool: ManifestTool
    operator: str
    inputs: list[ManifestInput]
    files: list[ManifestFile]
    signing: SignerRecord | None = None  # who signed (manifest.sig.json holds the signature)

    @field_validator("files")
    @classmethod
    def _unique(cls, files: list[ManifestFile]) -> list[ManifestFile]:
        seen: set[str] = set()
        for entry in files:
            if entry.path in seen:
                raise ValueError(f"{entry.path} is listed twice")
            seen.add(entry.path)
        return files


@dataclass
class VerifyResult:
    """What verification found; ``ok`` only when nothing was edited, added or missing."""

    bundle: Path
    manifest_sha256: str
    checked: int = 0
    edited: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    manifest_mismatch: bool = False  # the manifest's hash differs from the one the caller expected
    manifest: Manifest | None = None
    signature: SignatureCheck | None = None  # None: the bundle is not signed
    signature_required: bool = False  # the caller pinned a key or signer, or asked for a signature

    @property
    def files_ok(self) -> bool:
        return not (self.edited or self.added or self.missing or self.manifest_mismatch)

    @property
    def signature_ok(self) -> bool:
        return self.signature.valid if self.signature is not None else not self.signature_required

    @property
    def ok(self) -> bool:
        return self.files_ok and self.signature_ok

    def to_json(self) -> dict[str, Any]:
        tool = self.manifest.tool if self.manifest else None
        return {
            "bundle": str(self.bundle),
            "ok": self.ok,
            "manifestSha256": self.manifest_sha256,
            "manifestMismatch": self.manifest_mismatch,
            "checked": self.checked,
            "edited": self.edited,
            "added": self.added,
            "missing": self.missing,
            "createdAt": self.manifest.createdAt if self.manifest else None,
            "operator": self.manifest.operator if self.manifest else None,
            "toolVersion": tool.version if tool else None,
            "gitCommit": tool.gitCommit if tool else None,
            "gitDirty": tool.gitDirty if tool else None,
            "signed": self.signature is not None,
            "signature": self.signature.to_json() if self.signature is not None else None,
        }


def load_manifest(bundle: Path) -> tuple[Manifest, str]:
    """The bundle's manifest and its SHA-256; :class:`BadInput` when absent or malformed."""
    if not bundle.is_dir():
        raise BadInput.at(bundle, "", "not a directory (expected an evidence bundle)")
    path = bundle / MANIFEST_NAME
    if not path.is_file():
        raise BadInput.at(path, "", "no manifest: this is not an evidence bundle")
    raw = path.read_bytes()
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInput.at(path, "", f"manifest is not valid JSON: {exc}") from None
    try:
        manifest = Manifest.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise BadInput.at(path, where, f"malformed manifest: {first['msg']}{more}") from None
    return manifest, hashlib.sha256(raw).hexdigest()


def verify_bundle(
    bundle: Path,
    expected_manifest_sha256: str | None = None,
    *,
    pinning: Pinning | None = None,
    require_signature: bool = False,
    kms_for: KmsClientFactory | None = None,
) -> VerifyResult:
    """Re-hash every file of ``bundle`` against its manifest (edited, added and missing files) and
    check the manifest's signature when there is one (or when ``pinning``/``require_signature`` asks)."""
    manifest, digest = load_manifest(bundle)
    pinning = pinning or Pinning()
    required = require_signature or pinning.public_key_der is not None or pinning.expect_signer is not None
    result = VerifyResult(bundle=bundle, manifest_sha256=digest, manifest=manifest,
                          signature_required=required)
    result.signature = _check_signature(bundle, manifest, pinning, kms_for)
    if expected_manifest_sha256 is not None:
        result.manifest_mismatch = digest != expected_manifest_sha256.strip().lower()
    root = bundle.resolve()
    present = _bundle_files(root)
    for entry in manifest.files:
        path = root / entry.path
        if entry.path not in present:
            result.missing.append(entry.path)
            continue
        result.checked += 1
        if not _is_regular(path) or path.stat().st_size != entry.bytes or sha256_file(path) != entry.sha256:
            result.edited.append(entry.path)
    listed = {entry.path for entry in manifest.files}
    result.added = sorted(present - listed)
    result.edited.sort()
    result.missing.sort()
    return result


def _check_signature(bundle: Path, manifest: Manifest, pinning: Pinning,
                     kms_for: KmsClientFactory | None) -> SignatureCheck | None:
    """The verdict on ``manifest.sig.json`` (None when neither it nor a signing record exists)."""
    path = bundle / SIGNATURE_NAME
    if not path.exists() and not path.is_symlink():
        if manifest.signing is not None:
            return invalid(f"the manifest names a signer but {SIGNATURE_NAME} is missing", manifest.signing)
        return None
    if manifest.signing is None:
        return invalid(f"{SIGNATURE_NAME} is present but the manifest names no signer")
    if not _is_regular(path) or path.stat().st_size > MAX_SIGNATURE_BYTES:
        return invalid(f"{SIGNATURE_NAME} is not a regular file of at most {MAX_SIGNATURE_BYTES} bytes",
                       manifest.signing)
    try:
        envelope = Envelope.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        return invalid(f"{SIGNATURE_NAME} is malformed: {where}: {first['msg']}", manifest.signing)
    if envelope.signs != MANIFEST_NAME:
        return invalid(f"{SIGNATURE_NAME} signs something other than {MANIFEST_NAME}", manifest.signing)
    if envelope.record != manifest.signing:
        return invalid(f"{SIGNATURE_NAME} names another signer or key than the manifest does",
                       manifest.signing)
    # The exact bytes (load_manifest hashed the same file; a change between the two reads fails here).
    return verify_envelope(envelope, (bundle / MANIFEST_NAME).read_bytes(), pinning, kms_for)


def _bundle_files(root: Path) -> set[str]:
    """Everything under ``root`` except the manifest, as relative POSIX paths: files of any kind
    (temporary files such as ``.manifest.json.tmp`` included), symbolic links, and empty directories
    (as ``name/``). Verification lists whatever the manifest does not as added.
    """
    found: set[str] = set()
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(directory)
        for name in filenames:
            rel = (base / name).relative_to(root).as_posix()
            if rel not in (MANIFEST_NAME, SIGNATURE_NAME):
                found.add(rel)
        for name in dirnames:
            if (base / name).is_symlink():  # os.walk does not descend into links: report them
                found.add((base / name).relative_to(root).as_posix())
        if base != root and not filenames and not dirnames:
            found.add(base.relative_to(root).as_posix() + "/")
    return found


def _git(*args: str) -> str | None:
    """Output of a git command in the supportops source tree; None outside a checkout."""
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).resolve().parent, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _git_dirty() -> bool | None:
    status = _git("status", "--porcelain", "--untracked-files=no")
    return None if status is None else bool(status)


def _operator() -> str:
    if os.environ.get("SUPPORTOPS_OPERATOR"):  # e.g. the person behind a CI service account
        return os.environ["SUPPORTOPS_OPERATOR"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
