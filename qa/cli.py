"""The `qa` command: parse, make one library call, format. Errors become one line on stderr."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence

from . import config
from .errors import QAError

EXAMPLES = """\
examples:
  qa index                                  build ./index from the documents in ./seeds
  qa ask "What did Erdoğan offer?"          quote the sentences that answer it
  qa ask "Who leads the battlegroups?" -k 5 --json
  qa chat                                   open the web chat at http://127.0.0.1:7860
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa",
        description="Answer questions about your documents by quoting their own sentences, with sources.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def index_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", metavar="DIR", help=config.help_for("index"))

    def seeds_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", metavar="DIR", help=config.help_for("seeds"))

    p = sub.add_parser("index", help="build or update the index from the seeds folder")
    seeds_option(p)
    index_option(p)
    p.add_argument("--model", metavar="NAME", help=config.help_for("model"))
    p.add_argument("--encoder", choices=("auto", "onnx-int8", "torch"), help=config.help_for("encoder"))
    p.add_argument("--full", action="store_true", help="re-embed every document, not only the changed ones")

    p = sub.add_parser("ask", help="answer one question with quotes from the documents")
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("-k", type=int, metavar="N", help=config.help_for("quotes"))
    p.add_argument("--json", action="store_true", help="print the answer and its hits as JSON")
    index_option(p)

    p = sub.add_parser("chat", help="serve the web chat")
    index_option(p)
    seeds_option(p)
    p.add_argument("--host", help=config.help_for("host"))
    p.add_argument("--port", type=int, help=config.help_for("port"))
    p.add_argument("--auth", metavar="USER:PASSWORD", help=config.help_for("auth"))

    p = sub.add_parser(
        "eval",
        help="measure retrieval on a file of questions",
        description='Score retrieval on a JSON-lines file: one {"q": question, "gold": [substring, ...]} '
        'per line, or {"q": question} for a question the documents should refuse. Prints P@1, R@5, MRR, '
        "refusal errors, and every miss with what came first instead.",
    )
    p.add_argument("file", help="the JSON-lines question file")
    index_option(p)
    seeds_option(p)
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = sub.add_parser("documents", help="list the documents in the index")
    index_option(p)
    p.add_argument("--json", action="store_true", help="print them as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _log_to_stderr()
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
    except Exception as exc:
        if os.environ.get("QA_DEBUG"):
            raise
        print(f"qa: unexpected error: {type(exc).__name__}: {exc} (set QA_DEBUG=1 for details)", file=sys.stderr)
        return 1


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

    report = build_index(s.seeds, s.index, model=s.model, encoder=s.encoder, cache=s.cache, full=args.full)
    changes = []
    for label, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if names:
            changes.append(f"{len(names)} {label}")
    print(
        f"Indexed {report.documents} document{'s' if report.documents != 1 else ''}, "
        f"{report.sentences} sentences into {s.index}/ in {report.seconds:.1f} s "
        f"({report.embedded} embedded{'; ' + ', '.join(changes) if changes else ''}"
        f"{f'; {len(report.skipped)} skipped' if report.skipped else ''})."
    )
    return 0


def cmd_ask(args: argparse.Namespace, s: config.Settings) -> int:
    from .conversation import Conversation
    from .retrieve import open_index

    searcher = open_index(s.index, seeds=_explicit_seeds(s))
    answer = Conversation(s.index, quotes=args.k or s.quotes, searcher=searcher).ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(terminal_text(answer))
    return 0


def terminal_text(answer) -> str:
    """An answer for a terminal: plain text, quotes numbered, each with its source."""
    lines = []
    for note in answer.notes:
        lines.append(f"({note})")
    if not answer.found:
        lines.append("The documents do not answer this." + (" Closest sentences:" if answer.quotes else ""))
    for i, hit in enumerate(answer.quotes, 1):
        lines.append(f"{i}. {hit.text}")
        where = [hit.title]
        if hit.date:
            where.append(hit.date)
        if hit.url:
            where.append(hit.url)
        if hit.page is not None:
            where.append(f"page {hit.page}")
        where.append(f"sentence {hit.position + 1} of {hit.doc_sentences}")
        lines.append(f"   — {' · '.join(where)}  [{hit.doc_id}, score {hit.score:.2f}]")
    return "\n".join(lines)


def cmd_chat(args: argparse.Namespace, s: config.Settings) -> int:
    from .web import serve

    serve(s)
    return 0


def cmd_documents(args: argparse.Namespace, s: config.Settings) -> int:
    from .retrieve import open_index

    docs = open_index(s.index).documents()
    if args.json:
        print(json.dumps([d.__dict__ for d in docs], ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        print(f"{d.doc_id}\t{d.date or '-'}\t{d.sentences} sentences\t{d.title}")
    return 0


def cmd_eval(args: argparse.Namespace, s: config.Settings) -> int:
    from .evaluate import evaluate, read_cases
    from .retrieve import open_index

    cases = read_cases(args.file)
    report = evaluate(cases, open_index(s.index, seeds=_explicit_seeds(s)))
    if args.json:
        print(json.dumps(report.summary(), indent=2))
        return 0
    for o in report.misses:
        first = o.hits[0].text if o.hits else "(nothing)"
        where = f"rank {o.rank}" if o.rank else f"not in the top {len(o.hits)}"
        print(f"MISS ({where}) {o.case.question}\n     first: {first}")
    for o in report.wrongly_refused:
        print(f"REFUSED but answerable: {o.case.question} (best score {o.hits[0].score if o.hits else 0:.2f})")
    for o in report.wrongly_answered:
        print(f"ANSWERED but should refuse: {o.case.question}\n     first: {o.hits[0].text}")
    f = report.summary()
    print(
        f"\n{f['answerable']} answerable: P@1 {f['p_at_1']:.3f}  R@5 {f['r_at_5']:.3f}  MRR {f['mrr']:.3f}  "
        f"wrongly refused {f['wrongly_refused']}\n"
        f"{f['unanswerable']} unanswerable: wrongly answered {f['wrongly_answered']}"
    )
    return 0


def _explicit_seeds(s: config.Settings) -> str | None:
    """The seeds folder only if the user named one; else the one the index was built from."""
    return None if s.seeds == config.default("seeds") else s.seeds


COMMANDS = {"index": cmd_index, "ask": cmd_ask, "chat": cmd_chat, "eval": cmd_eval, "documents": cmd_documents}


if __name__ == "__main__":
    sys.exit(main())
