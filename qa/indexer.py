"""Seeds folder → index folder: read, split, embed and store, re-embedding only what changed.

Each document's content hash is kept in the manifest, with its file's size, times and inode; a
later build reads only the files whose stats changed, re-embeds the documents that are new or
changed, drops the removed ones, and copies every other vector as it was.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import numpy as np

from .corpus import Corpus
from .embed import ENCODERS, Encoder, load_encoder, model_source, model_words
from .errors import IndexProblem, InputError, ModelError, SeedsError, first_few, unknown_document
from .formats import MAX_FILE_BYTES, READERS_VERSION, Unreadable, read_document, supported_suffixes
from .formats.common import content_hash
from .ingest import (
    OTHER_DOCUMENTS,
    Skipped,
    Unread,
    doc_id_for,
    file_stats,
    fingerprint,
    left_out_documents,
    read_documents,
    read_file,
    seed_files,
    settled,
)
from .lexical import VERSION as LEXICAL_VERSION
from .lexical import Lexical
from .records import Document, id_key
from .split import SPLITTER, split_document
from .store import (
    FORMAT_VERSION,
    MANIFEST,
    Manifest,
    commit,
    discard,
    existing_manifest,
    load,
    locked,
    new_data_folder,
    read_manifest,
    refuse_a_file,
    refuse_foreign,
    write_manifest,
)
from .vectors import VectorIndex, index_kind

log = logging.getLogger("qa")


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    index: Path
    documents: int
    sentences: int
    embedded: int  # sentences whose vectors were computed in this build
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    seconds: float
    manifest: Manifest
    refused: tuple[Skipped, ...] = ()  # add_files: files not added, each with why, for the caller to tell
    uploaded: tuple[str, ...] = ()  # add_files: the ids of the files it copied in, in the order given


def pipeline() -> str:
    """What turns text into index entries, besides the model: a change re-splits everything."""
    return f"{SPLITTER}; lexical {LEXICAL_VERSION}; readers {READERS_VERSION}; format {FORMAT_VERSION}"


def seeds_hash(documents: Sequence[Document | Unread]) -> str:
    h = hashlib.sha256()
    for doc in sorted(documents, key=lambda d: d.doc_id):
        h.update(f"{doc.doc_id}\0{doc.content_hash}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Plan:
    """Which documents a build must embed, and which it drops."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    @classmethod
    def between(cls, old: dict[str, str], documents: Sequence[Document | Unread]) -> Plan:
        new = {d.doc_id: d.content_hash for d in documents}
        return cls(
            added=tuple(sorted(d for d in new if d not in old)),
            changed=tuple(sorted(d for d in new if d in old and old[d] != new[d])),
            removed=tuple(sorted(set(old) - set(new))),
        )


def _listed(skipped: list[Skipped], most: int = 3) -> str:
    """The first few skipped files with why: the library logs each, but a caller may not show logs."""
    return first_few([f"{skip.path} ({skip.reason})" for skip in skipped], most, "; ")


def build_index(
    seeds: str | Path = "seeds",
    index: str | Path = "index",
    model: str = "bundled",
    encoder: str | Encoder = "auto",
    cache: str | Path | None = None,
    full: bool = False,
    progress: bool | None = None,
) -> BuildReport:
    """Bring the index in line with the seeds folder; `full` re-embeds everything.

    progress: True shows a bar, False never, None shows it when stderr is a terminal.
    """
    seeds, index = Path(seeds), Path(index)
    check_place(index, seeds)
    refuse_foreign(index)  # before reading: the seeds' warnings came first, then the refusal
    started = time.perf_counter()
    taken = time.time_ns()
    stats = file_stats(seeds)  # before reading: a file changed while it is read is seen next time
    seen = fingerprint(seeds, stats)
    last = _last_read(index)
    documents, skipped = _read(seeds, None if full else last, stats)
    _say_other_folder(index, seeds, last, documents)
    given = None if isinstance(encoder, str) else encoder
    source = model_source(model)
    with locked(index):
        previous = None if full else _reusable(index, given.model if given else source.name, encoder)
        # Every document is split again; or another build has committed since the files were
        # looked at, and holds another content for a file left unread.
        known = previous.document_hashes if previous else {}
        if any(isinstance(doc, Unread) and known.get(doc.doc_id) != doc.content_hash for doc in documents):
            documents, skipped = _each_read(seeds, documents, skipped, stats)
        plan = Plan.between(known, documents)
        if previous and not (plan.added or plan.changed or plan.removed):
            # Nothing to embed or index again, only the seeds' record to bring up to date (a file
            # touched, the folder moved): a new data folder cost a whole lexical build each time.
            seeds_now = {
                "seeds": str(seeds.resolve()),
                "seeds_fingerprint": seen,
                "document_stats": settled(stats, taken),
            }
            manifest = previous
            if any(getattr(previous, key) != value for key, value in seeds_now.items()):
                manifest = write_manifest(index, replace(previous, **seeds_now))
            return BuildReport(
                index=index,
                documents=manifest.documents,
                sentences=manifest.sentences,
                embedded=0,
                added=(),
                changed=(),
                removed=(),
                skipped=tuple(skipped),
                seconds=time.perf_counter() - started,
                manifest=manifest,
            )
        work = plan  # what is embedded: every document, if the back end changes
        enc = given
        if enc is None and (previous is None or plan.added or plan.changed):
            enc = _build_encoder(index, model, source.name, str(encoder), _cache_path(cache))
        if previous and enc and enc.kind != previous.encoder:
            log.info(
                "re-embedding every document: the index was built by %s, this build uses %s", previous.encoder, enc.kind
            )
            previous = None  # another back end: its vectors differ
            documents, skipped = _each_read(seeds, documents, skipped, stats)
            work = Plan.between({}, documents)
        reused = None if previous or full or enc is None else _earlier_vectors(index, enc)
        staging = new_data_folder(index)
        try:
            dictionary = enc.words if enc else model_words(source)
            report = _build(index, staging, documents, work, previous, enc, dictionary, reused, progress)
            manifest = commit(
                index,
                staging,
                Manifest(
                    format=FORMAT_VERSION,
                    model=enc.model if enc else previous.model,
                    model_ref=source.ref if given is None else given.ref,
                    encoder=enc.kind if enc else previous.encoder,
                    dimension=enc.dim if enc else previous.dimension,
                    documents=report.documents,
                    sentences=report.sentences,
                    seeds=str(seeds.resolve()),
                    seeds_hash=seeds_hash(documents),
                    seeds_fingerprint=seen,
                    data="",
                    index_kind=report.index_kind,
                    pipeline=pipeline(),
                    built=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    document_hashes={d.doc_id: d.content_hash for d in documents},
                    document_stats=settled(stats, taken),
                ),
            )
        except BaseException:
            discard(staging)
            raise
    return BuildReport(
        index=index,
        documents=report.documents,
        sentences=report.sentences,
        embedded=report.embedded,
        added=plan.added,
        changed=plan.changed,
        removed=plan.removed,
        skipped=tuple(skipped),
        seconds=time.perf_counter() - started,
        manifest=manifest,
    )


def _last_read(index: Path) -> Manifest | None:
    """The manifest of the index's last build, if it can be read, for what it says of the
    files it read; whether its vectors can be reused is decided under the lock."""
    try:
        return existing_manifest(index)
    except IndexProblem:
        return None


def _say_other_folder(index: Path, seeds: Path, last: Manifest | None, documents: Sequence[Document | Unread]) -> None:
    """A warning when the index was built from another folder and this build drops documents
    of it: `qa index --seeds coll/council` over an index of `coll` removed ten in silence."""
    if last is None or Path(last.seeds) == seeds.resolve():
        return
    now = {doc.doc_id for doc in documents}
    dropped = [doc_id for doc_id in last.document_hashes if doc_id not in now]
    if dropped:
        log.warning(
            "the index in %s was built from %s; built from %s now, it drops %s of its %d documents (%s); "
            "build in another --index folder to keep both",
            index, last.seeds, seeds.resolve(), len(dropped), len(last.document_hashes), first_few(dropped, 3),
        )  # fmt: skip


def _read(seeds: Path, last: Manifest | None, stats: dict[str, str]) -> tuple[list[Document | Unread], list[Skipped]]:
    """The seeds' documents, leaving unread those whose stats (size, times, inode) are as when
    the `last` build read them; SeedsError if there are none."""
    known = last.document_stats if last else {}
    unchanged = {
        doc_id: last.document_hashes[doc_id]
        for doc_id, stat in stats.items()
        if known.get(doc_id) == stat and doc_id in last.document_hashes
    }
    documents, skipped = read_documents(seeds, unchanged)
    if not documents:
        raise SeedsError(
            f"no readable documents in {seeds}: add {', '.join(supported_suffixes())} files"
            + (f"; skipped: {_listed(skipped)}" if skipped else "")
        )
    return documents, skipped


def _each_read(
    seeds: Path, documents: list[Document | Unread], skipped: list[Skipped], stats: dict[str, str]
) -> tuple[list[Document | Unread], list[Skipped]]:
    """The documents with none left unread, for a build that embeds or splits them all: the
    unread files read (the others' warnings not given again); all of them read afresh if one
    cannot be read now."""
    read: list[Document | Unread] = []
    for doc in documents:
        if isinstance(doc, Unread):
            try:
                doc = read_file(seeds, seeds / doc.doc_id)
            except Unreadable:  # changed since it was looked at
                return _read(seeds, None, stats)
        read.append(doc)
    return read, skipped


def _build_encoder(index: Path, model: str, model_name: str, encoder: str, cache: Path | None) -> Encoder:
    """The encoder for a build. "auto" keeps the back end the index was built with, if the model
    is the same, even when the index is rebuilt for a newer qa (its vectors are then reused): a
    build after `--encoder onnx-int8` re-embedded everything with OpenVINO. If that back end
    cannot run here, "auto" chooses as for a new index."""
    try:
        built = existing_manifest(index) if encoder == "auto" else None
    except IndexProblem:  # damaged: rebuilt from scratch, as a new one
        built = None
    if built is not None and built.model == model_name and built.encoder in ENCODERS:
        try:
            return load_encoder(model, built.encoder, cache)
        except ModelError as exc:
            log.warning("building with another back end than the index's %s: %s", built.encoder, exc)
    return load_encoder(model, encoder, cache)


def _cache_path(cache: str | Path | None) -> Path | None:
    return Path(cache).expanduser() if cache else None


def _reusable(index: Path, model_name: str, encoder: str | Encoder) -> Manifest | None:
    """The current manifest if its vectors can be reused for this model and back end."""
    if not (index / MANIFEST).exists():
        return None
    try:
        manifest = read_manifest(index)
        kind = encoder if isinstance(encoder, str) else encoder.kind
        if manifest.model != model_name or kind not in ("auto", manifest.encoder) or manifest.pipeline != pipeline():
            return None  # decided before opening it: _earlier_vectors opens an index of an older qa once
        load(index, manifest).corpus.close()
    except IndexProblem as exc:
        log.warning("re-embedding every document: the current index cannot be reused (%s)", exc)
        return None
    return manifest


def _earlier_vectors(index: Path, enc: Encoder) -> dict[str, np.ndarray] | None:
    """The vectors of the index as it is, by sentence text, when the same model and back end
    made them: an index built by an older qa (another splitter, reader or lexical version)
    re-splits every document, but a sentence whose text is unchanged keeps its vector rather
    than being embedded again (at a million sentences, 20 minutes)."""
    try:
        manifest = read_manifest(index) if (index / MANIFEST).exists() else None
        if manifest is None or (manifest.model, manifest.encoder, manifest.dimension) != (enc.model, enc.kind, enc.dim):
            return None
        old = load(index, manifest)
    except IndexProblem:
        return None
    try:
        ids, texts = old.corpus.all_texts()
        return dict(zip(texts, old.vectors.vectors(ids)))
    finally:
        old.corpus.close()


@dataclass(frozen=True)
class _Written:
    documents: int
    sentences: int
    embedded: int
    index_kind: str


def _build(
    index: Path,
    staging: Path,
    documents: Sequence[Document | Unread],
    plan: Plan,
    previous: Manifest | None,
    enc: Encoder | None,
    dictionary: frozenset[str],
    reused: dict[str, np.ndarray] | None = None,
    progress: bool | None = None,
) -> _Written:
    """Write the complete data folder for documents into staging; `reused` holds vectors of
    sentence texts that need no embedding, and a changed document's unchanged sentences add
    theirs."""
    corpus_path = staging / "corpus.sqlite"
    if previous:
        old = load(index, previous, writable=True)
        old.corpus.close()
        _copy_sqlite(old.folder / "corpus.sqlite", corpus_path)
        vectors = old.vectors
    else:
        vectors = VectorIndex.empty(enc.dim)
    corpus = Corpus(corpus_path)
    try:
        reused = dict(reused or {})
        fresh = set(plan.added + plan.changed)
        split = [(doc, split_document(doc)) for doc in documents if doc.doc_id in fresh]
        texts = [s.text for _, sents in split for s in sents]
        # A changed document's sentences left as they were keep their vectors: a line added to a
        # book embedded the whole book again. So do a removed one's, for a file moved or renamed
        # (removed under one id, added under another). Only those the build will use are taken:
        # a folder of a million sentences deleted loaded them all.
        wanted = set(texts) - set(reused)
        for doc_id in plan.changed + plan.removed if wanted else ():
            ids, old_texts = corpus.document_texts(doc_id)
            keep = [i for i, text in enumerate(old_texts) if text in wanted]
            reused.update(zip((old_texts[i] for i in keep), vectors.vectors(ids[keep])))
        for doc_id in plan.removed + plan.changed:
            vectors.remove(corpus.remove(doc_id))
        matrix, embedded = _vectors(enc, texts, reused, progress)
        first, row = corpus.next_id(), 0
        for doc, sents in split:
            ids = corpus.add(doc, sents, first)
            vectors.add(ids, matrix[row : row + len(sents)])
            first, row = first + len(sents), row + len(sents)
        corpus.commit()

        ids, all_texts = corpus.all_texts()
        if vectors.size != len(ids):
            raise IndexProblem(
                f"the index in {index} holds {vectors.size} vectors for {len(ids)} sentences; "
                "rebuild it with `qa index --full`"
            )
        vectors = vectors.resized(index_kind(len(ids)))
        lexical = Lexical.build(ids, all_texts, corpus.layout().paragraph_numbers(), corpus.sections(), dictionary)
        lexical.save(staging / "lexical")
        vectors.save(staging / "vectors.faiss")
        return _Written(len(corpus.documents()), len(ids), embedded, vectors.kind)
    finally:
        corpus.close()


def _vectors(
    enc: Encoder | None, texts: list[str], reused: dict[str, np.ndarray], progress: bool | None
) -> tuple[np.ndarray, int]:
    """A vector per text, embedding only those `reused` lacks; and how many were embedded."""
    todo = [i for i, text in enumerate(texts) if text not in reused]
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    matrix = np.empty((len(texts), enc.dim), dtype=np.float32)
    if todo:
        matrix[todo] = _embed(enc, [texts[i] for i in todo], progress)
    done = [i for i, text in enumerate(texts) if text in reused]
    if done:
        matrix[done] = np.stack([reused[texts[i]] for i in done])
    return matrix, len(todo)


def _embed(enc: Encoder, texts: list[str], progress: bool | None) -> np.ndarray:
    from tqdm.auto import tqdm  # here: a question's check of the seeds imports this module

    quiet = None if progress is None else not progress
    with tqdm(total=len(texts), desc="Embedding sentences", unit="sent", disable=quiet, leave=False) as bar:
        return enc.encode(texts, progress=bar.update)


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy even while another process reads the source."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


UPLOADS = "uploads"  # files added through `qa add` or the chat land in seeds/uploads/
_SAFE_NAME = re.compile(r"[^\w. -]+")


def safe_name(name: str) -> str:
    """A file name that cannot leave its folder: no separators, no leading dots, no controls."""
    base = PurePath(name.replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    stem = _SAFE_NAME.sub("-", stem if dot else base).strip(" .-") or "document"
    suffix = _SAFE_NAME.sub("", suffix).lower() if dot else ""
    return f"{stem[:120]}.{suffix}" if suffix else stem[:120]


def add_files(
    files: list[str | Path],
    seeds: str | Path = "seeds",
    index: str | Path = "index",
    names: list[str] | None = None,
    progress: bool | None = None,
    encoder: str | Encoder = "auto",
    model: str | None = None,
    replace_different: bool = False,
) -> BuildReport:
    """Copy files into seeds/uploads/ and index them (only they are embedded).

    names: the names to store them under (an upload's original names); default their own.
    encoder: an already-loaded encoder saves loading the model again.
    model: default the one the index was built with, so the rest is not embedded again.
    replace_different: a file stored under the same name with other contents is replaced;
    by default the new one is refused (two people's "report.pdf" are not one document).
    A file qa cannot read (its type, binary, empty, over MAX_FILE_BYTES...) or that the
    collection already holds under another name is not copied: the others are added, and the
    report's `refused` says why it was not; if none can be, InputError.
    """
    seeds = Path(seeds)
    refuse_a_file(Path(index))  # before any file is copied into the seeds folder
    refuse_foreign(Path(index))
    names = names or [str(f) for f in files]
    held = _held_contents(seeds)
    stored = {doc_id for ids in held.values() for doc_id in ids}
    plan: list[tuple[Path, str]] = []
    refused: list[Skipped] = []
    for source, name in zip(files, names):
        source, target_name = Path(source), safe_name(name)
        try:
            digest = _check_addable(source, target_name)
        except InputError as exc:
            refused.append(Skipped(name, str(exc)))
            continue
        doc_id = f"{UPLOADS}/{target_name}"
        twins = held.setdefault(digest, set())
        if doc_id in stored and doc_id not in twins and not replace_different:
            refused.append(Skipped(name, f"another file is already stored as {doc_id}: {KEEP_OR_REPLACE}"))
            continue
        if twins and doc_id not in twins:
            refused.append(Skipped(name, f"the same file is already in the collection as {min(twins)}"))
            continue
        if any(target_name == taken for _, taken in plan):
            raise InputError(f"{name}: two files would both be stored as uploads/{target_name}; rename one")
        twins.add(doc_id)
        plan.append((source, target_name))
    if not plan:
        raise InputError("nothing was added: " + "; ".join(f"{r.path}: {r.reason}" for r in refused))
    folder = seeds / UPLOADS
    for source, target_name in plan:
        target = folder / target_name
        if target.resolve().parent != folder.resolve():
            raise InputError(f"{target_name}: not a plain file name")
        tmp = folder / f".{target_name}.part"
        with _writing(folder, tmp):
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
    report = build_index(seeds, index, model=model or _model_of(Path(index)), encoder=encoder, progress=progress)
    uploaded = tuple(dict.fromkeys(f"{UPLOADS}/{target_name}" for _, target_name in plan))
    return replace(report, refused=tuple(refused), uploaded=uploaded)


KEEP_OR_REPLACE = "rename this one to keep both, or remove that one first to replace it"


def _held_contents(seeds: Path) -> dict[str, set[str]]:
    """The ids of the files of the seeds folder, by content hash: the build after the copy
    would skip a twin of any (hashed now, not taken from the manifest: a file may have changed
    since the last build)."""
    held: dict[str, set[str]] = {}
    for path in seed_files(seeds) if seeds.is_dir() else ():
        held.setdefault(content_hash(path.read_bytes()), set()).add(doc_id_for(seeds, path))
    return held


def _check_addable(source: Path, target_name: str) -> str:
    """The file's content hash; InputError saying why qa would not index it (what the build
    would skip is not kept: it would warn on every build after)."""
    suffix = Path(target_name).suffix.lower()
    if suffix in OTHER_DOCUMENTS:
        raise InputError(f"qa does not read {suffix} files; save it as .docx, .pdf, .html or .txt and add that")
    if suffix not in supported_suffixes():
        kinds = ", ".join(supported_suffixes())
        raise InputError(f"qa does not read {suffix or 'files without a suffix'} files (it reads {kinds})")
    size = source.stat().st_size if source.is_file() else -1
    if size < 0:
        raise InputError("not a file")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{size / 2**20:.1f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    try:
        return read_document(source.read_bytes(), target_name).content_hash
    except Unreadable as exc:
        raise InputError(f"cannot be read ({exc})") from None


def remove_document(doc_id: str, seeds: str | Path = "seeds", index: str | Path = "index") -> BuildReport:
    """Delete a document's file from the seeds folder and drop it from the index; also a file
    the index skipped (unreadable, or a copy of another) or left out (an .odt), which is warned
    about at every build until it is gone. `doc_id` is the id exactly as listed (its path in
    the seeds folder); a skipped link is removed itself, never the file it points to."""
    seeds = Path(seeds)
    refuse_a_file(Path(index))
    manifest = existing_manifest(Path(index))
    if manifest is None:
        raise InputError(f"no index in {index}: nothing to remove from")
    indexed = manifest.document_hashes
    files = [*seed_files(seeds), *left_out_documents(seeds)] if seeds.is_dir() else []
    listed = {doc_id_for(seeds, p) for p in files}
    if doc_id not in listed | set(indexed):  # typed with the other Unicode form of its accents
        doc_id = next((d for d in sorted(listed | set(indexed)) if id_key(d) == id_key(doc_id)), doc_id)
    path = seeds / doc_id
    if doc_id in indexed and seeds.resolve() in path.resolve().parents and not path.exists():
        raise InputError(f"{doc_id} is already deleted from the seeds folder; `qa index` drops it from the index")
    if doc_id not in listed or not (path.is_file() or path.is_symlink()):
        raise InputError(unknown_document(doc_id, list(indexed), f"the index at {index}"))
    if doc_id in indexed and len(indexed) == 1:
        raise InputError(f"{doc_id} is the only document; an index needs at least one, so add another first")
    if doc_id not in indexed and not path.is_symlink():
        target = path.resolve()
        if any((seeds / other).resolve() == target for other in indexed):  # another id for an indexed file
            raise InputError(unknown_document(doc_id, list(indexed), f"the index at {index}"))
    with _writing(path.parent):
        path.unlink(missing_ok=True)  # a link itself, not what it points to
        if path.parent == seeds / UPLOADS and not any(path.parent.iterdir()):
            with suppress(OSError):  # an upload arriving meanwhile keeps it
                path.parent.rmdir()  # qa made it for uploads; left empty, it puzzled a new user
    return build_index(seeds, index, model=manifest.model_ref, progress=False)


@contextmanager
def _writing(folder: Path, part: Path | None = None) -> Iterator[None]:
    """SeedsError for a seeds folder that cannot be written (read-only, a full disk): it was an
    "unexpected error" of the CLI. A file half copied (`part`) is taken away."""
    try:
        yield
    except OSError as exc:
        if part is not None:
            with suppress(OSError):  # its folder may be what could not be made
                part.unlink(missing_ok=True)
        written = Path(exc.filename) if exc.filename is not None else folder
        if written != folder and written.parent != folder:  # not the folder's nor in it: the source's
            raise
        why = exc.strerror or exc
        raise SeedsError(f"cannot write in the seeds folder {folder} ({why}): make it writable") from None


def check_place(index: Path, seeds: Path) -> None:
    """InputError if the index folder would be the seeds folder or in it: its files would be
    read back as documents at every build ("left out 24 files of a type qa does not read
    (.faiss, .json…)")."""
    if _inside(index, seeds):
        raise InputError(f"the index {index} would be inside the seeds folder {seeds}: put it beside the folder")


def _inside(index: Path, seeds: Path) -> bool:
    """Whether the index folder is the seeds folder or in it, but for a hidden folder, which
    the seeds are read without (".qa-index")."""
    index, seeds = index.resolve(), seeds.resolve()
    if index == seeds:
        return True
    if seeds not in index.parents:
        return False
    return not any(part.startswith(".") for part in index.relative_to(seeds).parts)


def _model_of(index: Path) -> str:
    """The model setting an index was built with (the default for a new or unreadable one)."""
    try:
        manifest = existing_manifest(index)
    except IndexProblem:
        return "bundled"
    return manifest.model_ref if manifest else "bundled"
