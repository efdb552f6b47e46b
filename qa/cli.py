"""The `qa` command: parse, make one library call, format. Errors become one line on stderr."""

from __future__ import annotations

import argparse
import codecs
import io
import json
import logging
import os
import select
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, config
from .errors import InputError, QAError, first_few

if TYPE_CHECKING:
    from .conversation import Conversation
    from .records import Answer
    from .store import Manifest

EXAMPLES = """\
examples:
  qa index                                  build ./index from the documents in ./seeds
  qa ask "What did Erdoğan offer?"          quote the sentences that answer it
  qa ask "Who leads the battlegroups?" -k 5 --json
  qa ask "What did Biden say?" --since 2022-01-27 --until 2022-01-31
  qa add notes.md report.pdf                copy files into the seeds folder and index them
  qa documents                              list the documents and their ids
  qa show report.pdf                        print what qa read from a document, sentence by sentence
  qa remove uploads/notes.md                delete an added document again
  qa chat                                   open the web chat at http://127.0.0.1:7860
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa",
        description="Answer questions about your documents by quoting their own sentences, with sources.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def index_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", metavar="DIR", help=config.help_for("index"))

    def seeds_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", metavar="DIR", help=config.help_for("seeds"))

    def command(name: str, summary: str, examples: str, description: str = "") -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=summary,
            description=textwrap.fill(description or summary[0].upper() + summary[1:] + ".", 88),
            epilog="examples:\n" + examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(command_parser=p)  # a mistyped option is reported with this command's usage
        return p

    p = command(
        "index",
        "build or update the index from the seeds folder",
        "  qa index\n  qa index --seeds ~/papers --index ~/papers-index\n  qa index --full --encoder torch\n",
        "Build or update the index from the seeds folder: only new and changed documents are embedded. "
        "Without --seeds, an index that exists is updated from the folder it was built from (where "
        "another ./seeds is here too, it asks which).",
    )
    seeds_option(p)
    index_option(p)
    p.add_argument("--model", metavar="NAME", help=config.help_for("model"))
    p.add_argument(
        "--encoder",
        choices=("auto", "openvino", "openvino-int8", "onnx-int8", "torch"),
        help=config.help_for("encoder"),
    )
    p.add_argument("--full", action="store_true", help="read and re-embed every document, not only the changed ones")

    p = command(
        "ask",
        "answer a question with quotes from the documents",
        '  qa ask "What did Erdoğan offer?"\n'
        '  qa ask "Who leads the battlegroups?" -k 5 --json\n'
        '  qa ask "What did Biden say?" --since 2022-01-27 --until 2022-01-31\n'
        '  qa ask "When is the vote?" --document uploads/notes.md --document minutes.txt\n'
        '  qa ask                       a conversation: ask, then follow up ("Did Putin accept?")\n'
        "  qa ask < questions.txt       one question per line, as one conversation\n",
        "Answer a question with quotes from the documents. Without a question, read questions one "
        "per line as a conversation, the way the web chat does: follow-ups are read in the light of "
        'earlier turns, "tell me more" continues the last answer, "new" starts a new topic, and '
        "an end of input (Ctrl-D) ends it.",
    )
    p.add_argument("question", nargs="*", help="the question (quotes are best); leave it out for a conversation")
    p.add_argument("-k", type=int, metavar="N", help=config.help_for("quotes"))
    p.add_argument(
        "--document",
        action="append",
        metavar="DOC_ID",
        help="quote only this document (repeat for several); `qa documents` lists the ids",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="quote only documents dated on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="quote only documents dated on or before this day")
    p.add_argument(
        "--json", action="store_true", help="print the answer and its hits (with page, section, date) as JSON"
    )
    seeds_option(p)
    index_option(p)

    p = command(
        "add",
        "copy files into the seeds folder and index them",
        "  qa add notes.md\n  qa add report.pdf minutes.txt --index ~/papers-index\n",
        "Copy Markdown, text, HTML, PDF or Word (.docx) files into the seeds folder (under uploads/) and index them: "
        "only they are embedded. Without --seeds they go to the folder the index was built from.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="the files to add")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace an uploaded file of the same name (without it, a different file of that name is refused)",
    )
    seeds_option(p)
    index_option(p)

    p = command(
        "remove",
        "delete a document from the seeds folder and the index",
        "  qa documents                 find the document's id\n  qa remove uploads/notes.md\n",
        "Delete a document's file from the seeds folder and its sentences from the index. "
        "DOC_ID is its path inside the seeds folder, as `qa documents` lists it.",
    )
    p.add_argument("doc_id", metavar="DOC_ID", help="the document's id, as `qa documents` lists it")
    seeds_option(p)
    index_option(p)

    p = command(
        "chat",
        "serve the web chat",
        "  qa chat\n  qa chat --host 0.0.0.0 --port 8080 --auth ann:s3cret\n",
        "Serve the web chat: ask questions, follow up, filter by date or document, upload files.",
    )
    index_option(p)
    seeds_option(p)
    p.add_argument("--host", help=config.help_for("host"))
    p.add_argument("--port", type=int, help=config.help_for("port"))
    p.add_argument("--auth", metavar="USER:PASSWORD", help=config.help_for("auth"))

    p = command(
        "eval",
        "measure retrieval on a file of questions",
        "  qa eval tests/data/dev.jsonl\n  qa eval questions.jsonl --json\n",
        'Score retrieval on a JSON-lines file: one {"q": question, "gold": [substring, ...]} '
        'per line, or {"q": question} for a question the documents should refuse. Prints P@1, R@5, MRR, '
        "refusal errors, and every miss with what came first instead.",
    )
    p.add_argument("file", help="the JSON-lines question file")
    index_option(p)
    seeds_option(p)
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = command(
        "documents",
        "list the documents in the index",
        "  qa documents\n  qa documents --json\n  qa documents --seeds my-docs --index my-index\n",
        "List the documents in the index: id, date, sentence count and title, one per line "
        "(the index is built or updated from the seeds folder first, as for a question).",
    )
    index_option(p)
    seeds_option(p)
    p.add_argument("--json", action="store_true", help="print them as JSON")

    p = command(
        "show",
        "print what qa read from a document",
        "  qa documents                 find the document's id\n  qa show report.pdf\n  qa show report.pdf --json\n",
        "Print what qa read from a document, to check it before trusting its quotes: its title, date "
        "and link, then each sentence as it can be quoted, numbered, under the heading (section) it "
        "was read under, with its page in a PDF. DOC_ID is as `qa documents` lists it.",
    )
    p.add_argument("doc_id", metavar="DOC_ID", help="the document's id, as `qa documents` lists it")
    index_option(p)
    seeds_option(p)
    p.add_argument("--json", action="store_true", help="print the document and its sentences as JSON")
    return parser


def _tolerant_streams() -> None:
    """A terminal that cannot show a letter (PYTHONIOENCODING=ascii, a Latin-1 console) gets it
    escaped ("Caf\\xe9"): every command stopped on a UnicodeEncodeError where a document had an
    accent. Questions piped in under an ASCII locale are read as UTF-8, as they were typed."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if isinstance(sys.stdin, io.TextIOWrapper) and codecs.lookup(sys.stdin.encoding or "ascii").name == "ascii":
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not argv:  # `qa` alone: what it can do, not "the following arguments are required"
        parser.print_help()
        return 0
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # told with the usage of the command it was given to, or of qa itself
        given_to_qa = argv.index(unknown[0]) < argv.index(args.command)
        (parser if given_to_qa else args.command_parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    _log_to_stderr()
    _tolerant_streams()
    try:
        settings = config.Settings.from_env(
            seeds=getattr(args, "seeds", None),
            index=getattr(args, "index", None),
            model=getattr(args, "model", None),
            encoder=getattr(args, "encoder", None),
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            auth=getattr(args, "auth", None),
        )
        return COMMANDS[args.command](args, settings)
    except QAError as exc:
        print(f"qa: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not _stdout_closed():
            raise
        # The reader stopped reading (`qa ask … | head -1`): nothing is wrong, and Python would
        # complain again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("QA_DEBUG"):
            raise
        print(f"qa: unexpected error: {type(exc).__name__}: {exc} (set QA_DEBUG=1 for details)", file=sys.stderr)
        return 1


def _stdout_closed() -> bool:
    """Whether nothing reads standard output any more (a pipe whose reader has gone)."""
    poll = select.poll()
    poll.register(sys.stdout.fileno(), select.POLLOUT)
    return any(events & select.POLLERR for _, events in poll.poll(0))


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LowerLevel("qa: %(levelname)s: %(message)s"))
    log = logging.getLogger("qa")
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.INFO)


class _LowerLevel(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(record.levelname, record.levelname.lower(), 1)


def cmd_index(args: argparse.Namespace, s: config.Settings) -> int:
    from .indexer import build_index

    seeds, _ = _collection(s, args)
    report = build_index(seeds, s.index, model=s.model, encoder=s.encoder, cache=s.cache, full=args.full)
    changes = []
    for label, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if names:
            changes.append(f"{len(names)} {label}")
    if args.full:  # every document is new to a rebuild from scratch: "657 added" would mislead
        changes = ["rebuilt from scratch"]
    elif not report.embedded and not changes:
        changes = ["nothing changed"]  # "(0 embedded)" alone left a developer asking what it did
    print(
        f"Indexed {_counted(report.documents, 'document')}, "
        f"{_counted(report.sentences, 'sentence')} into {s.index}/ in {report.seconds:.1f} s "
        f"({report.embedded} embedded{'; ' + ', '.join(changes) if changes else ''}"
        f"{f'; {len(report.skipped)} skipped' if report.skipped else ''})."
    )
    return 0


def cmd_ask(args: argparse.Namespace, s: config.Settings) -> int:
    from .conversation import Conversation
    from .retrieve import Filter, check_k, open_index, parse_day

    since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
    where = Filter(tuple(args.document) if args.document else None, since, until)
    _say_other_seeds(s, args)
    # Built, or brought up to the --seeds given, now; then the conversation asks the open index
    # each turn, which sees changed files (given this searcher to hold, a conversation typed
    # over hours answered from the files as they were when it began).
    open_index(s.index, seeds=_explicit_seeds(s, args))
    # 0 is refused, not taken for the default; named as it was given
    k = check_k(s.quotes, "QA_QUOTES") if args.k is None else check_k(args.k, "-k")
    conversation = Conversation(s.index, quotes=k, where=where)
    if args.question:
        _show(conversation.ask(" ".join(args.question)), args.json)
        return 0
    return _converse(conversation, args.json)


def _converse(conversation: Conversation, as_json: bool) -> int:
    """Questions from standard input, one per line, as one conversation (with --json, one
    answer per line; read from a file or a pipe, each answer under its question, "> …"). Exits
    1 if a question could not be asked (said on its line, and the conversation goes on)."""
    interactive = sys.stdin.isatty()
    failed = False
    if interactive:
        print(
            'Ask a question, then follow up. "tell me more" continues, "new" starts a new topic, Ctrl-D ends.',
            file=sys.stderr,
        )
    while True:
        if interactive:  # on stderr: stdout holds only answers (`--json > answers.jsonl`)
            print("> ", end="", file=sys.stderr, flush=True)
        line = sys.stdin.readline()
        if not line:  # end of input
            if interactive:
                print(file=sys.stderr)  # the shell's prompt on a line of its own
            return 1 if failed and not interactive else 0
        line = line.strip()
        if not line:
            continue
        if not interactive and not as_json:  # read from a file: each answer under its question
            print(f"> {line}")
        try:
            _show(conversation.ask(line), as_json, indent=None)
        except InputError as exc:  # a bad line does not end the conversation
            if as_json:  # one line of output per question, still
                _print_json({"question": line, "error": str(exc)}, indent=None)
            print(f"qa: error: {exc}", file=sys.stderr)
            failed = True
        if not as_json:
            print()


def _print_json(value: object, indent: int | None = 2) -> None:
    """JSON with its letters as they are, or as JSON's own escapes ("\\u00e9") on a terminal that
    cannot show them: still JSON, where the stream's backslashed bytes would not be."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, indent=indent)
    print(text)


def _show(answer: Answer, as_json: bool, indent: int | None = 2) -> None:
    if as_json:
        _print_json(answer.to_dict(), indent)
    else:
        print(terminal_text(answer))


def terminal_text(answer: Answer) -> str:
    """An answer for a terminal: plain text, quotes numbered, each with its source."""
    from .answer import CLOSEST, NOT_FOUND, cut, place

    if not answer.searched:  # a reply that searched nothing: "new", or "more" before a question
        return "\n".join([*(f"({note})" for note in answer.notes), answer.text])
    lines = []
    if answer.searched != answer.question:
        lines.append(f"(Searched for: {answer.searched})")
    for note in answer.notes:
        lines.append(f"({note})")
    if not answer.found:
        lines.append(NOT_FOUND + (f" {CLOSEST}" if answer.quotes else ""))
    for i, hit in enumerate(answer.quotes, 1):
        before, after = cut(hit)
        lines.append(f"{i}. {before}{hit.text}{after}")
        where = [hit.title]
        if hit.date:
            where.append(hit.date)
        if hit.url:
            where.append(hit.url)
        where.append(place(hit, markdown=False))
        # Two decimals would print a relevant second quote as "0.00": the score is the chance
        # that this sentence is the answer, and only one usually is.
        score = f"{hit.score:.2f}" if hit.score >= 0.01 else "below 0.01"
        lines.append(f"   — {' · '.join(where)}  [{hit.doc_id}, score {score}]")
    return "\n".join(lines)


def cmd_chat(args: argparse.Namespace, s: config.Settings) -> int:
    from .listen import check_can_listen, parse_auth

    parse_auth(s.auth)
    check_can_listen(s.host, s.port)  # before Gradio and the model load, which take seconds
    from .web import serve

    _say_other_seeds(s, args)
    serve(s)
    return 0


REPLACE_HINT = " (or add it with --replace)"


def cmd_add(args: argparse.Namespace, s: config.Settings) -> int:
    from .indexer import KEEP_OR_REPLACE, add_files
    from .store import MANIFEST, documents

    # Of several files, one not there is named and left out, as one qa cannot read is.
    missing = {name: _not_a_file(name) for name in args.files if not Path(name).is_file()}
    files = [name for name in args.files if name not in missing]
    if not files:
        raise InputError("; ".join(f"{name}: {reason}" for name, reason in missing.items()))
    existed = (Path(s.index) / MANIFEST).exists()
    seeds, manifest = _collection(s, args)
    model, kind = (manifest.model_ref, manifest.encoder) if manifest else (s.model, s.encoder)
    try:
        report = add_files(files, seeds, s.index, encoder=kind, model=model, replace_different=args.replace)
    except InputError as exc:
        raise InputError(f"{exc}{REPLACE_HINT if KEEP_OR_REPLACE in str(exc) else ''}") from None
    docs = {d.doc_id: d for d in documents(Path(s.index))}
    for name, reason in missing.items():
        print(f"qa: warning: not added {name}: {reason}", file=sys.stderr)
    for r in report.refused:
        hint = REPLACE_HINT if r.reason.endswith(KEEP_OR_REPLACE) else ""
        print(f"qa: warning: not added {r.path}: {r.reason}{hint}", file=sys.stderr)
    for doc_id in report.uploaded:
        verb = "added" if doc_id in report.added else "replaced" if doc_id in report.changed else "unchanged"
        doc = docs[doc_id]
        print(f"{verb} {doc_id}: “{doc.title}”, {_counted(doc.sentences, 'sentence')}")
    print(
        f"The index in {s.index}/ holds {_counted(report.documents, 'document')}, "
        f"{_counted(report.sentences, 'sentence')} ({report.embedded} embedded in {report.seconds:.1f} s)."
    )
    if not existed:  # a user who forgot --index would think the file joined their collection
        print(
            f"qa: note: there was no index in {s.index}/, so this started one, from {seeds}/; "
            "to add to another collection, give its --index",
            file=sys.stderr,
        )
    return 1 if report.refused or missing else 0


def _not_a_file(name: str) -> str:
    if Path(name).is_dir():
        return "a folder, not a file: name the files in it instead"
    return "no such file: check the name and the folder you are in"


def cmd_remove(args: argparse.Namespace, s: config.Settings) -> int:
    from .indexer import remove_document
    from .store import documents

    seeds, manifest = _collection(s, args)
    if manifest is None:
        raise InputError(f"no index in {s.index}: nothing to remove from")
    doc = {d.doc_id: d for d in documents(Path(s.index))}.get(args.doc_id)
    report = remove_document(args.doc_id, seeds, s.index)  # refuses an id not in the index
    if doc is None:  # a file the index skipped (unreadable, or a copy of another) or left out
        print(f"removed {args.doc_id}, a file that was skipped or left out, not in the index")
    else:
        print(f"removed {args.doc_id}: “{doc.title}”, {_counted(doc.sentences, 'sentence')}")
    digest = manifest.document_hashes.get(args.doc_id)
    for twin in (d for d in report.added if digest and report.manifest.document_hashes.get(d) == digest):
        print(f"{twin}, the same file, is indexed in its place (it was skipped as a copy); remove it too")
    print(
        f"The index in {s.index}/ holds {_counted(report.documents, 'document')}, "
        f"{_counted(report.sentences, 'sentence')}."
    )
    return 0


def cmd_documents(args: argparse.Namespace, s: config.Settings) -> int:
    from .retrieve import open_index

    docs = open_index(s.index, seeds=_explicit_seeds(s, args)).documents()
    if args.json:
        _print_json([d.__dict__ for d in docs])
        return 0
    for d in docs:
        print(f"{d.doc_id}\t{d.date or '-'}\t{_counted(d.sentences, 'sentence')}\t{d.title}")
    return 0


def cmd_show(args: argparse.Namespace, s: config.Settings) -> int:
    from .retrieve import open_index

    searcher = open_index(s.index, seeds=_explicit_seeds(s, args))
    sentences = searcher.read(args.doc_id)  # every indexed document has one at least
    doc = searcher.docs[sentences[0].doc_id]
    if args.json:
        _print_json({**doc.__dict__, "read": [x.__dict__ for x in sentences]})
        return 0
    print(doc.title)
    facts = [doc.date or "no date", _counted(doc.sentences, "sentence"), doc.doc_id]
    print(" · ".join(facts + ([doc.url] if doc.url else [])))
    section: str | None = None
    for number, sentence in enumerate(sentences, 1):
        if sentence.section != section or number == 1:
            section = sentence.section
            print(f"\n[{section or 'no section'}]")
        page = f"p.{sentence.page} " if sentence.page is not None else ""
        print(f"{number:>4}. {page}¶{sentence.paragraph + 1}  {sentence.text}")
    return 0


def cmd_eval(args: argparse.Namespace, s: config.Settings) -> int:
    from .evaluate import evaluate, read_cases
    from .retrieve import open_index

    cases = read_cases(args.file)
    report = evaluate(cases, open_index(s.index, seeds=_explicit_seeds(s, args)))
    if args.json:
        nowhere = list(report.gold_nowhere)
        out = {**report.summary(), "gold_texts_in_no_sentence": nowhere, "results": report.questions()}
        _print_json(out)
        return 0
    for o in report.misses:
        first = o.hits[0].text if o.hits else "(nothing)"
        where = f"rank {o.rank}" if o.rank else f"not in the top {len(o.hits)}"
        print(f"MISS ({where}) {o.case.question}\n     first: {first}")
    for o in report.wrongly_refused:
        where = f"right sentence at rank {o.rank}" if o.rank else f"right sentence not in the top {len(o.hits)}"
        best = o.hits[0].score if o.hits else 0
        print(f"REFUSED but answerable: {o.case.question} (best score {best:.2f}; {where})")
    for o in report.wrongly_answered:
        print(f"ANSWERED but should refuse: {o.case.question}\n     first: {o.hits[0].text}")
    f = report.summary()
    ranked = (
        f"P@1 {f['p_at_1']:.3f}  R@5 {f['r_at_5']:.3f}  MRR {f['mrr']:.3f}  wrongly refused {f['wrongly_refused']}"
        if f["answerable"]
        else "nothing to rank"
    )
    print(f"\n{f['answerable']} answerable: {ranked}")
    print(f"{f['unanswerable']} unanswerable: wrongly answered {f['wrongly_answered']}")
    if report.gold_nowhere:
        print(
            f"qa: warning: no sentence of the documents holds {_counted(len(report.gold_nowhere), 'gold text')}, "
            f"so they never match (check the spelling; a gold is part of one sentence): "
            f"{first_few([repr(g) for g in report.gold_nowhere], 3)}",
            file=sys.stderr,
        )
    return 0


def _explicit_seeds(s: config.Settings, args: argparse.Namespace) -> str | None:
    """The seeds folder only if the user named one (--seeds, or QA_SEEDS); else None: the one
    the index was built from."""
    named = getattr(args, "seeds", None) is not None or bool(os.environ.get(config.env_name("seeds")))
    return s.seeds if named else None


def _collection(s: config.Settings, args: argparse.Namespace) -> tuple[Path, Manifest | None]:
    """The seeds folder to build from or change, and the index's manifest (None if there is no
    index yet, or none that can be read: the build rebuilds it).

    The folder the user named; else the one the index was built from: adding to another
    folder, removing from it or updating from it would rebuild the index from that folder
    alone. Where that is unclear (another ./seeds here, or the recorded folder gone), InputError
    asks for --seeds, rather than act on a folder that may be another project's.
    """
    from .errors import IndexProblem
    from .store import MANIFEST, existing_manifest, moved_seeds, refuse_a_file

    refuse_a_file(Path(s.index))
    named = _explicit_seeds(s, args)
    try:
        manifest = existing_manifest(Path(s.index))
    except IndexProblem:
        manifest = None
        recorded = _recorded_seeds(Path(s.index) / MANIFEST)
        if named or recorded is None:
            if not named and not Path(s.seeds).is_dir():
                raise InputError(
                    f"{Path(s.index) / MANIFEST} cannot be used and names no seeds folder that is here: "
                    "name the documents' folder with --seeds"
                ) from None
            return Path(named or s.seeds), None
        return recorded, None
    if named or manifest is None:
        return Path(named or s.seeds), manifest
    recorded = Path(manifest.seeds)
    if not recorded.is_dir():
        beside = moved_seeds(Path(s.index), manifest)
        if beside is not None:
            print(
                f"qa: note: {recorded}, the folder this index was built from, is gone; using {beside}", file=sys.stderr
            )
            return beside, manifest
        raise InputError(f"this index was built from {recorded}, which is gone: say which folder with --seeds")
    here = Path(s.seeds)
    if here.is_dir() and here.resolve() != recorded.resolve():  # a copied project points at the old one
        raise InputError(
            f"this index was built from {recorded}, but {here} is here too: say which with --seeds "
            f"(--seeds {recorded} keeps to the index's own)"
        )
    return recorded, manifest


def _say_other_seeds(s: config.Settings, args: argparse.Namespace) -> None:
    """Questions are answered from the folder the index was built from; where another seeds
    folder stands beside the index (a copied project), say so: a document edited in the copy
    was passed over in silence, while `qa index` there asks which folder is meant. An index
    named far from ./seeds (`--index elsewhere/index`) is another project's: nothing to say."""
    from .errors import IndexProblem
    from .store import existing_manifest

    try:
        manifest = existing_manifest(Path(s.index))
    except IndexProblem:
        return  # opening the index says what is wrong with it
    explicit = _explicit_seeds(s, args)
    if explicit is not None:
        # An index of another folder's documents, rebuilt from this one without a word: said.
        if manifest is not None and Path(explicit).resolve() != Path(manifest.seeds).resolve():
            print(
                f"qa: note: the index in {s.index} was built from {manifest.seeds}; it is rebuilt from {explicit}, "
                "as --seeds asks, and answers from it from now on",
                file=sys.stderr,
            )
        return
    here = Path(s.seeds)
    if manifest is None or not here.is_dir() or not Path(manifest.seeds).is_dir():
        return
    if Path(s.index).resolve().parent != here.resolve().parent:
        return
    if here.resolve() != Path(manifest.seeds).resolve():
        print(
            f"qa: warning: this index was built from {manifest.seeds}, not from {here} here: answering from "
            f"{manifest.seeds} (--seeds {here} answers from this folder's documents instead)",
            file=sys.stderr,
        )


def _recorded_seeds(path: Path) -> Path | None:
    """The seeds folder a damaged manifest still names, if it names one that is there."""
    try:
        folder = json.loads(path.read_text(encoding="utf-8")).get("seeds")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return None
    return Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else None


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


COMMANDS = {
    "index": cmd_index,
    "ask": cmd_ask,
    "add": cmd_add,
    "remove": cmd_remove,
    "chat": cmd_chat,
    "eval": cmd_eval,
    "documents": cmd_documents,
    "show": cmd_show,
}


if __name__ == "__main__":
    sys.exit(main())
