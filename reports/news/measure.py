"""rhetor's judgement on the news corpora in ../shared/data, on dev splits made by article.

    python3 reports/news/measure.py [--rhetor target/release/rhetor] [--no-model] [--only NAME]

Standard library only; runs the rhetor binary. Writes nothing into the repository (the corpus
text is not committed); prints one JSON object per measure. Splits (md5 buckets, never by
sentence):

- BASIL (Fan et al. 2019): dev = 15% of triplets (salt rhetor-news-v1), the same triplets the
  news stance recipe holds out (models/train/stance_news.py).
  * `basil_lexical`: recall of the annotated lexical-bias phrases (share overlapped by a
    loaded, promotional, intensifier, booster or weasel finding), and the share of loaded and
    promotional findings that fall in a sentence with any BASIL bias span (a precision proxy).
  * `basil_entities`: the author's feeling toward each main entity (pos/neg/neu) against
    rhetor's column-level stance toward it (`--target NAME`), needs the model.
- Webis-Editorials-16 (Al-Khatib et al. 2016): dev = the editorials whose file name falls in
  the 50% bucket (salt rhetor-news-v1). `webis_testimony`: share of testimony segments an
  attribution finding overlaps, and share of attribution findings inside testimony segments.
- conll2010-wiki-sample: `conll`: `rhetor eval uncertainty` on the whole file and on each md5
  half (half 0 was read while writing the weasel rules; half 1 was not).
"""
from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("RHETOR_DATA", ROOT.parent / "shared" / "data"))
SALT = "rhetor-news-v1"
CUES = {"loaded", "promotional", "intensifier", "booster", "weasel"}


def bucket(key: str, pct: int, salt: str = SALT) -> bool:
    return int(hashlib.md5((salt + "|" + key).encode("utf-8")).hexdigest(), 16) % 100 < pct


def analyse(rhetor, text: str, flags) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run([rhetor, "analyse", path, "--format", "json", *flags],
                             capture_output=True, check=True)
        return json.loads(out.stdout)
    finally:
        os.unlink(path)


def findings(report):
    for s in report["sentences"]:
        yield from s["findings"]


def overlaps(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1


# ------------------------------------------------------------------ BASIL

def basil_articles():
    for ann_path in sorted(glob.glob(str(DATA / "basil" / "annotations" / "*" / "*_ann.json"))):
        art_path = ann_path.replace("/annotations/", "/articles/").replace("_ann.json", ".json")
        art = json.load(open(art_path, encoding="utf-8"))
        if not bucket(art.get("triplet-uuid", ""), 15):
            continue
        ann = json.load(open(ann_path, encoding="utf-8"))
        # the article as plain text: title, then one paragraph per line group; byte offset of
        # every body sentence kept so the annotations (sentence index, char span) map into it
        parts, starts = [art["title"].strip(), "\n\n"], []
        at = len((art["title"].strip() + "\n\n").encode("utf-8"))
        for para in art["body-paragraphs"]:
            for k, s in enumerate(para):
                if k:
                    parts.append(" ")
                    at += 1
                starts.append((at, s))
                parts.append(s)
                at += len(s.encode("utf-8"))
            parts.append("\n\n")
            at += 2
        yield art, ann, "".join(parts), starts


def byte_span(sentence_start, sentence, start, end):
    return (sentence_start + len(sentence[:start].encode("utf-8")),
            sentence_start + len(sentence[:end].encode("utf-8")))


def basil_lexical(rhetor, flags):
    spans = hit = 0
    cue_findings = cue_in_biased = 0
    for art, ann, text, starts in basil_articles():
        rep = analyse(rhetor, text, flags)
        fs = [f for f in findings(rep) if f["category"] in CUES]
        biased_sents = set()
        for p in ann.get("phrase-level-annotations", []):
            if not p["id"].startswith("p"):
                continue
            i = int(p["id"][1:])
            if i >= len(starts):
                continue
            s0, s = starts[i]
            biased_sents.add(i)
            if p["bias"] != "lex":
                continue
            b0, b1 = byte_span(s0, s, p["start"], p["end"])
            spans += 1
            hit += any(overlaps(b0, b1, f["start"], f["end"]) for f in fs)
        ranges = [(starts[i][0], starts[i][0] + len(starts[i][1].encode("utf-8"))) for i in biased_sents]
        for f in fs:
            if f["category"] in ("loaded", "promotional"):
                cue_findings += 1
                cue_in_biased += any(overlaps(a, b, f["start"], f["end"]) for a, b in ranges)
    return {"measure": "basil_lexical", "lexical_spans": spans,
            "recall": round(hit / max(spans, 1), 4),
            "loaded_promotional_findings": cue_findings,
            "share_in_biased_sentences": round(cue_in_biased / max(cue_findings, 1), 4)}


def basil_entities(rhetor, flags):
    want = {"pos": "favor", "neg": "against", "neu": "none"}
    rows = []
    for art, ann, text, _ in basil_articles():
        feel = ann.get("article-level-annotations", {})
        for ent in art.get("main-entities") or []:
            key = "author_feeling_" + ent.replace(" ", "_")
            if feel.get(key) not in want:
                continue
            last = ent.split()[-1]
            rep = analyse(rhetor, text, [*flags, "--target", f"{ent}={last}"])
            got = next((t for t in rep["targets"] if t["name"] == ent), None)
            rows.append((want[feel[key]], got["stance"] if got else "none"))
    labels = ["favor", "against", "none"]
    per = {}
    for lab in labels:
        tp = sum(g == lab == p for g, p in rows)
        fp = sum(p == lab != g for g, p in rows)
        fn = sum(g == lab != p for g, p in rows)
        pr, rc = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        per[lab] = {"f1": round(2 * pr * rc / max(pr + rc, 1e-9), 4), "support": sum(g == lab for g, _ in rows)}
    present = [lab for lab in labels if per[lab]["support"]]
    return {"measure": "basil_entities", "n": len(rows),
            "accuracy": round(sum(g == p for g, p in rows) / max(len(rows), 1), 4),
            "macro_f1": round(sum(per[lab]["f1"] for lab in present) / max(len(present), 1), 4),
            "always_none_accuracy": round(sum(g == "none" for g, _ in rows) / max(len(rows), 1), 4),
            "per_class": per,
            "confusion": {g: {p: sum(1 for a, b in rows if a == g and b == p) for p in labels} for g in labels}}


# ------------------------------------------------------------------ Webis

def webis_testimony(rhetor, flags):
    segs = hit = attr = attr_in = 0
    for path in sorted(glob.glob(str(DATA / "webis-editorials-16" / "*" / "*.json"))):
        if not bucket(Path(path).name, 50):
            continue
        ed = json.load(open(path, encoding="utf-8"))
        parts, spans, at = [], [], 0
        for para in ed["paragraphs"]:
            for k, seg in enumerate(para):
                t = seg["text"]
                if k and t[:1] not in ".,;:!?)" and parts and not parts[-1].endswith(" "):
                    parts.append(" ")
                    at += 1
                spans.append((at, at + len(t.encode("utf-8")), seg["label"]))
                parts.append(t)
                at += len(t.encode("utf-8"))
            parts.append("\n\n")
            at += 2
        rep = analyse(rhetor, "".join(parts), flags)
        attrs = [f for f in findings(rep) if f["category"] == "attribution"]
        testimony = [(a, b) for a, b, lab in spans if lab == "testimony"]
        for a, b in testimony:
            segs += 1
            hit += any(overlaps(a, b, f["start"], f["end"]) for f in attrs)
        for f in attrs:
            attr += 1
            attr_in += any(overlaps(a, b, f["start"], f["end"]) for a, b in testimony)
    return {"measure": "webis_testimony", "testimony_segments": segs,
            "recall": round(hit / max(segs, 1), 4), "attribution_findings": attr,
            "share_in_testimony": round(attr_in / max(attr, 1), 4)}


# ------------------------------------------------------------------ CoNLL

def conll(rhetor, flags):
    src = DATA / "conll2010-wiki-sample" / "dev.csv"
    rows = list(csv.DictReader(open(src, encoding="utf-8")))
    out = {"measure": "conll"}
    with tempfile.TemporaryDirectory() as d:
        for name, keep in (("all", lambda t: True),
                           ("half0", lambda t: int(hashlib.md5(t.encode()).hexdigest(), 16) % 2 == 0),
                           ("half1", lambda t: int(hashlib.md5(t.encode()).hexdigest(), 16) % 2 == 1)):
            path = Path(d) / f"{name}.csv"
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["text", "label"])
                w.writerows([r["text"], r["label"]] for r in rows if keep(r["text"]))
            res = json.loads(subprocess.run([rhetor, "eval", "uncertainty", str(path), "--format", "json", *flags],
                                            capture_output=True, check=True).stdout)
            out[name] = {"n": res["n"], "accuracy": round(res["accuracy"], 4),
                         "uncertain_recall": round(res["per_class"]["uncertain"]["recall"], 4)}
    return out


MEASURES = {"conll": conll, "basil_lexical": basil_lexical, "webis_testimony": webis_testimony,
            "basil_entities": basil_entities}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rhetor", default=str(ROOT / "target" / "release" / "rhetor"))
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--only", action="append", choices=sorted(MEASURES))
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"measure: no corpora at {DATA} (set RHETOR_DATA); nothing measured", file=sys.stderr)
        return 0
    flags = ["--no-model"] if args.no_model else []
    for name in args.only or list(MEASURES):
        if name == "basil_entities" and args.no_model:
            continue
        res = MEASURES[name](args.rhetor, flags)
        res["model"] = not args.no_model
        print(json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
