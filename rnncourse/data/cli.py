"""`rnncourse data`: list every dataset with its status; `rnncourse data fetch NAME` downloads one."""

from __future__ import annotations

import sys

from .registry import DATASETS, DatasetError


def table(records=None) -> str:
    """The dataset table: name, mode, status, size, examples, licence and source."""
    records = list(DATASETS.values()) if records is None else records
    columns = [("name", lambda r: r.name), ("kind", lambda r: r.kind), ("mode", lambda r: r.mode),
               ("status", lambda r: r.status()), ("size", lambda r: r.size),
               ("examples", lambda r: r.examples), ("licence", lambda r: r.licence),
               ("source", lambda r: r.source)]
    rows = [[get(r) for _, get in columns] for r in records]
    widths = [max(len(title), *(len(row[i]) for row in rows)) for i, (title, _) in
              enumerate(columns)]
    widths[-1] = 0  # the last column is not padded
    lines = ["  ".join(title.ljust(w) for (title, _), w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * max(w, len(t)) for (t, _), w in zip(columns, widths)))
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def cmd_data(args) -> int:
    """List datasets, or fetch one when asked."""
    if args.action == "fetch":
        from .download import fetch

        if not args.names:
            print("rnncourse data fetch: name at least one dataset; one of "
                  + ", ".join(n for n, r in DATASETS.items() if r.mode == "download"),
                  file=sys.stderr)
            return 2
        try:
            for name in args.names:
                fetch(name)
        except (DatasetError, ValueError) as error:
            print(f"rnncourse data fetch: {error}", file=sys.stderr)
            return 1
        return 0
    if args.action == "info":
        for name in args.names or list(DATASETS):
            try:
                from .registry import record

                r = record(name)
            except ValueError as error:
                print(f"rnncourse data info: {error}", file=sys.stderr)
                return 2
            print(f"{r.name}: {r.used_for}\n  load with  rnncourse.data.{r.loader}\n"
                  f"  source     {r.source}\n  licence    {r.licence}\n  cite       {r.citation}\n"
                  f"  status     {r.status()}" + (f" ({r.cache_path()})" if r.filename else ""))
        return 0
    print(table())
    from .registry import data_home

    print(f"\nDownloads are cached in {data_home()} (set RNNCOURSE_DATA to move it); "
          "`rnncourse data fetch NAME` downloads one ahead of class.")
    return 0


def register(sub) -> None:
    """Add the ``data`` subcommand to the instructor command line."""
    parser = sub.add_parser("data", help="list the datasets, or fetch the full ones ahead of class")
    parser.add_argument("action", nargs="?", choices=("list", "fetch", "info"), default="list")
    parser.add_argument("names", nargs="*", help="dataset names (for fetch and info)")
    parser.set_defaults(func=cmd_data)
