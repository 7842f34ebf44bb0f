#!/usr/bin/env python3
"""Zips docker/superset/export into the bundle `superset import-dashboards -p FILE` reads.

Superset wants one top-level folder holding metadata.yaml, databases/, datasets/, charts/ and
dashboards/. The repository keeps those files as readable YAML; this script is the only step between
them and Superset. It needs only Python's standard library, so the Superset container of
docker/compose.yaml runs it too.

    python3 scripts/superset/zip_export.py --out footfall.zip [--druid-uri druid://HOST:8082/druid/v2/sql/]

--druid-uri replaces the Druid database's sqlalchemy_uri (the export names the compose host `broker`).
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "docker" / "superset" / "export"
DEFAULT_FOLDER = "footfall_export"
URI_LINE = re.compile(r"^sqlalchemy_uri:.*$", re.MULTILINE)
# Fixed entry times make the zip a function of its inputs alone.
EPOCH = (1980, 1, 1, 0, 0, 0)


def build(source: Path, out: Path, druid_uri: str | None, folder: str) -> list[str]:
    if not (source / "metadata.yaml").is_file():
        raise SystemExit(f"{source} has no metadata.yaml; is it a Superset export folder?")
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            relative = path.relative_to(source).as_posix()
            text = path.read_text(encoding="utf-8")
            if druid_uri is not None and relative.startswith("databases/"):
                text, count = URI_LINE.subn(f"sqlalchemy_uri: {druid_uri}", text)
                if count != 1:
                    raise SystemExit(f"{relative}: expected one sqlalchemy_uri line, found {count}")
            info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
            names.append(info.filename)
    return names


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SOURCE, help="export folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, required=True, help="zip file to write")
    parser.add_argument("--druid-uri", help="sqlalchemy_uri for the Druid database, e.g. druid://127.0.0.1:8082/druid/v2/sql/")
    parser.add_argument("--folder", default=DEFAULT_FOLDER, help="top-level folder in the zip (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.druid_uri is not None and not args.druid_uri.startswith("druid://"):
        parser.error("--druid-uri must start with druid:// (pydruid's SQLAlchemy dialect)")
    names = build(args.src, args.out, args.druid_uri, args.folder)
    print(f"wrote {args.out} ({len(names)} files under {args.folder}/)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
