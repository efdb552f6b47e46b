"""The FAISS index of sentence vectors, keyed by sentence id; inner product on unit vectors.

Small collections get an exact flat index. Past `APPROXIMATE_FROM` vectors an IVF index with
8-bit scalar quantisation keeps memory at a quarter and search time low (see docs/speed.md).

A flat index is searched in two steps: a scan of an 8-bit copy of its vectors, made in memory
when first searched, picks `RESCORED` times the results asked for, and their float vectors
score them exactly. The scan reads a quarter of the bytes: the float scan (5.5 MB at SQuAD's
size) pushed the rest of a search out of the core's cache, and cost a search 0.17 ms.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from .config import cores

# Below this many sentences search is exact. Measured in docs/speed.md (benchmarks/scale.py): with
# the default nprobe, IVF-SQ8 reaches recall@10 0.95 from about 200k vectors on overlapping
# clusters (0.91 at 100k, 0.88 at 50k), while exact search costs about 25 ms per question at 200k
# on one core and grows linearly (116 ms at a million; IVF 1.2 ms).
APPROXIMATE_FROM = 200_000
RESCORED = 2
# Unit vectors of d dimensions have components of about 1/sqrt(d) (MiniLM's largest over
# SQuAD: 5.1/sqrt(d)); the 8-bit copy spans +-6/sqrt(d) in 255 steps.
CODE_SPAN = 6.0
# k-means for the inverted lists sees at most this many vectors per list (FAISS asks for 39 or
# more); training on all of a million vectors would take about 8 minutes here (docs/speed.md).
TRAIN_PER_LIST = 64


def index_kind(n: int) -> str:
    if n < APPROXIMATE_FROM:
        return "flat"
    return f"ivf{ivf_lists(n)}-sq8"


def ivf_lists(n: int) -> int:
    """About 4·sqrt(n) inverted lists, a power of two, as FAISS's guidelines suggest."""
    return int(2 ** round(np.log2(4 * np.sqrt(max(n, 1)))))


class VectorIndex:
    """Add, remove and search unit vectors by sentence id."""

    def __init__(self, index: faiss.Index, kind: str):
        self._index = index
        self.kind = kind
        self._codes: faiss.Index | None = None  # the 8-bit copy of a flat index, once searched
        self._scale = 127 * np.sqrt(index.d) / CODE_SPAN

    @classmethod
    def empty(cls, dim: int, kind: str = "flat") -> VectorIndex:
        if kind == "flat":
            return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), kind)
        lists = int(kind.split("-")[0][3:])
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        return cls(ivf, kind)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def train(self, sample: np.ndarray) -> None:
        if not self._index.is_trained:
            most = TRAIN_PER_LIST * getattr(self._index, "nlist", 0)
            if most and len(sample) > most:
                rows = np.random.default_rng(0).choice(len(sample), most, replace=False)
                sample = sample[np.sort(rows)]
            # A searcher in this process may have limited FAISS to one thread (retrieve.py);
            # k-means over many vectors is worth every core.
            before = faiss.omp_get_max_threads()
            faiss.omp_set_num_threads(cores())
            try:
                self._index.train(np.ascontiguousarray(sample, dtype=np.float32))
            finally:
                faiss.omp_set_num_threads(before)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
            self._codes = None

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))
            self._codes = None

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None, nprobe: int = 32
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest, best first; `allowed` restricts to those ids.

        With `allowed`, an IVF index probes lists in proportion to how few ids are allowed (all
        of them for a small set), so a filtered search still finds k when k ids are allowed.
        """
        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if self.kind == "flat" and allowed is None:
            return self._two_step(query, k)
        params = None
        if allowed is not None or self.kind != "flat":
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)) if allowed is not None else None
            if self.kind == "flat":
                params = faiss.SearchParameters(sel=selector)
            else:
                nlist = self._index.nlist
                if allowed is not None:
                    nprobe = int(np.ceil(nprobe * self.size / max(len(allowed), 1)))
                params = faiss.SearchParametersIVF(sel=selector, nprobe=min(nprobe, nlist))
        scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def _two_step(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self._codes is None:
            self._codes = self._code_copy()
        _, found = self._codes.search(self._quantised(query.reshape(1, -1)), min(k * RESCORED, self.size))
        found = found[0][found[0] >= 0]
        exact = self.vectors(found) @ query.astype(np.float32)
        best = np.argsort(-exact, kind="stable")[:k]
        return exact[best], found[best]

    def _code_copy(self) -> faiss.Index:
        """The 8-bit copy of a flat index, read from its stored floats in place, a block at a time."""
        flat = faiss.downcast_index(self._index.index)
        stored = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        codes = faiss.IndexIDMap(
            faiss.IndexScalarQuantizer(
                self.dim, faiss.ScalarQuantizer.QT_8bit_direct_signed, faiss.METRIC_INNER_PRODUCT
            )
        )
        for start in range(0, len(ids), 65_536):
            codes.add_with_ids(self._quantised(stored[start : start + 65_536]), ids[start : start + 65_536])
        return codes

    def _quantised(self, vectors: np.ndarray) -> np.ndarray:
        """The 8-bit codes FAISS's direct signed quantiser stores, as the floats it takes."""
        return np.clip(np.rint(vectors * self._scale), -127, 127).astype(np.float32)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of these ids (decoded, for quantised indexes)."""
        if len(ids) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, kind: str, writable: bool = False) -> VectorIndex:
        # A large index is memory-mapped, paged in as searched rather than read whole.
        flags = 0 if writable or kind == "flat" else faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY
        return cls(faiss.read_index(str(path), flags), kind)

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of everything stored, ids ascending."""
        if self.kind == "flat":
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        else:
            invlists = self._index.invlists
            ids = np.concatenate(
                [faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy() for i in range(invlists.nlist)]
                or [np.zeros(0, np.int64)]
            ).astype(np.int64)
        ids.sort()
        return ids, self.vectors(ids)

    def resized(self, kind: str) -> VectorIndex:
        """This index, or the same vectors moved into an index of another kind."""
        if kind == self.kind:
            return self
        ids, vectors = self.all_vectors()
        other = VectorIndex.empty(self.dim, kind)
        other.train(vectors)
        other.add(ids, vectors)
        return other
