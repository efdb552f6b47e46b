"""The encoders on the real bundled model: OpenVINO for documents (bf16 or fp32, or static
int8), int8 onnxruntime for questions, torch as the reference; how close their vectors are, and
which one an index uses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_DOCUMENT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    from qa.split import sentence_spans

    text = SEED_DOCUMENT.read_text(encoding="utf-8")
    return [text[start:end] for start, end in sentence_spans(text)][:40]


@pytest.fixture(scope="module")
def encoders():
    from qa.embed import load_encoder

    return {kind: load_encoder("bundled", kind) for kind in ("openvino", "openvino-int8", "onnx-int8", "torch")}


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


def test_openvino_vectors_match_torch_and_int8_stays_close(encoders, sentences):
    reference = encoders["torch"].encode(sentences)
    near = cosines(encoders["openvino"].encode(sentences), reference)
    int8 = cosines(encoders["onnx-int8"].encode(sentences), reference)
    static = cosines(encoders["openvino-int8"].encode(sentences), reference)
    assert near.min() > 0.999, near.min()
    assert int8.min() > 0.95 and int8.mean() > 0.98, (int8.min(), int8.mean())
    assert near.mean() > int8.mean()
    # the static int8 model, calibrated once, stays nearer to fp32 than the dynamic one
    assert static.min() > 0.97 and static.mean() > int8.mean(), (static.min(), static.mean())


def test_auto_encodes_documents_in_bf16_where_the_cpu_has_it_and_in_static_int8_elsewhere():
    import openvino as ov

    from qa.embed import load_encoder

    bf16 = "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    encoder = load_encoder("bundled", "auto")
    assert (encoder.kind, encoder.precision) == (("openvino", "bf16") if bf16 else ("openvino-int8", "int8"))
    # A build that asks by the kind "auto" chose gets the same compiled model, not a second one.
    assert load_encoder("bundled", encoder.kind) is encoder


def test_the_int8_graph_is_fused_and_the_fp32_graph_keeps_plain_operators():
    import onnx

    from qa.embed import ensure_onnx, model_source
    from qa.onnx_export import MODEL_FILE, read_meta

    folder = ensure_onnx(model_source("bundled"))

    def operators(name: str) -> set[str]:
        graph = onnx.load(str(folder / name), load_external_data=False).graph
        return {node.op_type for node in graph.node}

    int8, fp32 = operators(MODEL_FILE), operators(read_meta(folder)["fp32_file"])
    # the int8 graph: one fused attention operator per layer, and no slow SkipLayerNormalization
    assert {"QAttention", "QEmbedLayerNormalization"} <= int8 and "SkipLayerNormalization" not in int8
    assert not fp32 & {"Attention", "EmbedLayerNormalization", "BiasGelu"}  # OpenVINO reads it
    # OpenVINO's int8 model: its matrix products take quantised inputs, weights stored as int8
    import openvino as ov

    from qa.embed import ensure_openvino_int8

    static = ov.Core().read_model(str(ensure_openvino_int8(folder)[0]))
    kinds = {op.get_type_name() for op in static.get_ops()}
    assert "FakeQuantize" in kinds and "MatMul" in kinds
    assert any(op.get_type_name() == "Constant" and op.get_element_type() == ov.Type.i8 for op in static.get_ops())


def test_the_question_session_really_leaves_skip_layer_normalization_unfused(tmp_path):
    import onnx
    import onnxruntime as ort

    from qa.embed import OnnxEncoder, ensure_onnx, model_source
    from qa.onnx_export import MODEL_FILE

    model = str(ensure_onnx(model_source("bundled")) / MODEL_FILE)

    def operators_run(disabled: tuple[str, ...]) -> set[str]:
        options = ort.SessionOptions()
        options.optimized_model_filepath = str(tmp_path / f"optimised-{len(disabled)}.onnx")
        ort.InferenceSession(model, options, providers=["CPUExecutionProvider"], disabled_optimizers=list(disabled))
        return {node.op_type for node in onnx.load(options.optimized_model_filepath).graph.node}

    assert "SkipLayerNormalization" in operators_run(())  # what onnxruntime would make of it
    assert "SkipLayerNormalization" not in operators_run(OnnxEncoder.disabled_fusions)


@pytest.mark.parametrize("kind", ["openvino", "openvino-int8"])
def test_openvino_vectors_do_not_depend_on_the_batch(encoders, sentences, kind):
    encoder = encoders[kind]
    together = encoder.encode(sentences)
    alone = np.stack([encoder.encode([s])[0] for s in sentences[:8]])
    assert cosines(alone, together[:8]).min() > 0.9999
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_an_openvino_index_asks_with_the_int8_model_on_every_core(seed_searcher):
    from qa.config import cores
    from qa.embed import OnnxQuestionEncoder, load_encoder

    built_by = seed_searcher.manifest.encoder
    assert built_by.startswith("openvino")
    asker = seed_searcher.encoder
    assert isinstance(asker, OnnxQuestionEncoder) and asker.model == seed_searcher.manifest.model
    assert asker._session.get_session_options().intra_op_num_threads == cores()
    question = "What did Erdogan offer?"
    documents = load_encoder(seed_searcher.manifest.model_ref, built_by).encode([question])
    assert cosines(asker.encode([question]), documents)[0] > 0.98
    # Loaded once per process: a compiled model's destructor has hung in OpenVINO's thread join.
    assert load_encoder(seed_searcher.manifest.model_ref, built_by) is load_encoder(
        seed_searcher.manifest.model_ref, built_by
    )


def test_questions_asked_at_once_go_one_thread_each_and_get_the_vectors_they_get_alone(sentences):
    from concurrent.futures import ThreadPoolExecutor

    from qa.config import cores
    from qa.embed import load_question_encoder

    if cores() < 2:
        pytest.skip("one core: every question runs on one thread")
    asker = load_question_encoder("bundled", "openvino-int8")
    questions = [s[:60] for s in sentences[:24]]
    alone = np.stack([asker.encode([q])[0] for q in questions])
    assert asker._single is None  # one caller, however many questions, never fell back
    with ThreadPoolExecutor(4) as pool:
        together = np.stack(list(pool.map(lambda q: asker.encode([q])[0], questions * 4)))
    assert asker._single.get_session_options().intra_op_num_threads == 1
    assert (together == np.tile(alone, (4, 1))).all()  # the same to the bit


def test_a_failing_progress_callback_stops_the_encoding_with_its_error(encoders, sentences):
    def progress(done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        encoders["openvino"].encode(sentences, progress)
    assert encoders["openvino"].encode(sentences[:2]).shape == (2, 384)  # and it still works


def test_an_unknown_encoder_is_refused_with_the_choices():
    from qa.embed import load_encoder
    from qa.errors import ModelError

    with pytest.raises(ModelError, match="choose one of auto, openvino, openvino-int8, onnx-int8, torch"):
        load_encoder("bundled", "tensorrt")


def test_a_model_that_is_nowhere_here_is_one_line_that_says_what_to_do():
    """Hugging Face's message ran to three lines and sent the reader to its website."""
    from qa.embed import load_encoder
    from qa.errors import ModelError

    with pytest.raises(ModelError) as caught:
        load_encoder("no-such-model-anywhere", "torch")
    message = str(caught.value)
    assert "\n" not in message and "huggingface.co" not in message
    assert message.startswith("cannot load model 'no-such-model-anywhere' (it is not a local folder")
    assert message.endswith("give a local sentence-transformers folder with --model or QA_MODEL, or use 'bundled'")


def test_asking_an_existing_index_imports_neither_torch_nor_openvino(seed_index):
    """Nor bm25s, whose scipy and tqdm took a fifth of a one-shot question, nor the readers."""
    probe = (
        "import sys, qa; hits = qa.search('What did Erdogan offer?', k=3, index=sys.argv[1]);"
        "import json; print(json.dumps([hits[0].text, sorted(m for m in ('torch', 'openvino',"
        " 'sentence_transformers', 'transformers', 'bm25s', 'scipy', 'tqdm', 'qa.formats.text', 'markdown_it')"
        " if m in sys.modules)]))"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(seed_index)], capture_output=True, text=True, check=True)
    top, heavy = json.loads(out.stdout)
    assert "Erdo" in top and heavy == []


# The encoders these tests load stay alive to the end of the run, as qa keeps its own for the
# life of the process (embed._openvino): a compiled model dropped, or dropped while it still
# compiles on its thread, now and then hangs in OpenVINO's own thread join. A CI run hung so,
# in a test that loaded twice and dropped the first.
_KEPT: list[dict] = []


@pytest.fixture
def fresh_openvino(monkeypatch) -> dict:
    """No OpenVINO encoder loaded yet, as in a fresh process."""
    from qa import embed

    loaded: dict = {}
    _KEPT.append(loaded)
    monkeypatch.setattr(embed, "_OPENVINO", loaded)
    return loaded


def test_auto_falls_back_to_the_int8_model_when_openvino_cannot_run(monkeypatch, caplog, fresh_openvino):
    from qa import embed

    def broken(self, *args):
        raise RuntimeError("no CPU plugin")

    monkeypatch.setattr(embed.OpenVinoEncoder, "__init__", broken)
    with caplog.at_level("WARNING", logger="qa"):
        encoder = embed.load_encoder("bundled", "auto")
    assert encoder.kind == "onnx-int8" and "OpenVINO cannot run" in caplog.text
    for kind in ("openvino", "openvino-int8"):
        with pytest.raises(embed.ModelError, match="try --encoder onnx-int8"):
            embed.load_encoder("bundled", kind)


def _export_without_int8(cache: Path) -> Path:
    """A copy of the bundled model's export as a qa before the int8 model for OpenVINO left it."""
    from qa.embed import ensure_onnx, model_source, onnx_folder
    from qa.onnx_export import OPENVINO_INT8_FILE, SIDECAR, TOKENIZER_FILE, read_meta

    source = model_source("bundled")
    made, copy = ensure_onnx(source), onnx_folder(source, cache)
    copy.mkdir(parents=True)
    meta = read_meta(made)
    for name in (meta["model_file"], meta["fp32_file"], TOKENIZER_FILE):
        shutil.copy2(made / name, copy / name)
    meta.pop("openvino_int8_file", None)
    (copy / SIDECAR).write_text(json.dumps(meta))
    assert not (copy / OPENVINO_INT8_FILE).exists()
    return copy


def test_a_new_install_takes_over_the_export_of_a_removed_one_and_deletes_other_orphans(tmp_path, monkeypatch):
    """Each install of qa exports its bundled model to a cache folder of its own (130 MB, 20 s
    with torch): one made for an install since removed is taken over, not made again."""
    from qa import embed, onnx_export
    from qa.onnx_export import SIDECAR, TOKENIZER_FILE, read_meta

    source = embed.model_source("bundled")
    made = embed.ensure_onnx(source)

    def export_of(digest: str, model_dir: Path, sha: str | None = None) -> Path:
        folder = tmp_path / "encoders" / f"{embed._slug(source)}-{digest}-int8"
        folder.mkdir(parents=True)
        meta = read_meta(made)
        for name in (meta["model_file"], meta["fp32_file"], TOKENIZER_FILE):
            shutil.copy2(made / name, folder / name)
        meta.pop("openvino_int8_file", None)
        meta.update(source_model_dir=str(model_dir), source_sha256=sha or meta["source_sha256"])
        (folder / SIDECAR).write_text(json.dumps(meta))
        return folder

    removed = export_of("0000000a", tmp_path / "removed-venv" / "model")
    older_model = export_of("0000000b", tmp_path / "older-venv" / "model", sha="0" * 64)
    another_install = export_of("0000000c", tmp_path)  # its model folder is still there

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_export, "export", no_export)
    folder = embed.ensure_onnx(source, tmp_path)
    assert folder == embed.onnx_folder(source, tmp_path) and onnx_export.is_current(folder, source.folder)
    assert read_meta(folder)["source_model_dir"] == str(source.folder)
    assert not removed.exists() and not older_model.exists() and another_install.exists()
    asker = embed.load_question_encoder("bundled", "onnx-int8", cache_dir=tmp_path)
    assert asker.encode(["Otters hold hands."]).shape == (1, 384)


def test_an_older_export_answers_questions_as_it_is_and_gains_the_int8_model_when_a_build_needs_it(tmp_path):
    """The int8 model for OpenVINO came in a later qa: an export made before it still answers
    questions without being made again (that would import torch into a question, for 20 s)."""
    from qa import embed
    from qa.onnx_export import read_meta

    folder = _export_without_int8(tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    asker = embed.load_question_encoder("bundled", "openvino-int8", cache_dir=tmp_path)
    assert asker.kind == "onnx-int8" and {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    encoder = embed.load_encoder("bundled", "openvino-int8", cache_dir=tmp_path)
    assert encoder.kind == "openvino-int8" and read_meta(folder)["openvino_int8_file"] == "model_int8_openvino.xml"
    assert {"model_int8_openvino.xml", "model_int8_openvino.bin"} <= {p.name for p in folder.iterdir()}
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left
    assert cosines(encoder.encode(["Otters hold hands."]), asker.encode(["Otters hold hands."]))[0] > 0.95


def test_a_model_nncf_cannot_quantise_is_encoded_by_openvino_in_its_fp32_graph(
    monkeypatch, tmp_path, caplog, fresh_openvino
):
    from qa import embed, onnx_export

    tries = []

    def failing(*args):
        tries.append(args)
        raise onnx_export.QuantisationFailed("RuntimeError: unsupported architecture")

    folder = _export_without_int8(tmp_path)
    monkeypatch.setattr(onnx_export, "quantize_openvino_int8", failing)
    monkeypatch.setattr(embed, "computes_bf16", lambda core: False)  # as on a CPU without bf16
    with caplog.at_level("WARNING", logger="qa"):
        encoder = embed.load_encoder("bundled", "auto", cache_dir=tmp_path)
    said = f"no int8 model for OpenVINO (delete {folder} to try again): RuntimeError: unsupported architecture"
    assert said in caplog.text
    assert (encoder.kind, encoder.precision) == ("openvino", "f32")
    assert encoder.encode(["Otters hold hands."]).shape == (1, 384)
    with pytest.raises(embed.ModelError, match=r"\(RuntimeError: unsupported architecture\): try --encoder openvino, "):
        embed.load_encoder("bundled", "openvino-int8", cache_dir=tmp_path)
    assert len(tries) == 1  # the failure is recorded, not met again at every build


def test_a_failure_that_may_pass_is_not_recorded_and_the_next_build_tries_again(
    monkeypatch, tmp_path, caplog, fresh_openvino
):
    """nncf not installed (a checkout pulled without reinstalling), a full disk."""
    from qa import embed, onnx_export

    tries = []

    def failing(*args):
        tries.append(args)
        if len(tries) == 1:
            raise ModuleNotFoundError("No module named 'nncf'")
        raise RuntimeError("Can't open bin file")  # OpenVINO's word for a full disk

    folder = _export_without_int8(tmp_path)
    monkeypatch.setattr(onnx_export, "quantize_openvino_int8", failing)
    monkeypatch.setattr(embed, "computes_bf16", lambda core: False)
    for _ in range(2):  # each load asks for the int8 model again
        with caplog.at_level("WARNING", logger="qa"):
            assert embed.load_encoder("bundled", "auto", cache_dir=tmp_path).kind == "openvino"
    assert len(tries) == 2 and "reinstall qa if nncf is missing" in caplog.text
    assert "openvino_int8_error" not in onnx_export.read_meta(folder)


def test_a_cache_that_cannot_be_written_leaves_openvino_on_its_fp32_graph(
    monkeypatch, tmp_path, caplog, fresh_openvino
):
    """Its lock cannot be taken: a folder stands in its place, as a read-only cache fails (the
    tests run as root, whom permissions do not stop)."""
    from qa import embed

    folder = _export_without_int8(tmp_path)
    (folder.parent / ".export.lock").mkdir()
    monkeypatch.setattr(embed, "computes_bf16", lambda core: False)
    with caplog.at_level("WARNING", logger="qa"):
        encoder = embed.load_encoder("bundled", "auto", cache_dir=tmp_path)
    assert (encoder.kind, encoder.precision) == ("openvino", "f32")
    assert f"no int8 model for OpenVINO: cannot write {folder}" in caplog.text


def test_openvino_failing_to_compile_says_what_to_do_and_is_compiled_again_next_time(monkeypatch, sentences):
    """The model compiles while the build splits its documents, so its failure shows at the
    first encoding, not where load_encoder could fall back."""
    import openvino as ov

    from qa import embed

    def failing(self, *args, **kwargs):
        raise RuntimeError("no CPU plugin")

    monkeypatch.setattr(ov.Core, "compile_model", failing)
    encoder = embed.load_encoder("bundled", "openvino", threads=3)  # a thread count no other test uses
    with pytest.raises(embed.ModelError, match=r"OpenVINO cannot compile .*no CPU plugin.*try --encoder onnx-int8"):
        encoder.encode(sentences[:2])
    monkeypatch.undo()
    again = embed.load_encoder("bundled", "openvino", threads=3)
    assert again is not encoder and again.encode(sentences[:2]).shape == (2, 384)


def test_a_build_keeps_the_back_end_the_index_was_built_with(tmp_path):
    """After `qa index --encoder onnx-int8`, the next `qa index` (encoder "auto") re-embedded every
    document with OpenVINO and reported them all as added."""
    import qa
    from qa.store import read_manifest

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("The harbour froze in January. Ferries stopped for a week.\n")
    qa.build_index(seeds, tmp_path / "index", encoder="onnx-int8", progress=False)
    (seeds / "b.txt").write_text("Otters hold hands while they sleep.\n")
    report = qa.build_index(seeds, tmp_path / "index", progress=False)
    assert read_manifest(tmp_path / "index").encoder == "onnx-int8"
    assert report.added == ("b.txt",) and report.embedded == 1
    # Rebuilt for a newer qa, it keeps it too, and with it the vectors of every sentence.
    path = tmp_path / "index" / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "pipeline": "an older qa's"}))
    rebuilt = qa.build_index(seeds, tmp_path / "index", progress=False)
    assert read_manifest(tmp_path / "index").encoder == "onnx-int8" and rebuilt.embedded == 0
