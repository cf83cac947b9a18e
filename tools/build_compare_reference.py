"""Build the small derived reference tables the Sammenligning page ships
(cockpit/compare/reference/) from the project's public reference data. Run once by hand:

    .venv/bin/python tools/build_compare_reference.py /work/shared/reference-data

The cockpit never reads the reference-data folder at run time; see reference/SOURCES.md."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "cockpit" / "compare" / "reference"
TOLERANCE = 0.004  # degrees, Douglas-Peucker (the source is already simplified at 0.002)
DIGITS = 3  # 0.001 degree ≈ 100 m: plenty for a country map


def _number(text: str) -> int:
    return int(text.replace(".", ""))  # noegletal files use "." as thousands separator


def _dp(points: list[list[float]], tol: float) -> list[list[float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        if norm == 0:
            d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
        else:
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return _dp(points[: index + 1], tol)[:-1] + _dp(points[index:], tol)


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    out = [[round(x, DIGITS), round(y, DIGITS)] for x, y in _dp(ring, TOLERANCE)]
    dedup = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    if len(dedup) < 4:
        return None  # a sliver island vanishes at this scale
    if dedup[0] != dedup[-1]:
        dedup.append(dedup[0])
    return dedup


def _area(ring: list[list[float]]) -> float:
    """Shoelace area in degrees: positive when the ring runs counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _oriented(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """d3-geo (Vega's map projection) wants the outer ring clockwise and holes counter-clockwise;
    the other way round it fills the whole globe except the municipality."""
    out = []
    for i, ring in enumerate(rings):
        clockwise = _area(ring) < 0
        out.append(ring if clockwise == (i == 0) else ring[::-1])
    return out


def _geometry(geom: dict) -> dict:
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [r for r in (_ring(r) for r in polygon) if r]
        if rings and len(rings[0]) >= 4:
            kept.append(_oriented(rings))
    if not kept:  # keep the largest original polygon rather than lose a municipality
        kept = [_oriented([max(polygons, key=lambda p: len(p[0]))[0]])]
    return {"type": "MultiPolygon", "coordinates": kept}


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(src / "municipalities.csv", encoding="utf-8") as f:
        munis = list(csv.DictReader(f))
    with open(src / "kommune_befolkningstaethed_2007_2022.csv", encoding="utf-8-sig") as f:
        density = {
            int(r["Kom.nr"]): _number(r["den_2022"]) for r in csv.DictReader(f, delimiter=";")
        }
    with open(OUT / "structure.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["municipality_code", "name", "population_2022", "density_2022"])
        for r in munis:
            code = int(r["kommunekode"])
            w.writerow([code, r["kommune"], int(r["indbyggere_2022"]), density[code]])
    for name, column, out in (
        ("socio_index_1996_2024.csv", "socio_index", "socio_index.csv"),
        (
            "service_spending_per_inhabitant_2008_2023.csv",
            "dkk_per_inhabitant",
            "service_spending.csv",
        ),
    ):
        with (
            open(src / name, encoding="utf-8") as f,
            open(OUT / out, "w", encoding="utf-8", newline="") as g,
        ):
            w = csv.writer(g, lineterminator="\n")
            w.writerow(["municipality_code", "year", column])
            for r in csv.DictReader(f):
                w.writerow([int(r["kommunekode"]), int(r["year"]), r[column]])
    geo = json.loads((src / "municipalities.geojson").read_text(encoding="utf-8"))
    features = [
        {
            "type": "Feature",
            "properties": {"kommunekode": int(feat["properties"]["kommunekode"])},
            "geometry": _geometry(feat["geometry"]),
        }
        for feat in geo["features"]
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    (OUT / "municipalities.geojson").write_text(text, encoding="utf-8")
    print(f"{len(munis)} kommuner, geojson {len(text) // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
